"""The fault benchmark's own judgement (bench/faults.py): what counts as the error envelope, which part of an
outage an answer belongs to, how two backends' figures meet in one table. The scenarios themselves start
servers and a PostgreSQL cluster, so they run in `make bench`, not here."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bench._faults_http import Answer, jsonable, kinds
from bench._faults_ops import RECOVERY_S, phase
from bench.faults import main, table


def test_only_the_house_envelope_counts_as_one() -> None:
    good = Answer(503, 0.01, {"error": {"code": "unavailable", "message": "m", "details": None}})
    plain = Answer(500, 0.01, None)  # "Internal Server Error" as text/plain
    partial = Answer(503, 0.01, {"error": {"code": "unavailable", "message": "m"}})
    assert good.envelope and not plain.envelope and not partial.envelope
    assert kinds([good, plain, plain, Answer(0, 1.0, error="dropped (ReadError)")]) == \
        "500 (not the envelope): 2, 503: 1, dropped (ReadError): 1"
    assert kinds([Answer(401, 0.1)], judge=False) == "401: 1"  # web pages answer HTML


@pytest.mark.parametrize(("sent", "took", "expected"), [
    (1.0, 0.5, "before"),  # answered before the database went away
    (9.5, 1.0, "outage"),  # in flight when it went away
    (15.0, 0.1, "outage"),
    (20.0 + RECOVERY_S - 0.1, 0.1, "recovery"),
    (20.0 + RECOVERY_S + 0.1, 0.1, "after"),
])
def test_outage_phases_follow_when_a_request_was_in_flight(sent: float, took: float, expected: str) -> None:
    assert phase(Answer(200, took, sent=sent), t_down=10.0, t_up=20.0) == expected


def test_table_puts_backends_side_by_side_with_the_bar() -> None:
    results = {
        "sqlite": {"scenarios": {"outage": {"rows": [("errors after 10 s", "3", "0", False),
                                                     ("fault", "lock", "", None)]}}},
        "postgresql": {"scenarios": {"outage": {"rows": [("errors after 10 s", "0", "0", True)],
                                                "error": "postgresql/outage: RuntimeError: cluster"}}},
    }
    out = table(results, ["outage"])
    assert "| figure | SQLite | PostgreSQL | bar |" in out
    assert "| errors after 10 s | 3 ✗ | 0 ✓ | 0 |" in out
    assert "| fault | lock |  |  |" in out
    assert "harness error (PostgreSQL) | postgresql/outage: RuntimeError: cluster" in out


def test_figures_with_tuple_keys_can_be_written() -> None:
    assert json.loads(json.dumps(jsonable({"c": Counter({(1, 2): 3}), "s": {4}}))) == {"c": {"(1, 2)": 3}, "s": [4]}


def test_unknown_names_are_refused_before_anything_starts() -> None:
    with pytest.raises(SystemExit, match="unknown scenario: nope"):
        main(["--scenarios", "nope"])
