"""Bulk inserts for the importers: PostgreSQL's COPY where the database has it, batched executemany elsewhere.

At a million firms the chainkg import writes ~11 M capability rows. Through executemany (psycopg's pipeline of
prepared INSERTs) each row is a parameter set that SQLAlchemy compiles and psycopg validates, reorders and sends:
half the import's time at 100,000 firms. COPY streams the rows as text in one statement. It runs on the session's
own connection, so it is inside the import's one transaction: a failure rolls it back with everything else.

Column defaults that SQLAlchemy would apply to an INSERT (``default=`` scalars and callables such as ``utcnow``
or ``list``) are applied here too, evaluated once per call (one import, one moment); JSON values are sent as
their JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, Column, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

Progress = Callable[[str, int, int], None]  # (step, done, total)
BATCH = 20_000
PER_COPY = 50 * BATCH


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]], step: str,
                progress: Progress) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the session's transaction."""
    if not rows:
        progress(step, 0, 0)
        return
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        for i in range(0, len(rows), BATCH):
            conn.execute(insert(table), list(rows[i : i + BATCH]))
            progress(step, min(i + BATCH, len(rows)), len(rows))
        return
    given = list(rows[0])
    defaults = {c.name: _default(c) for c in table.columns if c.name not in given and c.default is not None}
    names = given + list(defaults)
    as_json = [isinstance(table.c[name].type, JSON) for name in names]
    fixed = tuple(json.dumps(v) if j else v for v, j in zip(defaults.values(), as_json[len(given):], strict=True))
    given_json = [i for i, j in enumerate(as_json[: len(given)]) if j]
    columns = ", ".join(conn.dialect.identifier_preparer.quote(n) for n in names)
    driver = conn.connection.driver_connection
    assert driver is not None
    statement = f"COPY {table.name} ({columns}) FROM STDIN"
    dbapi_error = conn.dialect.loaded_dbapi.Error
    try:
        with driver.cursor() as cur:  # type: ignore[attr-defined]
            # a statement per million rows: the server queues each row's foreign-key checks until its statement
            # ends (all 11 M capability rows of a million firms in one statement: hundreds of MB of them)
            for start in range(0, len(rows), PER_COPY):
                with cur.copy(statement) as copy:
                    for i in range(start, min(start + PER_COPY, len(rows)), BATCH):
                        for row in rows[i : i + BATCH]:
                            values = [row[k] for k in given]
                            for k in given_json:
                                values[k] = json.dumps(values[k])
                            values.extend(fixed)
                            copy.write_row(values)
                        progress(step, min(i + BATCH, len(rows)), len(rows))
    except dbapi_error as exc:  # as SQLAlchemy raises it for an INSERT, so callers catch one kind of error
        raise DBAPIError.instance(statement, None, exc, dbapi_error) from exc


def _default(column: Column[Any]) -> Any:
    default = column.default
    assert default is not None
    if default.is_callable:  # SQLAlchemy wraps it to take the execution context, which none of ours reads
        return default.arg(None)  # type: ignore[attr-defined,operator]
    return default.arg  # type: ignore[attr-defined]
