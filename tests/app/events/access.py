"""Who may call each event route (see tests/app/access.py). The matrix's integration token has only the read scope,
so every event route answers it 403; the limited operators reach no event of the fixture (no region, no chain)."""

from __future__ import annotations

from typing import Any

from tests.app.access import ANY, Access, Ctx, only
from tests.app.events.helpers import URL, ask, join, make_event, scheduled_event

ORGANISERS = {"admin": 200, "operator": 200}
HIDDEN = {"op_region": 404, "op_chain": 404}  # they reach no fixture event: it does not exist for them


def _scheduled(ctx: Ctx) -> tuple[Any, Any, Any]:
    return scheduled_event(ctx.session)


def _shared(ctx: Ctx) -> tuple[Any, Any, Any]:
    if "event" not in ctx.cache:
        ctx.cache["event"] = _scheduled(ctx)
    return ctx.cache["event"]  # type: ignore[no-any-return]


def _ev(ctx: Ctx) -> str:
    return f"{URL}/{_shared(ctx)[0].id}"


def _fresh(ctx: Ctx) -> str:
    return f"{URL}/{_scheduled(ctx)[0].id}"


def _open(ctx: Ctx) -> tuple[Any, Any]:
    event = make_event(ctx.session, status="open")
    people = {"leader": join(ctx.session, event, "100006"), "third": join(ctx.session, event, "100001"),
              "sme": join(ctx.session, event, "100002")}
    ctx.session.commit()
    return event, people


def _leader_p(ctx: Ctx, suffix: str) -> str:
    event, people, _ = _shared(ctx)
    return f"{URL}/{event.id}/participants/{people['leader'].id}{suffix}"


def _fresh_meeting(ctx: Ctx, suffix: str = "") -> str:
    event, _, m = _scheduled(ctx)
    return f"{URL}/{event.id}/meetings/{m.id}{suffix}"


def _fresh_participant(ctx: Ctx, suffix: str) -> str:
    event, people, _ = _scheduled(ctx)
    return f"{URL}/{event.id}/participants/{people['leader'].id}{suffix}"


def _answer(ctx: Ctx) -> str:
    event, people = _open(ctx)
    r = ask(ctx.session, event, people["sme"], people["leader"])
    ctx.session.commit()
    return f"{URL}/{event.id}/requests/{r.id}/answer"


def _to_third(ctx: Ctx) -> dict[str, Any]:
    return {"to_participant": ctx.cache["third"]}


def _open_requests(ctx: Ctx) -> str:
    event, people = _open(ctx)
    ctx.cache["third"] = people["third"].id
    return f"{URL}/{event.id}/requests"


ACCESS: dict[tuple[str, str], Access] = {
    ("POST", URL): Access(path=URL, body=lambda ctx: {"title": "对接会", "slots": [
        {"start": "2026-12-10T09:00:00", "end": "2026-12-10T09:30:00"}]},
        expected=only({"admin": 201, "operator": 201, "op_chain": 422})),
    ("GET", URL): Access(path=URL, expected=ANY | {"integration": 403}),
    ("GET", f"{URL}/stats"): Access(path=f"{URL}/stats",
                                    expected=only({**ORGANISERS, "op_region": 200, "op_chain": 200})),
    ("GET", f"{URL}/{{event_id}}"): Access(path=_ev, expected=only(
        {**ORGANISERS, "leader": 200, "sme": 200, "other_sme": 200, **HIDDEN})),
    ("PATCH", f"{URL}/{{event_id}}"): Access(path=_fresh, body=lambda ctx: {"venue": "青岛"},
                                             expected=only({**ORGANISERS, **HIDDEN})),
    ("POST", f"{URL}/{{event_id}}/transition"): Access(path=lambda ctx: f"{_fresh(ctx)}/transition",
                                                       body=lambda ctx: {"to": "running"},
                                                       expected=only({**ORGANISERS, **HIDDEN})),
    ("GET", f"{URL}/{{event_id}}/stats"): Access(path=lambda ctx: f"{_ev(ctx)}/stats",
                                                 expected=only({**ORGANISERS, **HIDDEN})),
    # A firm registers itself (the body names no firm); organisers must name one (422 here).
    ("POST", f"{URL}/{{event_id}}/participants"): Access(
        path=lambda ctx: f"{URL}/{make_event(ctx.session, status='open').id}/participants",
        body=lambda ctx: {}, expected=only({"admin": 422, "operator": 422, "leader": 201, "sme": 201,
                                            "other_sme": 201, **HIDDEN})),
    # The matrix sends JSON, not a file: organisers get 422 (no file), the others are stopped before.
    ("POST", f"{URL}/{{event_id}}/participants/import"): Access(
        path=lambda ctx: f"{_ev(ctx)}/participants/import",
        expected=only({"admin": 422, "operator": 422, "op_region": 422, "op_chain": 422})),
    ("PUT", f"{URL}/{{event_id}}/participants/external/{{external_id}}"): Access(
        path=lambda ctx: f"{URL}/{_open(ctx)[0].id}/participants/external/x-1",
        body=lambda ctx: {"enterprise": "100004"}, expected=only({"admin": 201, "operator": 201, **HIDDEN})),
    ("GET", f"{URL}/{{event_id}}/participants"): Access(
        path=lambda ctx: f"{_ev(ctx)}/participants",
        expected=only({**ORGANISERS, "leader": 200, "sme": 200, "other_sme": 200, **HIDDEN})),
    ("PATCH", f"{URL}/{{event_id}}/participants/{{participant_id}}"): Access(
        path=lambda ctx: _leader_p(ctx, ""), body=lambda ctx: {"topics": "采购碳酸锂"},
        expected=only({**ORGANISERS, "leader": 200, "sme": 404, "other_sme": 404, **HIDDEN})),
    ("GET", f"{URL}/{{event_id}}/participants/{{participant_id}}/suggestions"): Access(
        path=lambda ctx: _leader_p(ctx, "/suggestions"),
        expected=only({**ORGANISERS, "leader": 200, "sme": 404, "other_sme": 404, **HIDDEN})),
    # A firm asks as itself: the other SME is not registered (422), nor are the organisers' principals.
    ("POST", f"{URL}/{{event_id}}/requests"): Access(
        path=_open_requests, body=_to_third,
        expected=only({"admin": 422, "operator": 422, "leader": 201, "sme": 201, "other_sme": 422, **HIDDEN})),
    ("GET", f"{URL}/{{event_id}}/requests"): Access(
        path=lambda ctx: f"{_ev(ctx)}/requests",
        expected=only({**ORGANISERS, "leader": 200, "sme": 200, "other_sme": 200, **HIDDEN})),
    ("POST", f"{URL}/{{event_id}}/requests/{{request_id}}/answer"): Access(
        path=_answer, body=lambda ctx: {"accept": True},
        expected=only({**ORGANISERS, "leader": 200, "sme": 404, "other_sme": 404, **HIDDEN})),
    ("POST", f"{URL}/{{event_id}}/schedule"): Access(path=lambda ctx: f"{_fresh(ctx)}/schedule",
                                                     body=lambda ctx: {"seconds": 1},
                                                     expected=only({"admin": 202, "operator": 202, **HIDDEN})),
    ("GET", f"{URL}/{{event_id}}/meetings"): Access(
        path=lambda ctx: f"{_ev(ctx)}/meetings",
        expected=only({**ORGANISERS, "leader": 200, "sme": 200, "other_sme": 200, **HIDDEN})),
    ("PATCH", f"{URL}/{{event_id}}/meetings/{{meeting_id}}"): Access(
        path=_fresh_meeting, body=lambda ctx: {"locked": True}, expected=only({**ORGANISERS, **HIDDEN})),
    ("POST", f"{URL}/{{event_id}}/meetings/{{meeting_id}}/outcome"): Access(
        path=lambda ctx: _fresh_meeting(ctx, "/outcome"), body=lambda ctx: {"outcome": "intent"},
        expected=only({**ORGANISERS, "leader": 200, "sme": 200, "other_sme": 404, **HIDDEN})),
    ("POST", f"{URL}/{{event_id}}/participants/{{participant_id}}/check-in"): Access(
        path=lambda ctx: _fresh_participant(ctx, "/check-in"), expected=only({**ORGANISERS, **HIDDEN})),
    ("POST", f"{URL}/{{event_id}}/participants/{{participant_id}}/no-show"): Access(
        path=lambda ctx: _fresh_participant(ctx, "/no-show"), body=lambda ctx: {"slot": 0},
        expected=only({**ORGANISERS, **HIDDEN})),
    ("GET", f"{URL}/{{event_id}}/participants/{{participant_id}}/agenda"): Access(
        path=lambda ctx: _leader_p(ctx, "/agenda"),
        expected=only({**ORGANISERS, "leader": 200, "sme": 404, "other_sme": 404, **HIDDEN})),
    ("GET", f"{URL}/{{event_id}}/participants/{{participant_id}}/agenda.ics"): Access(
        path=lambda ctx: _leader_p(ctx, "/agenda.ics"),
        expected=only({**ORGANISERS, "leader": 200, "sme": 404, "other_sme": 404, **HIDDEN})),
    ("GET", f"{URL}/{{event_id}}/table-plan.xlsx"): Access(path=lambda ctx: f"{_ev(ctx)}/table-plan.xlsx",
                                                           expected=only({**ORGANISERS, **HIDDEN})),
}
