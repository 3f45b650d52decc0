"""Login flood: does the API stay responsive, and do workers keep their memory, while logins are hammered?

    python -m bench.login_flood [--clients 40] [--seconds 20] [--baseline 10] [--workers 2] [--redis URL]

A fresh SQLite demo database (`chainmatch demo --no-serve`) is served by `chainmatch serve --workers W` on
127.0.0.1. A probe calls GET /api/v1/me with the demo SME's token 8 times a second (under its 600/min limit),
each call on a new connection so both workers are sampled, from 127.0.0.2. Phases, one after another:
  * baseline: the probe alone;
  * flood, one address: --clients concurrent clients post wrong logins for unknown users from 127.0.0.1;
  * flood, many addresses: the same, each client from its own address (127.0.1.x), as a botnet would.
Each phase prints /me p50, p95 and max, the login answers by status, the machine's 1-minute load average at its
end (other processes share the cores), and each worker's RSS at its end and at its highest (sampled twice a
second). Loopback only; every phase is bounded in time and the script stops the
server itself. Figures are printed, never judged; the issue's bar is /me p95 <= 1 s during a flood.
Run it against other code with PYTHONPATH=/that/checkout (the server and the demo come from there).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

from bench._http_load import free_port, proc_status_kb, process_tree
from bench.common.cli import require_cli
from bench.common.stats import pct

PROBE_EVERY = 0.125
PROBE_ADDRESS = "127.0.0.2"
REQUEST_TIMEOUT = 60.0
START_TIMEOUT = 120.0


def seed(db: Path, env: dict[str, str]) -> str:
    out = subprocess.run([require_cli(), "demo", "--no-serve", "--db", str(db)], env=env, capture_output=True,
                         text=True, timeout=600, check=True).stdout
    found = re.search(r"sme\s+token: (\S+)", out)
    if not found:
        sys.exit(f"no SME token in the demo's output:\n{out}")
    return found.group(1)


def workers(server: subprocess.Popen[bytes]) -> list[int]:
    """The worker processes (the supervisor's children that loaded the app, not multiprocessing's helpers)."""
    return sorted(p for p in process_tree(server.pid) if p != server.pid and proc_status_kb(p, "VmRSS") > 50_000)


def rss_mb(pids: list[int]) -> list[float]:
    return [proc_status_kb(p, "VmRSS") / 1024 for p in pids]


async def probe(base: str, token: str, until: float, times: list[float], codes: Counter[int]) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=PROBE_ADDRESS)
    # A new connection for each call (no keep-alive): the kernel spreads them over the workers.
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, transport=transport, limits=limits, timeout=REQUEST_TIMEOUT,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        while time.monotonic() < until:
            started = time.perf_counter()
            try:
                codes[(await client.get("/api/v1/me")).status_code] += 1
            except httpx.HTTPError:
                codes[0] += 1
            took = time.perf_counter() - started
            times.append(took)
            await asyncio.sleep(max(0.0, PROBE_EVERY - took))


async def flooder(base: str, address: str, until: float, codes: Counter[int], times: list[float]) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(base_url=base, transport=transport, timeout=REQUEST_TIMEOUT) as client:
        try:
            page = await client.get("/login")
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        except httpx.HTTPError:
            csrf = None
        while time.monotonic() < until:
            form = {"login": f"nobody-{uuid.uuid4().hex[:10]}", "password": "not the password",
                    "csrf": csrf.group(1) if csrf else ""}
            started = time.perf_counter()
            try:
                codes[(await client.post("/login", data=form)).status_code] += 1
                times.append(time.perf_counter() - started)
            except httpx.HTTPError:
                codes[0] += 1


async def sample_rss(pids: list[int], until: float, peak: list[float]) -> None:
    while time.monotonic() < until:
        peak[:] = [max(a, b) for a, b in zip(peak, rss_mb(pids), strict=True)]
        await asyncio.sleep(0.5)


async def phase(base: str, token: str, pids: list[int], seconds: float, addresses: list[str]) -> dict:
    until = time.monotonic() + seconds
    me_times: list[float] = []
    me_codes: Counter[int] = Counter()
    login_codes: Counter[int] = Counter()
    login_times: list[float] = []
    peak = rss_mb(pids)
    tasks = [asyncio.create_task(flooder(base, a, until, login_codes, login_times)) for a in addresses]
    await asyncio.gather(probe(base, token, until, me_times, me_codes), sample_rss(pids, until, peak))
    # Logins still queued at the end are abandoned: the phase is bounded in time.
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"me": me_times, "me_codes": me_codes, "logins": login_codes, "login_times": login_times,
            "rss": rss_mb(pids), "peak": peak}


def report(name: str, res: dict) -> None:
    me = res["me"]
    ms = (f"{pct(me, 50) * 1000:7.0f} {pct(me, 95) * 1000:7.0f} {max(me) * 1000:7.0f}" if me
          else "      -       -       -")
    logins = " ".join(f"{code}:{n}" for code, n in sorted(res["logins"].items())) or "-"
    lt = res["login_times"]
    login_p50 = f"{pct(lt, 50) * 1000:.0f}" if lt else "-"
    rss = " / ".join(f"{now:.0f} ({top:.0f})" for now, top in zip(res["rss"], res["peak"], strict=True))
    bad = sum(n for code, n in res["me_codes"].items() if code != 200)
    load = os.getloadavg()[0]
    print(f"{name:<22} {len(me):>4} {ms}  {bad:>4}  {logins:<34} {login_p50:>6}  {load:5.1f}  {rss}", flush=True)


async def run(base: str, token: str, pids: list[int], args: argparse.Namespace) -> None:
    print(f"{'phase':<22} {'/me':>4} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  {'!200':>4}  "
          f"{'logins by status':<34} {'p50 ms':>6}  {'load':>5}  worker RSS MB now (peak)")
    report("baseline", await phase(base, token, pids, args.baseline, []))
    report("flood, 1 address", await phase(base, token, pids, args.seconds, ["127.0.0.1"] * args.clients))
    report("after, quiet", await phase(base, token, pids, args.pause, []))
    many = [f"127.0.1.{i + 1}" for i in range(args.clients)]
    report(f"flood, {args.clients} addresses", await phase(base, token, pids, args.seconds, many))
    report("after, quiet", await phase(base, token, pids, args.pause, []))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=40)
    ap.add_argument("--seconds", type=float, default=20.0, help="length of each flood")
    ap.add_argument("--baseline", type=float, default=10.0, help="length of the quiet baseline")
    ap.add_argument("--pause", type=float, default=5.0, help="quiet seconds after each flood")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--redis", help="CHAINMATCH_REDIS_URL for the server (default: counters in the database)")
    args = ap.parse_args()
    if not 1 <= args.clients <= 250:
        ap.error("--clients is 1..250 (one loopback address each in the many-address flood)")

    tmp = Path(tempfile.mkdtemp(prefix="chainmatch-loginflood-"))
    env = {**os.environ, "CHAINMATCH_DATABASE_URL": f"sqlite:///{tmp / 'demo.db'}",
           "CHAINMATCH_COOKIE_SECURE": "false", "CHAINMATCH_DISPATCH_WEBHOOKS": "false"}
    if args.redis:
        env |= {"CHAINMATCH_REDIS_URL": args.redis, "CHAINMATCH_COUNTER_PREFIX": f"bench-{uuid.uuid4().hex[:8]}:"}
    server = None
    try:
        token = seed(tmp / "demo.db", env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with (tmp / "server.log").open("wb") as log:
            server = subprocess.Popen([require_cli(), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers",
                                       str(args.workers)], env=env, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if all(httpx.get(f"{base}/health", timeout=5).json()["index"]["ready"] for _ in range(8)):
                    break
            except (httpx.HTTPError, KeyError, ValueError):
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit(f"server did not start:\n{(tmp / 'server.log').read_text()[-3000:]}")
            time.sleep(0.5)
        pids = workers(server)
        print(f"{args.workers} workers {pids} on {base}; counters in {'Redis' if args.redis else 'the database'}; "
              f"code from {os.environ.get('PYTHONPATH') or 'the installed package'}", flush=True)
        asyncio.run(run(base, token, pids, args))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
