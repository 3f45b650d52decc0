"""Migrations go up, down and up again on every backend, and match the models."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from alembic import command
from app.core.db import Base, make_engine
from app.core.migrations import alembic_config, downgrade, upgrade
from tests.conftest import fresh_database


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_up_down_up(backend: str, tmp_path: Path) -> None:
    url, drop = fresh_database(tmp_path, backend)
    try:
        upgrade(url)
        engine = make_engine(url)
        assert {"enterprises", "capabilities", "chain_nodes", "node_edges", "api_tokens"} <= set(
            inspect(engine).get_table_names())
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(url)
        assert "enterprises" in inspect(engine).get_table_names()
        command.check(alembic_config(url))
        engine.dispose()
    finally:
        drop()  # type: ignore[operator]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_access_0004_drops_anonymous_posters_from_stored_answers(backend: str, tmp_path: Path) -> None:
    url, drop = fresh_database(tmp_path, backend)
    try:
        upgrade(url, "0003")
        engine = make_engine(url)
        now = datetime(2026, 1, 1)
        firms = sa.table("enterprises", *[sa.column(c) for c in (
            "id", "code", "name", "full_name", "kind", "tier", "province", "city", "district", "description",
            "created_at", "updated_at")], sa.column("certifications", sa.JSON))
        needs = sa.table("needs", *[sa.column(c) for c in (
            "id", "poster_org_id", "kind", "title", "description", "scope", "delivery_region", "status", "version",
            "created_at", "updated_at")], sa.column("required_certifications", sa.JSON),
            sa.column("anonymous", sa.Boolean))
        notes = sa.table("notifications", sa.column("id"), sa.column("event"), sa.column("created_at"),
                         sa.column("dispatched", sa.Boolean), sa.column("payload", sa.JSON))
        poster = {"code": "P1", "name": "比亚汽车"}
        with engine.begin() as conn:
            conn.execute(sa.insert(firms).values(id=1, code="P1", name="比亚汽车", full_name="", kind="leader",
                                                 tier="none", province="", city="", district="", description="",
                                                 certifications=[], created_at=now, updated_at=now))
            conn.execute(sa.insert(needs), [
                {"id": i, "poster_org_id": 1, "kind": "procurement", "title": "t", "description": "", "scope": "node",
                 "delivery_region": "", "status": "published", "version": 1, "created_at": now, "updated_at": now,
                 "required_certifications": [], "anonymous": anonymous} for i, anonymous in ((1, True), (2, False))])
            conn.execute(sa.insert(notes).values(created_at=now, dispatched=False), [
                {"id": 1, "event": "interest.answered", "payload": {"need_id": 1, "poster": poster, "accepted": True}},
                {"id": 2, "event": "interest.answered", "payload": {"need_id": 2, "poster": poster, "accepted": True}},
                {"id": 3, "event": "interest.answered", "payload": {"need_id": 1, "accepted": False}},
            ])
        upgrade(url, "access_0004")
        with engine.connect() as conn:
            payloads = dict(conn.execute(sa.select(notes.c.id, notes.c.payload)).all())
        assert payloads[1] == {"need_id": 1, "accepted": True}  # the anonymous poster is gone
        assert payloads[2]["poster"] == poster  # a poster that did not hide stays named
        assert payloads[3] == {"need_id": 1, "accepted": False}
        engine.dispose()
    finally:
        drop()  # type: ignore[operator]


def _shipped(vocabulary: str) -> list[tuple[str, str, str]]:
    from matching.aliases import read_aliases, read_pairs
    from matching.kinds import DEFAULT_KINDS

    if vocabulary == "aliases":
        return [(a.alias, a.node, a.source) for a in read_aliases()]
    return list(read_pairs(DEFAULT_KINDS, ("item", "kind", "source")))


# vocabulary, its table and key columns, an operator's own row; each batch with the revision before its migration
_TABLES = {"aliases": ("node_aliases", "alias", "node_name", ("我们的叫法", "锂电池")),
           "kinds": ("node_kinds", "item", "kind_name", ("我们的电芯", "锂电池"))}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize(("vocabulary", "marker", "before"), [
    ("aliases", "checked alias2", "0011_undispatched_notifications"),
    ("aliases", "checked alias3", "0012_alias_coverage2"),
    ("aliases", "checked alias4", "0013_alias_coverage3"),
    ("aliases", "checked alias5", "0013_alias_coverage3"),
    ("aliases", "checked alias6", "0014_alias_coverage4"),
    ("kinds", "kinds2 by domain knowledge", "0016_node_kinds"),
    ("aliases", "checked english1", "0017_kinds2"),
])
def test_a_vocabulary_batch_reaches_a_database_seeded_before_it(backend: str, vocabulary: str, marker: str,
                                                                 before: str, tmp_path: Path) -> None:
    """0012-0015, 0017, 0018 (app/core/shipped_batches.py): a batch is added once, operators' edits stay, downgrade
    removes it."""
    name, first_col, second_col, own = _TABLES[vocabulary]
    shipped = _shipped(vocabulary)
    batch = {(a, b) for a, b, source in shipped if marker in source}
    assert len(batch) >= 100
    url, drop = fresh_database(tmp_path, backend)
    try:
        upgrade(url, before)
        engine = make_engine(url)
        rows = sa.table(name, sa.column(first_col), sa.column(second_col), sa.column("source"),
                        sa.column("created_at"), sa.column("updated_at"))
        first, second = rows.c[first_col], rows.c[second_col]
        now = datetime(2026, 1, 1)
        kept = next((a, b) for a, b, source in shipped if marker not in source)
        with engine.begin() as conn:  # as the seeding left it before the pass: no batch rows; an operator's edits
            conn.execute(rows.delete().where(rows.c.source.contains(marker)))
            conn.execute(rows.delete().where(first == kept[0], second == kept[1]))
            conn.execute(sa.insert(rows).values({first_col: own[0], second_col: own[1], "source": "operator",
                                                 "created_at": now, "updated_at": now}))

        def held() -> set[tuple[str, str]]:
            with engine.connect() as conn:
                return {(a, b) for a, b in conn.execute(sa.select(first, second))}

        assert not held() & batch
        upgrade(url)
        after = held()
        assert batch <= after
        assert own in after and kept not in after  # edits kept
        upgrade(url)  # at head already: nothing twice
        downgrade(url, before)
        assert not held() & batch and own in held()
        engine.dispose()
    finally:
        drop()  # type: ignore[operator]
