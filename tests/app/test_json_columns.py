"""JSON columns read through orjson, and still read values orjson refuses (NaN written by the json module)."""

from __future__ import annotations

import math
from pathlib import Path

from sqlalchemy import JSON, Column, Integer, MetaData, Table, insert, select, text

from app.core.db import make_engine


def test_json_columns_read_back_what_was_written_including_nan(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'j.db'}")
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("doc", JSON))
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), [{"id": 1, "doc": {"words": ["隔膜", "电解液"], "score": 0.5, "n": None}}])
        conn.execute(text("INSERT INTO t (id, doc) VALUES (2, '{\"score\": NaN}')"))
    with engine.connect() as conn:
        docs = dict(conn.execute(select(table.c.id, table.c.doc)).all())
    assert docs[1] == {"words": ["隔膜", "电解液"], "score": 0.5, "n": None}
    assert math.isnan(docs[2]["score"])
    engine.dispose()
