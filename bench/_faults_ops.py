"""Scenarios of bench/faults.py about operations: database outage, worker killed mid-job, login flood."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections import Counter
from typing import Any

from bench._faults_env import Ctx, Report, Server, query
from bench._faults_http import Answer, call, client, fmt_ms, kinds, ms, settled
from bench._faults_writes import _need, _payload

RECOVERY_S = 10.0  # the bar: no errors once the database has been back this long
PROBE_S = 0.25  # the login flood's /me probe interval


# --------------------------------------------------------------------------------------------------- outage
def outage(ctx: Ctx) -> Report:
    """Four clients read and write while the database goes away for a while and comes back."""
    before_s, down_s, after_s = (3.0, 6.0, 14.0) if ctx.quick else (5.0, 10.0, 20.0)
    rep = Report()
    srv, url = ctx.server("outage")
    srv.start()
    leader, nodes = ctx.token("leader"), ctx.info["nodes"]
    stop, lock = threading.Event(), threading.Lock()
    answers: list[Answer] = []

    def load(k: int) -> None:
        # Keep-alive clients, as a real integration has: connections the server drops show up as such.
        with client(srv.base, leader, timeout=15) as c:
            i = 0
            while not stop.is_set():
                if i % 4 == 0:
                    a = call(c, "POST", "/api/v1/needs", json=_need(f"停库期间 {k}-{i}", nodes[i % len(nodes)]))
                else:
                    a = call(c, "GET", "/api/v1/needs", params={"limit": 5})
                i += 1
                with lock:
                    answers.append(a)
                if a.status == 0:
                    time.sleep(0.05)  # a refused connection returns at once: do not spin

    threads = [threading.Thread(target=load, args=(k,), daemon=True) for k in range(4)]
    for th in threads:
        th.start()
    time.sleep(before_s)
    t_down = time.monotonic()
    ctx.backend.outage_begin(url)
    time.sleep(down_s)
    ctx.backend.outage_end()
    t_up = time.monotonic()
    time.sleep(after_s)
    stop.set()
    for th in threads:
        th.join(30)
    srv.stop()

    by: dict[str, list[Answer]] = {p: [] for p in ("before", "outage", "recovery", "after")}
    for a in answers:
        by[phase(a, t_down, t_up)].append(a)
    bad_outage = [a for a in by["outage"] if not (200 <= a.status < 300 or (a.status == 503 and a.envelope))]
    bad_after = [a for a in by["after"] if not 200 <= a.status < 300]
    first_ok = min((a.sent + a.seconds - t_up for a in by["recovery"] + by["after"] if 200 <= a.status < 300),
                   default=None)
    last_bad = max((a.sent - t_up for a in by["recovery"] + by["after"] if not 200 <= a.status < 300), default=None)
    rep.data |= {"fault": ctx.backend.outage_kind, "down_s": t_up - t_down,
                 **{p: dict(Counter(a.kind() for a in xs)) for p, xs in by.items()},
                 "outage_not_503_envelope": len(bad_outage), "after_errors": len(bad_after),
                 "first_2xx_after_up_s": first_ok, "last_error_after_up_s": last_bad,
                 "outage_max_ms": max((a.seconds * 1000 for a in by["outage"]), default=None)}
    rep.row("fault", f"{ctx.backend.outage_kind}, {t_up - t_down:.0f} s")
    rep.row("answers before", kinds(by["before"]))
    rep.row("answers during (in flight while the database was away)", kinds(by["outage"]))
    rep.row("during: answers neither 2xx nor 503 in the envelope", len(bad_outage), "0", len(bad_outage) == 0)
    rep.row("slowest answer during", f"{rep.data['outage_max_ms'] or 0:.0f} ms")
    rep.row(f"answers in the first {RECOVERY_S:.0f} s after it came back", kinds(by["recovery"]))
    rep.row(f"answers later ({after_s - RECOVERY_S:.0f} s)", kinds(by["after"]))
    rep.row(f"errors more than {RECOVERY_S:.0f} s after it came back", len(bad_after), "0", len(bad_after) == 0)
    rep.row("first 2xx / last error, seconds after it came back",
            f"{_s(first_ok)} / {_s(last_bad) if last_bad is not None else 'none'}")
    return rep


def phase(a: Answer, t_down: float, t_up: float) -> str:
    """Which part of the outage an answer belongs to, by when its request was in flight."""
    if a.sent + a.seconds < t_down:
        return "before"
    if a.sent <= t_up:
        return "outage"  # in flight at some moment while the database was away
    return "recovery" if a.sent - t_up <= RECOVERY_S else "after"


def _s(x: float | None) -> str:
    return "never" if x is None else f"{x:.1f} s"


# -------------------------------------------------------------------------------------------------- job kill
def _catalogue_csv(rows: int, nodes: list[str], poster: str) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["需求类型", "需求名称", "需求描述", "产业链环节", "发布单位"])
    for i in range(rows):
        node = nodes[i % len(nodes)]
        w.writerow(["大宗物资采购", f"作业中断测试 {i} {node}", f"采购{node}，要求稳定供货。", node, poster])
    return out.getvalue().encode("utf-8")


def _wait_job(base: str, token: str, job_id: int, until: float, *, want: Any) -> tuple[dict[str, Any], float]:
    """Poll the job until want(job) or the deadline; returns the last job seen and when it was seen."""
    job: dict[str, Any] = {}
    with client(base, token, timeout=5) as c:
        while time.monotonic() < until:
            a = call(c, "GET", f"/api/v1/jobs/{job_id}")
            if a.status == 200:
                job = a.body
                if want(job):
                    break
            time.sleep(0.1)
    return job, time.monotonic()


def job_kill(ctx: Ctx) -> Report:
    """Publish a large catalogue; SIGKILL the whole server (every worker) once the job has made progress,
    restart it, and time until the job is done; then count deliveries per (need, firm)."""
    items, top_n, wait_s = (150, 100, 32.0) if ctx.quick else (250, 100, 35.0)
    rep = Report()
    srv, url = ctx.server("job")
    srv.start()
    op = ctx.token("operator")
    with client(srv.base, op, timeout=120) as c:
        a = call(c, "POST", "/api/v1/catalogues", json={"chain": ctx.info["chain"], "period": "2031Q1",
                                                        "title": "作业中断测试目录", "top_n": top_n})
        if a.status != 201:
            raise RuntimeError(f"could not create the catalogue: {a.kind()} {a.body}")
        cid = int(a.body["id"])
        data = _catalogue_csv(items, ctx.info["nodes"], ctx.info["leader_code"])
        a = settled(c, "POST", f"/api/v1/catalogues/{cid}/import", files={"file": ("items.csv", data, "text/csv")})
        if a.status != 201:
            raise RuntimeError(f"could not import the items: {a.kind()} {str(a.body)[:500]}")
        settled(c, "GET", f"/api/v1/catalogues/{cid}/history")  # the import's commit, wherever it lands
        settled(c, "POST", f"/api/v1/catalogues/{cid}/submit")
        time.sleep(0.5)
        t_pub = time.monotonic()
        a = settled(c, "POST", f"/api/v1/catalogues/{cid}/publish")
        if a.status != 202:
            raise RuntimeError(f"could not publish: {a.kind()} {a.body}")
        job_id = int(a.body["job"]["id"])
    job, _ = _wait_job(srv.base, op, job_id, time.monotonic() + 60, want=lambda j: j["done"] > 0)
    if job.get("status") == "done":
        raise RuntimeError(f"the job finished before the kill ({items} items): make the catalogue larger")
    srv.kill9()
    t_kill = time.monotonic()
    rep.data |= {"items": items, "top_n": top_n, "done_at_kill": job.get("done"), "status_at_kill": job.get("status"),
                 "seconds_publish_to_kill": t_kill - t_pub}
    restart_s = srv.start()
    t_ready = time.monotonic()
    # Timed from the restart being ready: under load the restart alone may take longer than the bar.
    job, t_end = _wait_job(srv.base, op, job_id, t_ready + wait_s, want=lambda j: j["status"] in ("done", "failed"))
    finished = job.get("status") in ("done", "failed")
    rep.data |= {"restart_s": restart_s, "status_after_wait": job.get("status"), "attempts": job.get("attempts"),
                 "done_after_wait": job.get("done"), "ready_to_finish_s": t_end - t_ready if finished else None,
                 "kill_to_finish_s": t_end - t_kill if finished else None}
    srv.stop()
    rep.row("catalogue published", f"{items} items × top {top_n} firms")
    rep.row("job progress when every worker got SIGKILL",
            f"{job_done(rep.data['done_at_kill'], items)}, "
            f"{rep.data['seconds_publish_to_kill']:.1f} s after publishing")
    rep.row("restart until ready", f"{restart_s:.1f} s")
    rep.row("the job, counted from the restart being ready",
            f"{job.get('status')} after {t_end - t_ready:.1f} s, {job_done(job.get('done'), items)}, "
            f"attempt {job.get('attempts')}", "done ≤ 30 s", finished and t_end - t_ready <= 30)
    if not finished:
        # Only to count duplicates on a finished job: one worker (no one to race it) that takes the dead
        # worker's job over after 2 s instead of 120 s.
        late: Server
        late, _ = ctx.server("job-finish", url=url, workers=1, job_stale_seconds="2")
        late.start()
        job, _ = _wait_job(late.base, op, job_id, time.monotonic() + 90,
                                want=lambda j: j["status"] in ("done", "failed"))
        late.stop()
        rep.data["finished_with_stale_2s"] = job.get("status")
        rep.row("then, restarted with 1 worker and job_stale_seconds=2 (to check the resumed delivery)",
                f"{job.get('status')}, {job_done(job.get('done'), items)}, attempt {job.get('attempts')}")
    dup_opp, dup_note, announced, published = _deliveries(url, cid)
    rep.data |= {"opportunity_duplicates": dup_opp, "notification_duplicates": dup_note,
                 "catalogue_announcements_max": max(announced.values(), default=0), "needs_published": published}
    rep.row("(need, firm) delivered twice: opportunities / opportunity.new notifications",
            f"{dup_opp} / {dup_note}", "0", dup_opp == 0 and dup_note == 0)
    rep.row("needs published / catalogue.published notifications per recipient (max)",
            f"{published} / {max(announced.values(), default=0)}")
    return rep


def job_done(done: Any, total: int) -> str:
    return f"{done if done is not None else '?'}/{total} items"


def _deliveries(url: str, catalogue_id: int) -> tuple[int, int, Counter[Any], int]:
    needs = {n for (n,) in query(url, "SELECT id FROM needs WHERE catalogue_id = :c", c=catalogue_id)}
    pairs = Counter((n, e) for (n, e) in query(url, "SELECT need_id, enterprise_id FROM opportunities") if n in needs)
    notes = Counter((_payload(p).get("need_id"), org) for org, p in
                    query(url, "SELECT org_id, payload FROM notifications WHERE event = 'opportunity.new'")
                    if _payload(p).get("need_id") in needs)
    announced = Counter((org, who) for org, who, p in
                        query(url, "SELECT org_id, principal_id, payload FROM notifications "
                                   "WHERE event = 'catalogue.published'")
                        if _payload(p).get("catalogue_id") == catalogue_id)
    published = int(query(url, "SELECT count(*) FROM needs WHERE catalogue_id = :c AND status = 'published'",
                          c=catalogue_id)[0][0])
    return (sum(1 for v in pairs.values() if v > 1), sum(1 for v in notes.values() if v > 1), announced, published)


# ---------------------------------------------------------------------------------------------- login flood
def login_flood(ctx: Ctx) -> Report:
    """40 clients send wrong passwords to the web login for a while; meanwhile GET /api/v1/me is timed from
    another loopback address (so per-IP limits tell the two apart). Rate limits stay at their defaults.

    The /me probe is open-loop: one request every PROBE_S, each on its own connection and thread, so one slow
    answer does not hide the ones after it (a closed loop would take a single sample during a 10 s stall)."""
    before_s, flood_s, flooders = (3.0, 8.0, 40) if ctx.quick else (5.0, 20.0, 40)
    rep = Report()
    srv, _ = ctx.server("login", rate_limits=True)
    srv.start()
    me: dict[str, list[Answer]] = {"before": [], "during": []}
    logins: list[Answer] = []
    lock, over = threading.Lock(), threading.Event()

    def probe(phase: str) -> None:
        with client(srv.base, ctx.token("sme"), fresh=True, local="127.0.0.2") as c:
            a = call(c, "GET", "/api/v1/me")
        with lock:
            me[phase].append(a)

    def time_me(phase: str, until: float) -> list[threading.Thread]:
        fired = []
        while time.monotonic() < until:
            th = threading.Thread(target=probe, args=(phase,), daemon=True)
            th.start()
            fired.append(th)
            time.sleep(PROBE_S)
        return fired

    for th in time_me("before", time.monotonic() + before_s):
        th.join(30)
    flood_end = time.monotonic() + flood_s

    def flood() -> None:
        with client(srv.base) as c:
            call(c, "GET", "/login")
            form = {"login": ctx.info["web_login"], "password": "错误的密码-wrong",
                    "csrf": c.cookies.get("cm_csrf", "")}
            while time.monotonic() < flood_end:
                a = call(c, "POST", "/login", data=form)
                with lock:
                    if not over.is_set():
                        logins.append(a)

    attackers = [threading.Thread(target=flood, daemon=True) for _ in range(flooders)]
    for th in attackers:
        th.start()
    probes = time_me("during", flood_end)
    for th in probes:
        th.join(max(1.0, flood_end + 30 - time.monotonic()))
    # Logins still queued are of no interest: stopping the server ends them instead of waiting them out.
    over.set()
    srv.stop()
    for th in attackers:
        th.join(30)
    before, during = ([a.seconds for a in me[p] if a.status == 200] for p in ("before", "during"))
    p95 = ms(during, 95)
    rep.data |= {"flooders": flooders, "flood_s": flood_s, "logins": dict(Counter(a.kind(False) for a in logins)),
                 "login_ms": [a.seconds * 1000 for a in logins],
                 "me_before": dict(Counter(a.kind() for a in me["before"])),
                 "me_during": dict(Counter(a.kind() for a in me["during"])), "me_before_p50_ms": ms(before, 50),
                 "me_before_p95_ms": ms(before, 95), "me_during_p50_ms": ms(during, 50), "me_during_p95_ms": p95,
                 "me_during_max_ms": ms(during, 100)}
    rep.row(f"wrong-password logins, {flooders} clients, {flood_s:.0f} s: answers", kinds(logins, judge=False))
    rep.row("login answers per second; login p50 / p95", f"{len(logins) / flood_s:.1f}/s; "
                                                         f"{fmt_ms([a.seconds for a in logins])}")
    rep.row(f"GET /api/v1/me every {PROBE_S * 1000:.0f} ms: p50 / p95 before", fmt_ms(before))
    rep.row(f"GET /api/v1/me every {PROBE_S * 1000:.0f} ms: p50 / p95 / max during", fmt_ms(during, (50, 95, 100)),
            "p95 ≤ 1 s", p95 is not None and p95 <= 1000 and len(during) == len(me["during"]))
    rep.row("GET /api/v1/me answers before; during", f"{kinds(me['before'])}; {kinds(me['during'])}")
    return rep
