"""Scenarios of bench/faults.py about writes: read-your-writes, kill -9 after acknowledgement, duplicates."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from typing import Any

from bench._faults_env import Ctx, Report, query
from bench._faults_http import Answer, call, client, fmt_ms, kinds, settled, together

# What "one effect" counts, per case.
EFFECTS = {"need_publish": "versions written (+ firms notified twice)",
           "interest": "interest.received notifications", "catalogue_publish": "publication jobs"}
# Effects are counted this long after the answers: a commit that lands just after its response is not a loss.
SETTLE_S = 0.3


def _need(title: str, node: str) -> dict[str, Any]:
    return {"kind": "procurement", "title": title, "nodes": [node], "description": "故障基准测试生成的需求"}


def _payload(value: Any) -> dict[str, Any]:
    """A JSON column as a dict: SQLite hands back text, PostgreSQL the parsed value."""
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


# ------------------------------------------------------------------------------------------ read your writes
def read_your_writes(ctx: Ctx) -> Report:
    """POST a need, then GET it at once on a new connection (either worker); a 404 is a miss."""
    total, threads = (200, 4) if ctx.quick else (1000, 4)
    rep = Report()
    srv, _ = ctx.server("ryw")
    rep.data["startup_s"] = srv.start()
    leader, nodes = ctx.token("leader"), ctx.info["nodes"]
    deadline = time.monotonic() + (60 if ctx.quick else 150)
    lock, todo = threading.Lock(), iter(range(total))
    posts: list[Answer] = []
    gets: list[Answer] = []

    def worker() -> None:
        with client(srv.base, leader, fresh=True) as c:
            while time.monotonic() < deadline:
                with lock:
                    i = next(todo, None)
                if i is None:
                    return
                a = call(c, "POST", "/api/v1/needs", json=_need(f"读写一致性 {i}", nodes[i % len(nodes)]))
                b = call(c, "GET", f"/api/v1/needs/{a.body['id']}") if a.status == 201 else None
                with lock:
                    posts.append(a)
                    if b is not None:
                        gets.append(b)

    together([worker] * threads, timeout=deadline - time.monotonic() + 60)
    srv.stop()
    misses = sum(1 for g in gets if g.status != 200)
    rep.data |= {"pairs": len(posts), "acknowledged": len(gets), "misses": misses,
                 "post": Counter(a.kind() for a in posts), "get": Counter(g.kind() for g in gets),
                 "post_ms": [a.seconds * 1000 for a in posts], "get_ms": [g.seconds * 1000 for g in gets]}
    rep.row("writes acknowledged (201) / attempted", f"{len(gets)} / {len(posts)}")
    rep.row("POST /api/v1/needs answers", kinds(posts))
    rep.row("GET of the new id at once, new connection: answers", kinds(gets))
    rep.row("misses (acknowledged, then not read back: 404 or an error)", misses, "0 in 1,000",
            misses == 0 and len(gets) >= 1000 if not ctx.quick else None)
    rep.row("POST p50 / p95; GET p50 / p95", f"{fmt_ms([a.seconds for a in posts])}; "
                                            f"{fmt_ms([g.seconds for g in gets])}")
    return rep


# ---------------------------------------------------------------------------------------- kill after ack
def kill_after_ack(ctx: Ctx) -> Report:
    """Writers post needs; right after the Nth 201 of a round the whole server gets SIGKILL, then it restarts
    on the same database and every acknowledged need must be there with its own title (ids not reused)."""
    rounds, per_round, writers = (2, 10, 4) if ctx.quick else (5, 10, 4)
    rep = Report()
    srv, _ = ctx.server("kill")
    srv.start()
    leader, nodes = ctx.token("leader"), ctx.info["nodes"]
    acked: list[tuple[int, str]] = []
    lost: list[int] = []
    reused_titles, reused_ids, unknown, restarts = 0, 0, Counter[str](), []
    for r in range(rounds):
        stop, lock = threading.Event(), threading.Lock()
        mine: list[tuple[int, str]] = []
        deadline = time.monotonic() + 30

        def writer(k: int, r: int = r, stop: threading.Event = stop, lock: threading.Lock = lock,
                   mine: list[tuple[int, str]] = mine, deadline: float = deadline) -> None:
            with client(srv.base, leader, fresh=True, timeout=10) as c:
                n = 0
                while not stop.is_set() and time.monotonic() < deadline:
                    title = f"断电前已确认 {r}-{k}-{n}-{uuid.uuid4().hex[:6]}"
                    n += 1
                    a = call(c, "POST", "/api/v1/needs", json=_need(title, nodes[n % len(nodes)]))
                    if a.status != 201:
                        continue
                    with lock:
                        mine.append((int(a.body["id"]), title))  # acknowledged, even if the kill came first
                        if len(mine) >= per_round and not stop.is_set():
                            stop.set()
                            srv.kill9()

        together([lambda k=k: writer(k) for k in range(writers)], timeout=60)
        if not stop.is_set():
            srv.kill9()
        restarts.append(srv.start())
        with client(srv.base, leader) as c:
            for need_id, title in mine:
                g = call(c, "GET", f"/api/v1/needs/{need_id}")
                if g.status == 200 and g.body.get("title") == title:
                    continue
                if g.status == 200:
                    reused_titles += 1
                    lost.append(need_id)
                elif g.status == 404:
                    lost.append(need_id)
                else:
                    unknown[g.kind()] += 1
            # A lost row's id handed out again would make an acknowledged id point at someone else's need.
            probe = call(c, "POST", "/api/v1/needs", json=_need(f"重启后新建 {r}", nodes[0]))
            if probe.status == 201 and int(probe.body["id"]) in lost:
                reused_ids += 1
        acked += mine
    srv.stop()
    rep.data |= {"rounds": rounds, "acknowledged": len(acked), "lost": len(lost), "lost_ids": lost,
                 "other_title_at_id": reused_titles, "new_need_got_lost_id": reused_ids,
                 "unverifiable": dict(unknown), "restart_s": restarts}
    rep.row("acknowledged needs checked after SIGKILL + restart", f"{len(acked)} in {rounds} kills")
    rep.row("lost (404, or another need at the id)", len(lost), "0 in 50",
            len(lost) == 0 and not unknown if not ctx.quick else None)
    rep.row("ids handed out again after the restart", reused_ids, "0", reused_ids == 0)
    if unknown:
        rep.row("acknowledged needs not verifiable", ", ".join(f"{k}: {v}" for k, v in unknown.items()))
    rep.row("restart until ready (each worker, index built)", f"{min(restarts):.1f}–{max(restarts):.1f} s")
    return rep


# ---------------------------------------------------------------------------------------------- duplicates
def _trial(rep: dict[str, Any], answers: list[Any], ok: int, effects: int) -> None:
    got = [a for a in answers if isinstance(a, Answer)]
    rep.setdefault("answers", Counter()).update(a.kind() for a in got)
    rep["harness_errors"] = rep.get("harness_errors", 0) + len(answers) - len(got)
    rep["server_errors"] = rep.get("server_errors", 0) + sum(1 for a in got if a.status >= 500 or a.status == 0)
    wins = sum(1 for a in got if a.status == ok)
    rep["trials"] = rep.get("trials", 0) + 1
    rep["exactly_one"] = rep.get("exactly_one", 0) + (wins == 1 and effects == 1)
    rep["effects"] = rep.get("effects", []) + [effects]


def duplicates(ctx: Ctx) -> Report:
    """The same action sent at the same instant on separate connections: one must win, the others get 409
    (never 500), and it must take effect once. Plus 16 simultaneous writers of different needs."""
    trials = 3 if ctx.quick else 10
    rep = Report()
    srv, url = ctx.server("dup")
    srv.start()
    leader, sme, op, nodes = ctx.token("leader"), ctx.token("sme"), ctx.token("operator"), ctx.info["nodes"]
    cases: dict[str, dict[str, Any]] = {k: {} for k in ("need_publish", "interest", "catalogue_publish", "writers")}

    def fire(token: str, n: int, method: str, path: str, **kw: Any) -> list[Any]:
        return _requests_at_once(srv.base, [(token, method, path, kw)] * n)

    def count(sql: str, **params: Any) -> int:
        return int(query(url, sql, **params)[0][0])

    def notified(event: str, need_id: int) -> Counter[Any]:
        rows = query(url, "SELECT org_id, payload FROM notifications WHERE event = :e", e=event)
        return Counter(org for org, p in rows if _payload(p).get("need_id") == need_id)

    with client(srv.base, leader) as lc, client(srv.base, op) as oc:
        def draft(title: str, node: str) -> int:
            a = call(lc, "POST", "/api/v1/needs", json=_need(title, node))
            if a.status != 201:
                raise RuntimeError(f"could not post a need: {a.kind()} {a.body}")
            settled(lc, "GET", f"/api/v1/needs/{a.body['id']}")  # committed before the race starts
            return int(a.body["id"])

        for t in range(trials):
            # Three publications of one draft need.
            nid = draft(f"并发发布 {t}", nodes[t % len(nodes)])
            answers = fire(leader, 3, "POST", f"/api/v1/needs/{nid}/publish", json={"top_n": 20})
            time.sleep(SETTLE_S)
            versions = count("SELECT count(*) FROM need_versions WHERE need_id = :n", n=nid)
            twice = sum(1 for v in notified("opportunity.new", nid).values() if v > 1)
            _trial(cases["need_publish"], answers, 200, versions if twice == 0 else versions + twice)

            # Five expressions of interest by one SME in one published need.
            nid = draft(f"并发意向 {t}", nodes[t % len(nodes)])
            settled(lc, "POST", f"/api/v1/needs/{nid}/publish", json={"top_n": 20})
            time.sleep(SETTLE_S)
            answers = fire(sme, 5, "POST", f"/api/v1/me/opportunities/{nid}/interest", json={"message": "有意向合作"})
            time.sleep(SETTLE_S)
            _trial(cases["interest"], answers, 200, sum(notified("interest.received", nid).values()))

            # Three publications of one catalogue in review.
            a = call(oc, "POST", "/api/v1/catalogues", json={"chain": ctx.info["chain"], "period": f"{2030 + t}Q1",
                                                               "title": f"并发发布目录 {t}", "top_n": 5})
            if a.status != 201:
                raise RuntimeError(f"could not create a catalogue: {a.kind()} {a.body}")
            cid = int(a.body["id"])
            for k in range(2):
                item = draft(f"目录条目 {t}-{k}", nodes[k])
                settled(lc, "POST", f"/api/v1/catalogues/{cid}/items", json={"need": item})
            settled(oc, "POST", f"/api/v1/catalogues/{cid}/submit")
            time.sleep(SETTLE_S)
            answers = fire(op, 3, "POST", f"/api/v1/catalogues/{cid}/publish")
            time.sleep(SETTLE_S)
            jobs = sum(1 for (p,) in query(url, "SELECT params FROM jobs") if _payload(p).get("catalogue_id") == cid)
            _trial(cases["catalogue_publish"], answers, 202, jobs)

            # Sixteen writers of different needs at once (SQLite answered "database is locked" 500s).
            tag = uuid.uuid4().hex[:8]
            titles = [f"并发写入 {tag} {k}" for k in range(16)]
            answers = _requests_at_once(srv.base, [(leader, "POST", "/api/v1/needs", {"json": _need(t, nodes[0])})
                                                   for t in titles])
            time.sleep(SETTLE_S)
            stored = count("SELECT count(*) FROM needs WHERE title LIKE :p", p=f"并发写入 {tag} %")
            acked = sum(1 for a in answers if isinstance(a, Answer) and a.status == 201)
            _trial(cases["writers"], answers, 201, 1 if stored == acked else 0)
            cases["writers"]["acknowledged"] = cases["writers"].get("acknowledged", 0) + acked
    srv.stop()
    labels = {"need_publish": "3 × publish one need", "interest": "5 × interest in one need (one SME)",
              "catalogue_publish": "3 × publish one catalogue", "writers": "16 writers of different needs"}
    for key, c in cases.items():
        rep.data[key] = c
        rep.row(f"{labels[key]}: answers over {c['trials']} trials", kinds_of(c["answers"]))
        if key == "writers":
            rep.row(f"{labels[key]}: acknowledged / sent; trials with every 201 stored",
                    f"{c['acknowledged']} / {16 * c['trials']}; {sum(c['effects'])} / {c['trials']}")
        else:
            rep.row(f"{labels[key]}: trials with one winner and one effect", f"{c['exactly_one']} / {c['trials']}",
                    "all", c["exactly_one"] == c["trials"])
            rep.row(f"{labels[key]}: {EFFECTS[key]} per trial, most", max(c["effects"]), "1", max(c["effects"]) == 1)
        rep.row(f"{labels[key]}: 5xx or no answer", c["server_errors"], "0", c["server_errors"] == 0)
    return rep


def _requests_at_once(base: str, requests: list[tuple[str, str, str, dict[str, Any]]]) -> list[Any]:
    """Each request on its own client and connection, released together; the clients exist before the
    barrier, since making one costs milliseconds that would spread the requests apart."""
    clients = [client(base, token, fresh=True) for token, *_ in requests]
    try:
        return together([lambda c=c, r=r: call(c, r[1], r[2], **r[3]) for c, r in zip(clients, requests, strict=True)])
    finally:
        for c in clients:
            c.close()


def kinds_of(counter: Counter[str]) -> str:
    return ", ".join(f"{k}: {n}" for k, n in counter.most_common()) or "none"
