"""The repository rule, checked: SQL is written in repositories (and in the few infrastructure places named
here); a domain reaches another domain's tables through that domain's service, except along the Need
aggregate's edges listed below. docs/architecture.md states the rule; this test keeps it true."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
BUILDERS = {"select", "insert", "update", "delete", "text", "union"}
# Infrastructure that builds statements by its nature: the database core, the access policy's SQL clauses, bulk
# loaders of the chain graph and demo data, the match index's snapshot reader, and the health probe.
SQL_ALLOWED = ("core", "access", "imports", "match_index", "health")
# Cross-domain repository use along the Need aggregate: challenges and catalogues are needs plus their terms or
# their publication, so they read needs' tables through its repository, and the aggregate resolves chain nodes
# and firms through theirs. Everything else goes through the other domain's service.
AGGREGATE = {"needs": {"chains", "enterprises"}, "challenges": {"needs", "chains", "enterprises"},
             "catalogues": {"needs", "enterprises"}, "opportunities": {"needs"}, "match_index": {"chains"}}


def _modules() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if "__pycache__" not in p.parts)


def _domain(path: Path) -> str:
    rel = path.relative_to(APP)
    return rel.parts[0] if len(rel.parts) > 1 else ""


def _is_repository(path: Path) -> bool:
    return path.stem == "repository" or path.stem.endswith("_repository")


def _sql_calls(source: str) -> list[int]:
    """Lines that call a SQLAlchemy statement builder imported by name (select, update, …)."""
    tree = ast.parse(source)
    names = {a.asname or a.name for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
             for a in node.names if a.name in BUILDERS}
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names]


def test_sql_is_written_in_repositories_only() -> None:
    offenders = [f"{path.relative_to(APP.parent)}:{line}" for path in _modules()
                 if not (_is_repository(path) or _domain(path) in SQL_ALLOWED)
                 for line in _sql_calls(path.read_text(encoding="utf-8"))]
    assert not offenders, "SQL outside a repository:\n" + "\n".join(offenders)


def test_other_domains_repositories_are_reached_through_their_services() -> None:
    offenders = []
    for path in _modules():
        own = _domain(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("app."):
                continue
            parts = node.module.split(".")  # type: ignore[union-attr]
            if len(parts) >= 3 and (parts[2] == "repository" or parts[2].endswith("_repository")):
                other = parts[1]
                if other != own and other not in AGGREGATE.get(own, set()):
                    offenders.append(f"{path.relative_to(APP.parent)}:{node.lineno} imports {node.module}")
    assert not offenders, "use the other domain's service:\n" + "\n".join(offenders)


def test_the_scanner_sees_statements_however_imported() -> None:
    # A check that silently finds nothing would pass forever: show it finds what it must.
    src = "from sqlalchemy import select as s, update\n\ndef f(x):\n    x.scalars(s(1))\n    x.execute(update(T))\n"
    assert _sql_calls(src) == [4, 5]
    assert _sql_calls("from sqlalchemy.orm import Session\n\ndef f(x: Session):\n    x.get(T, 1)\n") == []
