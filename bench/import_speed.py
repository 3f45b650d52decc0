"""Time `chainmatch import chainkg` against simply reading the same CSV files.

    python -m bench.import_speed [--data ../shared/data/chainkg] [--scale-dir DIR | --n 100000]
                                 [--skip-scale] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/NAME]

Data sets: (a) the full shared chainkg folder, (b) a 100,000-enterprise folder from make_scale_data.py
(generated into a temp dir unless --scale-dir is given). Each one is imported into a fresh database
(a SQLite file in a temp dir, or with --database-url a fresh PostgreSQL database created with psql and
dropped afterwards). Every command runs as a child of a fresh intermediate Python process, so wall time and
peak RSS (getrusage(RUSAGE_CHILDREN).ru_maxrss) belong to that one command. The full import is then run a
second time: it should be fast and leave every table unchanged. Targets are printed, never enforced: the
script exits non-zero only when a command fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common.cli import REPO
from bench.common.cli import find_cli as default_cli
from bench.make_scale_data import DEFAULT_DATA

TARGETS = {"full": (30.0, None), "scale": (180.0, 2048.0)}  # seconds, peak MB

# Runs argv[2:] with output to the log file argv[1]; prints wall seconds, peak RSS (KiB) and return code.
MEASURE = """
import json, resource, subprocess, sys, time
with open(sys.argv[1], "ab") as log:
    t = time.perf_counter()
    rc = subprocess.run(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT).returncode
    wall = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "maxrss_kb": peak, "rc": rc}))
"""

# Reads and parses every row of every *.csv.gz / *.csv file in argv[1]; prints the number of data rows.
READ_ONLY = """
import csv, gzip, io, sys
from pathlib import Path
rows = 0
for path in sorted(Path(sys.argv[1]).glob("*.csv*")):
    raw = gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")
    with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        for row in reader:
            rows += 1
print(rows)
"""


class Measured:
    def __init__(self, wall: float, peak_mb: float, rc: int, log: Path) -> None:
        self.wall, self.peak_mb, self.rc, self.log = wall, peak_mb, rc, log

    def ok(self) -> bool:
        return self.rc == 0

    def tail(self, lines: int = 15) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def measure(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> Measured:
    out = subprocess.run([sys.executable, "-c", MEASURE, str(log), *cmd], env=env, capture_output=True,
                         text=True, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    return Measured(res["wall"], res["maxrss_kb"] / 1024, res["rc"], log)


def find_cli(explicit: str | None) -> str | None:
    return shutil.which(explicit) if explicit else default_cli()


class Database:
    """A fresh database for one data set: a SQLite file, or a PostgreSQL database made with psql."""

    def __init__(self, label: str, tmp: Path, base_url: str | None) -> None:
        self.pg = base_url is not None and base_url.startswith("postgres")
        self.sqlite_path: Path | None = None
        if not self.pg:
            self.sqlite_path = tmp / f"{label}.db"
            self.url = f"sqlite:///{self.sqlite_path}"
            return
        assert base_url is not None
        parts = urlsplit(base_url)
        self.name = f"{parts.path.lstrip('/') or 'chainmatch_bench'}_{label}_{os.getpid()}"
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self.psql = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
                     "-U", parts.username or "postgres", "-v", "ON_ERROR_STOP=1", "-X", "-q"]
        self.psql_env = {**os.environ, **({"PGPASSWORD": parts.password} if parts.password else {})}
        self._sql("postgres", f'CREATE DATABASE "{self.name}"')

    def _sql(self, db: str, sql: str) -> str:
        out = subprocess.run([*self.psql, "-d", db, "-At", "-c", sql], env=self.psql_env, capture_output=True,
                             text=True)
        if out.returncode != 0:
            raise RuntimeError(f"psql failed: {sql}: {out.stderr.strip()}")
        return out.stdout

    def snapshot(self) -> dict[str, tuple[int, str]]:
        """Row count and content digest of every table."""
        snap: dict[str, tuple[int, str]] = {}
        if self.sqlite_path is not None:
            if not self.sqlite_path.exists():
                return snap
            con = sqlite3.connect(self.sqlite_path)
            try:
                tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                                    "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
                for t in tables:
                    digest, n = hashlib.sha256(), 0
                    for row in con.execute(f'SELECT * FROM "{t}" ORDER BY 1'):
                        digest.update(repr(row).encode())
                        n += 1
                    snap[t] = (n, digest.hexdigest())
            finally:
                con.close()
            return snap
        tables = self._sql(self.name, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                      "ORDER BY tablename").split()
        for t in tables:
            text = self._sql(self.name, f'COPY (SELECT * FROM "{t}" ORDER BY 1) TO STDOUT')
            snap[t] = (text.count("\n"), hashlib.sha256(text.encode()).hexdigest())
        return snap

    def drop(self) -> None:
        if self.pg:
            try:
                self._sql("postgres", f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            except RuntimeError:
                self._sql("postgres", f'DROP DATABASE IF EXISTS "{self.name}"')


def compare(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> str:
    changed = [f"{t} ({before.get(t, (0, ''))[0]}→{after.get(t, (0, ''))[0]} rows)"
               for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)]
    if not changed:
        return f"unchanged ({len(after)} tables, {sum(n for n, _ in after.values()):,} rows)"
    return "CHANGED: " + ", ".join(changed)


def bench_dataset(label: str, folder: Path, cli: str | None, tmp: Path, base_url: str | None,
                  twice: bool, title: str | None = None) -> dict:
    res: dict = {"label": label, "title": title or label, "folder": folder}
    read = subprocess.run([sys.executable, "-c", READ_ONLY, str(folder)], capture_output=True, text=True,
                          check=True)
    res["rows"] = int(read.stdout.strip())
    res["read"] = measure([sys.executable, "-c", READ_ONLY, str(folder)], tmp / f"{label}-read.log")
    if cli is None:
        return res
    db = Database(label, tmp, base_url)
    try:
        env = {**os.environ, "CHAINMATCH_DATABASE_URL": db.url}
        res["init"] = measure([cli, "init"], tmp / f"{label}-init.log", env)
        if not res["init"].ok():
            return res
        res["import"] = measure([cli, "import", "chainkg", str(folder)], tmp / f"{label}-import.log", env)
        if twice and res["import"].ok():
            before = db.snapshot()
            res["again"] = measure([cli, "import", "chainkg", str(folder)], tmp / f"{label}-again.log", env)
            res["again_diff"] = compare(before, db.snapshot())
    finally:
        db.drop()
    return res


def fmt_target(label: str, imp: Measured | None) -> str:
    secs, mb = TARGETS[label]
    want = f"≤ {secs:.0f} s" + (f", ≤ {mb / 1024:.0f} GB" if mb else "")
    if imp is None or not imp.ok():
        return want
    met = imp.wall <= secs and (mb is None or imp.peak_mb <= mb)
    return f"{want} ({'met' if met else 'MISSED'})"


def report(results: list[dict]) -> bool:
    head = f"{'data set':<10} {'rows':>10} {'import s':>9} {'read s':>7} {'ratio':>6} {'peak MB':>8}  targets"
    print("\n" + head + "\n" + "-" * len(head))
    ok = True
    for r in results:
        imp: Measured | None = r.get("import")
        read: Measured = r["read"]
        if imp is None:
            cells = f"{'n/a':>9} {read.wall:>7.2f} {'':>6} {'':>8}"
        elif not imp.ok():
            cells = f"{'FAILED':>9} {read.wall:>7.2f} {'':>6} {imp.peak_mb:>8.0f}"
        else:
            cells = f"{imp.wall:>9.2f} {read.wall:>7.2f} {imp.wall / read.wall:>6.1f} {imp.peak_mb:>8.0f}"
        print(f"{r['title']:<10} {r['rows']:>10,} {cells}  {fmt_target(r['label'], imp)}")
    for r in results:
        for step in ("init", "import", "again"):
            m: Measured | None = r.get(step)
            if m is not None and not m.ok():
                ok = False
                print(f"\n{r['title']}: `{step}` exited with {m.rc}; last lines of {m.log.name}:\n{m.tail()}")
        if "init" in r and r["init"].ok():
            print(f"{r['title']}: init {r['init'].wall:.2f} s")
        if "again" in r:
            a = r["again"]
            state = f"{a.wall:.2f} s, peak {a.peak_mb:.0f} MB" if a.ok() else "FAILED"
            print(f"{r['title']}: second (idempotent) import {state}; database {r['again_diff']}")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="full chainkg folder (default: %(default)s)")
    ap.add_argument("--scale-dir", type=Path, help="an existing make_scale_data.py folder to use")
    ap.add_argument("--n", type=int, default=100_000, help="companies to generate if no --scale-dir")
    ap.add_argument("--skip-scale", action="store_true", help="only the full data set")
    ap.add_argument("--database-url", help="PostgreSQL server URL; a fresh database is made per data set")
    ap.add_argument("--chainmatch", help="path of the chainmatch CLI (default: next to this Python)")
    args = ap.parse_args(argv)

    cli = find_cli(args.chainmatch)
    if cli is None:
        print("chainmatch CLI not found: only the read-only timings are measured")
    print(f"python {sys.version.split()[0]}, cli {cli}, database "
          f"{'PostgreSQL' if args.database_url else 'SQLite (fresh file per data set)'}")
    results = []
    with tempfile.TemporaryDirectory(prefix="chainmatch-bench-") as tmpname:
        tmp = Path(tmpname)
        results.append(bench_dataset("full", args.data.resolve(), cli, tmp, args.database_url, twice=True))
        if not args.skip_scale:
            scale = args.scale_dir
            if scale is None:
                scale = tmp / "scale"
                t = time.perf_counter()
                gen = [sys.executable, "-m", "bench.make_scale_data", "--n", str(args.n),
                       "--out", str(scale), "--data", str(args.data)]
                subprocess.run(gen, check=True, stdout=subprocess.DEVNULL, cwd=REPO)
                print(f"generated {args.n:,} enterprises in {time.perf_counter() - t:.1f} s")
            title = f"{args.n // 1000}k" if args.scale_dir is None else scale.name[:10]
            results.append(bench_dataset("scale", scale.resolve(), cli, tmp, args.database_url, twice=False,
                                         title=title))
        ok = report(results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
