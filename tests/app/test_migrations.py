"""Migrations go up, down and up again on every backend, and match the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from alembic import command
from app.db import Base, make_engine
from app.migrations import alembic_config, downgrade, upgrade
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
