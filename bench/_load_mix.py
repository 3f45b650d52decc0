"""The mixed load of bench/load.py: who asks what, how each answer is classified, /health and memory beside it.

Mix (share of requests): match 35 %, SME feed 30 %, needs list 10 %, enterprise search 10 %, writes 15 %
(leaders post and edit needs and publish drafts, SMEs update their profile and express interest).
Errors are counted by kind: status >= 500, connection errors, timeouts, and 4xx the scenario does not expect
(an SME asking twice about the same need gets 409: expected, counted apart).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from bench._http_load import proc_status_kb, process_tree
from bench._lean_http import HttpError, LeanConnection

REQUEST_TIMEOUT = 30.0
# (route label, weight in %): reads, then writes adding up to 15 %.
# Reference routes for bench/route_cost.py (not in the mix): the cheapest authenticated read and the open probe.
REFERENCE_ROUTES = {"me": "/api/v1/me", "health": "/health"}
MIX = [("match", 35), ("sme_feed", 30), ("needs_list", 10), ("enterprise_search", 10),
       ("write_need_create", 3), ("write_need_edit", 2), ("write_need_publish", 1),
       ("write_profile", 4), ("write_interest", 5)]
LEARNS_FROM = frozenset({"sme_feed", "write_need_create"})  # see Scenario.learn
EXPECTED_4XX = {"write_interest": {409}, "write_need_publish": {409}}


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    expected_4xx: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # kind -> route -> "status error-text" -> count
    errors: dict[str, dict[str, dict[str, int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))

    def add(self, route: str, dt: float, status: int, text: str) -> None:
        with self.lock:
            self.times[route].append(dt)
            if 200 <= status < 300:
                return
            if status in EXPECTED_4XX.get(route, ()):
                self.expected_4xx[route] += 1
                return
            kind = "5xx" if status >= 500 else "unexpected_4xx" if status >= 400 else "other"
            self.errors[kind][route][f"{status} {text[:160]}"] += 1

    def failure(self, route: str, dt: float, kind: str, text: str) -> None:
        with self.lock:
            self.times[route].append(dt)
            self.errors[kind][route][text[:160]] += 1


class Scenario:
    """Per-client state: the drafts a leader made, the feed an SME last saw."""

    def __init__(self, seed: dict, queries: list[dict], rng: random.Random) -> None:
        self.seed, self.queries, self.rng = seed, queries, rng
        self.drafts: dict[str, list[int]] = defaultdict(list)
        self.feed: dict[str, list[int]] = defaultdict(list)

    def _leader(self) -> dict:
        return self.rng.choice(self.seed["tokens"]["leaders"])  # type: ignore[no-any-return]

    def _sme(self) -> dict:
        return self.rng.choice(self.seed["tokens"]["smes"])  # type: ignore[no-any-return]

    def request(self, route: str, leader: dict | None = None) -> tuple[str, str, str, str, dict | None, dict | None]:
        """(route, token, method, path, params, json body) for one request of the route; a leader without a draft
        to edit or publish posts one instead, so the route can change to write_need_create."""
        r, s = self.rng, self.seed
        if route in REFERENCE_ROUTES:  # not in the mix: what any authenticated request costs (bench/route_cost.py)
            return route, self._sme()["token"], "GET", REFERENCE_ROUTES[route], None, None
        if route == "match":
            return route, self._leader()["token"], "POST", "/api/v1/match", None, r.choice(self.queries)
        if route == "sme_feed":
            sme = self._sme()
            params = {"limit": 20} | ({"kind": r.choice(("procurement", "cooperation"))} if r.random() < 0.2 else {})
            return route, sme["token"], "GET", "/api/v1/me/opportunities", params | {"_who": sme["code"]}, None
        if route == "needs_list":
            who = r.random()
            token = (self._leader()["token"] if who < 0.4 else self._sme()["token"] if who < 0.8
                     else s["tokens"]["operator"])
            params: dict = {"limit": 20}
            if r.random() < 0.3:
                params["q"] = r.choice(s["products"][:100])
            if r.random() < 0.3:
                params["status"] = "published"
            return route, token, "GET", "/api/v1/needs", params, None
        if route == "enterprise_search":
            params = {"limit": 20, "q": r.choice(s["products"]) if r.random() < 0.6 else r.choice(s["firm_words"])}
            if r.random() < 0.3:
                params["kind"] = "sme"
            if r.random() < 0.2:
                params["tier"] = r.choice(("innovative", "provincial", "little_giant"))
            if r.random() < 0.2:
                params["region"] = r.choice(s["provinces"])
            if r.random() < 0.1:
                params["offset"] = 20
            token = s["tokens"]["operator"] if r.random() < 0.3 else self._sme()["token"]
            return route, token, "GET", "/api/v1/enterprises", params, None
        if route == "write_need_create":
            leader = leader or self._leader()
            body = dict(r.choice(s["need_bodies"]))
            body["quantity"] = f"每月{r.randint(10, 900)}吨"
            return route, leader["token"], "POST", "/api/v1/needs", {"_who": leader["code"]}, body
        if route == "write_need_edit":
            leader = self._leader()
            if self.drafts[leader["code"]]:
                need_id = r.choice(self.drafts[leader["code"]])
                edit = {"quantity": f"每月{r.randint(10, 900)}吨",
                        "description": r.choice(s["need_bodies"])["description"]}
                return route, leader["token"], "PATCH", f"/api/v1/needs/{need_id}", None, edit
            return self.request("write_need_create", leader)
        if route == "write_need_publish":
            leader = self._leader()
            if self.drafts[leader["code"]]:
                need_id = self.drafts[leader["code"]].pop()
                return route, leader["token"], "POST", f"/api/v1/needs/{need_id}/publish", None, {"top_n": 50}
            return self.request("write_need_create", leader)
        if route == "write_profile":
            sme = self._sme()
            return route, sme["token"], "PATCH", f"/api/v1/enterprises/{sme['code']}", None, \
                {"description": f"主营{r.choice(s['products'])}，年产能{r.randint(1, 99)}万吨，欢迎洽谈配套合作。",
                 "contact": {"name": "王经理", "phone": f"1380000{r.randint(1000, 9999)}"}}
        sme = self._sme()
        need_id = r.choice(self.feed[sme["code"]] or s["need_ids"])
        return route, sme["token"], "POST", f"/api/v1/me/opportunities/{need_id}/interest", None, \
            {"message": "我司具备相关产品的稳定供货能力，希望进一步沟通。"}

    async def send(self, http: LeanConnection, route: str) -> tuple[str, float, int, bytes, str]:
        """One request of the route: (label, seconds, status, body, failure: "timeout", "connection" or "");
        the scenario learns from the answer after the clock has stopped."""
        label, token, method, path, params, body = self.request(route)
        query = {k: v for k, v in (params or {}).items() if not k.startswith("_")}
        t = time.perf_counter()
        try:
            status, data = await http.request(method, path, params=query or None, json_body=body,
                                              headers={"Authorization": f"Bearer {token}"})
        except TimeoutError as exc:
            return label, time.perf_counter() - t, 0, repr(exc).encode(), "timeout"
        except HttpError as exc:
            return label, time.perf_counter() - t, 0, str(exc).encode(), "connection"
        dt = time.perf_counter() - t
        if 200 <= status < 300 and label in LEARNS_FROM:  # parse only the answers the scenario reads
            with contextlib.suppress(ValueError):
                self.learn(label, params, body, status, json.loads(data))
        return label, dt, status, data, ""

    def learn(self, route: str, params: dict | None, body: dict | None, status: int, data: object) -> None:
        if not isinstance(data, dict):
            return
        if route == "sme_feed" and params and status == 200:
            self.feed[params["_who"]] = [it["need"]["id"] for it in data.get("items", [])]
        elif route == "write_need_create" and status == 201 and params:
            self.drafts[params["_who"]].append(int(data["id"]))


def run_mix(base: str, seed: dict, queries: list[dict], clients: int, duration: float, stats: Stats) -> float:
    """``clients`` simulated clients, each on its own keep-alive connection, drawing routes from MIX until
    ``duration`` seconds are over; returns the wall time. One asyncio loop (uvloop when installed) drives them all:
    the generator shares the server's cores, so it must cost little per request (bench/_lean_http.py)."""
    try:
        import uvloop

        return uvloop.run(_run_mix(base, seed, queries, clients, duration, stats))
    except ImportError:
        return asyncio.run(_run_mix(base, seed, queries, clients, duration, stats))


async def _run_mix(base: str, seed: dict, queries: list[dict], clients: int, duration: float, stats: Stats) -> float:
    routes, weights = zip(*MIX, strict=True)
    conns = [LeanConnection(base, REQUEST_TIMEOUT) for _ in range(clients)]
    # every connection is open before the clock starts, as the threads' clients were
    await asyncio.gather(*(c.request("GET", "/health") for c in conns))
    stop_at = time.perf_counter() + duration

    async def client(k: int, http: LeanConnection) -> None:
        rng = random.Random(1000 + k)
        scen = Scenario(seed, queries, rng)
        while time.perf_counter() < stop_at:
            label, dt, status, data, failed = await scen.send(http, rng.choices(routes, weights)[0])
            if failed:
                stats.failure(label, dt, failed, data.decode("utf-8", "replace"))
            else:
                stats.add(label, dt, status, "" if 200 <= status < 300 else data.decode("utf-8", "replace"))
        await http.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(k, c) for k, c in enumerate(conns)))
    return time.perf_counter() - t0


class Watcher:
    """Probes /health every ``every`` seconds and samples each server process's RSS, until stopped."""

    def __init__(self, base: str, server_pid: int, every: float = 0.5) -> None:
        self.base, self.pid, self.every = base, server_pid, every
        self.health: list[tuple[float, float, int]] = []  # (t, seconds, status; 0 = failed)
        self.rss: list[tuple[float, dict[int, int]]] = []  # (t, {pid: kB})
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._probe, daemon=True),
                         threading.Thread(target=self._sample, daemon=True)]
        self._t0 = time.perf_counter()

    def start(self) -> Watcher:
        for th in self._threads:
            th.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for th in self._threads:
            th.join()

    def _probe(self) -> None:
        import httpx

        with httpx.Client(base_url=self.base, timeout=REQUEST_TIMEOUT) as http:
            while not self._stop.wait(self.every):
                t = time.perf_counter()
                try:
                    status = http.get("/health").status_code
                except httpx.HTTPError:
                    status = 0
                self.health.append((t - self._t0, time.perf_counter() - t, status))

    def _sample(self) -> None:
        while not self._stop.wait(1.0):
            tree = process_tree(self.pid)
            self.rss.append((time.perf_counter() - self._t0, {p: proc_status_kb(p, "VmRSS") for p in tree}))
