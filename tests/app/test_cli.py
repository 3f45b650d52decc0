"""The chainmatch CLI: init, import (good, repeated, broken), overlay, token, demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.cli import app
from app.core.db import make_engine
from app.models import Capability, Chain, Enterprise, Job, Opportunity
from tests.conftest import FIXTURES

runner = CliRunner()


@pytest.fixture()
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CHAINMATCH_DATABASE_URL", url)
    return url


def count(url: str, model: type) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.scalar(select(func.count()).select_from(model)) or 0
    engine.dispose()
    return n


def test_init_import_and_reimport(db_env: str) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    first = runner.invoke(app, ["import", "chainkg", str(FIXTURES / "small")])
    assert first.exit_code == 0, first.output
    assert "10 enterprises" in first.output and "unknown company 999999" in first.output
    second = runner.invoke(app, ["import", "chainkg", str(FIXTURES / "small")])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert count(db_env, Enterprise) == 10


def test_broken_file_names_file_and_line_and_writes_nothing(db_env: str, tmp_path: Path) -> None:
    runner.invoke(app, ["init"])
    folder = tmp_path / "broken"
    shutil.copytree(FIXTURES / "small", folder)
    cp = folder / "company_products.csv"
    cp.write_text(cp.read_text(encoding="utf-8").replace("100005,隔膜,0.90", "100005,隔膜,九成"), encoding="utf-8")
    result = runner.invoke(app, ["import", "chainkg", str(folder)])
    assert result.exit_code == 2
    assert "company_products.csv:12" in result.output and "not a number" in result.output
    assert count(db_env, Enterprise) == 0 and count(db_env, Capability) == 0


def test_tokens(db_env: str) -> None:
    runner.invoke(app, ["init"])
    runner.invoke(app, ["import", "chainkg", str(FIXTURES / "small")])
    made = runner.invoke(app, ["token", "create", "--role", "leader", "--org", "100006", "--name", "采购部"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("cm_")
    bad = runner.invoke(app, ["token", "create", "--role", "leader", "--name", "x"])
    assert bad.exit_code == 2 and "organisation" in bad.output
    assert runner.invoke(app, ["token", "revoke", token.split("_")[1]]).exit_code == 0
    assert runner.invoke(app, ["token", "revoke", "nope"]).exit_code == 2


def test_demo_builds_database_with_chains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["demo", "--no-serve", "--db", "demo.db"])
    assert result.exit_code == 0, result.output
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert 300 <= count(url, Enterprise) <= 700
    assert count(url, Chain) == 2
    engine = make_engine(url)
    with engine.connect() as conn:
        kinds = set(conn.scalars(select(Enterprise.kind)))
    engine.dispose()
    assert {"leader", "sme", "university", "institute"} <= kinds
    assert "leader    token: cm_" in result.output and "a published catalogue of 5 needs" in result.output
    with engine.connect() as conn:
        delivered = conn.scalar(select(func.count()).select_from(Opportunity))
        weakest = conn.scalar(select(func.min(Opportunity.match)))
        job = conn.scalar(select(Job.status))
    engine.dispose()
    # 5 needs to the top 10 each, weak matches (匹配度 under the default minimum, 30) never delivered
    assert job == "done" and delivered and delivered >= 30 and weakest is not None and weakest >= 30
