"""The long schemathesis run: every operation of the live OpenAPI schema, as every role, over the demo data.

    python -m bench.fuzz [--positive 200] [--negative 100] [--roles admin,operator,...] [--db PATH] [--keep]

A fresh SQLite database is built with `chainmatch demo --no-serve --db PATH` (admin, operator, leader and sme
tokens) plus `chainmatch token create --role integration`; the app is create_app(Settings(database_url=...)),
driven in process through a TestClient (its lifespan builds the match index). Each operation gets --positive
schema-conforming and --negative schema-violating cases per role (derandomized, no Hypothesis database),
checked by bench/fuzz_engine.py as in tests/app/test_fuzz.py: no 5xx, answers fit their documented schema, 4xx
are the error envelope. Writes are kept in the scratch database (the roles run one after another on the same data).

Prints the requests tried by role, the statuses seen and every failure (route, request, answer or traceback).
Never fails on time; exits 1 only when a failure was found.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from hypothesis.configuration import set_hypothesis_home_dir

from app.core.config import Settings
from app.main import create_app
from bench.common.cli import REPO, find_cli
from bench.fuzz_engine import ROLES, FuzzReport, fuzz, known_keys

CLI = [found] if (found := find_cli()) else [sys.executable, "-m", "app.cli"]


def build_demo(db: Path) -> dict[str, str]:
    """The demo database at ``db`` and a token for every role."""
    out = subprocess.run([*CLI, "demo", "--no-serve", "--db", str(db)], check=True, capture_output=True,
                         text=True, cwd=REPO).stdout
    tokens = dict(re.findall(r"^\s*(\w+)\s+token:\s*(\S+)\s*$", out, flags=re.MULTILINE))
    env = {**os.environ, "CHAINMATCH_DATABASE_URL": f"sqlite:///{db.resolve()}"}
    made = subprocess.run([*CLI, "token", "create", "--role", "integration", "--name", "bench fuzz"], check=True,
                          capture_output=True, text=True, cwd=REPO, env=env).stdout
    tokens["integration"] = made.strip().splitlines()[-1].strip()
    missing = [role for role in ROLES if role not in tokens]
    if missing:
        raise SystemExit(f"the demo printed no token for {', '.join(missing)}:\n{out}")
    return tokens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--positive", type=int, default=200, help="schema-conforming examples per operation and role")
    parser.add_argument("--negative", type=int, default=100, help="schema-violating examples per operation and role")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated roles to fuzz as")
    parser.add_argument("--db", type=Path, help="SQLite file to (re)create (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    roles = [r for r in args.roles.split(",") if r]
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        parser.error(f"unknown role(s): {', '.join(unknown)}")

    tmp = Path(tempfile.mkdtemp(prefix="chainmatch-fuzz-"))
    db = args.db or tmp / "fuzz.db"
    set_hypothesis_home_dir(tmp / "hypothesis")  # its caches; there is no example database
    started = time.perf_counter()
    tokens = build_demo(db)
    print(f"demo database {db} built in {time.perf_counter() - started:.1f}s")

    report = FuzzReport()
    # No rate limiting: the fuzzer is one client sending thousands of requests on purpose.
    settings = Settings(database_url=f"sqlite:///{db.resolve()}", rate_limit_per_token=10**9, rate_limit_per_ip=10**9)
    with TestClient(create_app(settings)) as client:
        openapi = client.get("/openapi.json").json()
        admin = {"Authorization": f"Bearer {tokens['admin']}"}
        keys = known_keys(client.request, admin)
        print("real path keys: " + ", ".join(f"{prefix}… {len(v)}" for prefix, v in keys.items()))
        for role in roles:
            t0 = time.perf_counter()
            before = len(report.failures)
            fuzz(client.request, openapi, role, {"Authorization": f"Bearer {tokens[role]}"}, report,
                 positive=args.positive, negative=args.negative, keys=keys)
            print(f"  {role:<12} {report.requests[role]:>6} requests  {len(report.failures) - before} failure(s) "
                  f"  {time.perf_counter() - t0:.1f}s", flush=True)

    total = sum(report.requests.values())
    print(f"\nrequests tried: {total} ({', '.join(f'{r} {report.requests[r]}' for r in roles)}) "
          f"in {time.perf_counter() - started:.1f}s")
    print("statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(report.statuses.items())))
    print(f"5xx / exceptions: {len(report.server_errors)} distinct failure(s); "
          f"schema failures: {len(report.schema_failures)} distinct failure(s)")
    for failure in report.failures:
        print("\n" + failure)
    if args.db is None and args.keep:
        shutil.rmtree(tmp / "hypothesis", ignore_errors=True)
        print(f"\ndatabase kept: {db}")
    else:
        shutil.rmtree(tmp)
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
