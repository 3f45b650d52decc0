"""Schemathesis fuzzing of the live OpenAPI schema, once per role (admin, operator, leader, sme, integration).

The engine and what it checks on every answer: bench/fuzz_engine.py (no 5xx, answers fit their documented
schema, 4xx are the error envelope). Here every operation gets a few cases per role (how many follows
REQUEST_BUDGET), sent through the test's TestClient with the role's token, over the small chain.

SQLite only: the backend is parametrized indirectly, so no PostgreSQL database is built for this module.
``python -m bench.fuzz`` runs the same fuzzing with many more examples.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from bench.fuzz_engine import API, ROLES, FuzzReport, fuzz, known_keys


@pytest.fixture(scope="module", autouse=True)
def _hypothesis_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Hypothesis's caches go to a temporary directory, not ./.hypothesis (there is no example database anyway)."""
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    yield
    set_hypothesis_home_dir(None)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", ROLES)
def test_fuzz_role(backend: str, role: str, client: Any, tokens: Any) -> None:
    """No 5xx and no answer that breaks its own schema or the error envelope, for any role (see the module doc)."""
    report = FuzzReport()
    openapi = client.get("/openapi.json").json()
    keys = known_keys(client.request, tokens.header("admin"))
    assert keys[f"{API}/enterprises/"] and keys[f"{API}/nodes/"], "the small chain should be loaded"
    # Edge keys ('²', 20-digit numbers …) are what found the id-parsing 500s; keep them in.
    fuzz(client.request, openapi, role, tokens.header(role), report, keys=keys, edge_keys=True)
    assert report.requests[role] > 100
    assert not report.failures, f"{len(report.failures)} failing operation(s):\n\n" + "\n\n".join(report.failures)
