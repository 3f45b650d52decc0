"""组阁揭榜: a team application counts only once every member firm has confirmed it.

Applying with members leaves the application ``awaiting_team`` and notifies each member; a member's SME users
accept or decline. When the last member accepts it becomes ``submitted`` and reaches the poster, as a lone
application does at once; a single decline ends it as ``team_declined``. Each answer is a step of the
application's history (``team.accept`` / ``team.decline`` with the member's code), which is also where the
answers are read from: one record, no second copy to drift.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.challenges.repository import ApplicationRepository
from app.core.audit import record, snapshot
from app.core.db import lock
from app.core.errors import Conflict, Forbidden, NotFound
from app.models import Application, Enterprise, Need, Principal
from app.models._types import utcnow
from app.notifications.outbox import emit

AWAITING, DECLINED = "awaiting_team", "team_declined"
FIELDS = ("status", "reason", "team", "proposal")
_ANSWERED = {"team.accept": "accepted", "team.decline": "declined"}


def answers(application: Application) -> dict[str, str]:
    """Each member's answer so far: accepted, declined or pending."""
    given = {s.get("org_code"): _ANSWERED[s["action"]] for s in application.history or []
             if s.get("action") in _ANSWERED}
    return {code: given.get(code, "pending") for code in application.team or []}


def invite(session: Session, application: Application, need: Need, applicant: Enterprise) -> None:
    """Tell each member firm it was named (called by ``apply`` for team applications)."""
    members = ApplicationRepository(session).codes(list(application.team or []))
    for code in application.team or []:
        emit(session, event="application.team_invited", org_id=members[code].id,
             payload={"application_id": application.id, "challenge_id": need.id, "title": need.title,
                      "applicant": applicant.name, "team": list(application.team or [])})


def _member(session: Session, principal: Principal) -> Enterprise:
    firm = session.get(Enterprise, principal.org_id) if principal.role == "sme" and principal.org_id else None
    if firm is None:
        raise Forbidden("only the member firms' SME users answer a team invitation")
    return firm


def answer(*, session: Session, app_id: int, accept: bool, principal: Principal) -> Application:
    firm = _member(session, principal)
    application = lock(session, Application, app_id)  # two members answering at once: one after the other
    if application is None or firm.code not in (application.team or []):
        raise NotFound(f"application {app_id} not found")
    if application.status != AWAITING:
        raise Conflict(f"the application is {application.status}; team answers are closed")
    if answers(application)[firm.code] != "pending":
        raise Conflict("your firm has answered this invitation already")
    need = session.get(Need, application.need_id)
    assert need is not None  # an application's need is deleted with it
    before = snapshot(application, FIELDS)
    step: dict[str, Any] = {"at": utcnow().isoformat(), "by": principal.id, "by_name": principal.name,
                            "role": principal.role, "org_id": firm.id, "org_code": firm.code,
                            "action": "team.accept" if accept else "team.decline", "status": application.status}
    application.history = [*application.history, step]
    now = answers(application)
    if not accept:
        application.status = DECLINED
    elif all(a == "accepted" for a in now.values()):
        application.status = "submitted"
    step["status"] = application.status
    application.updated_at = utcnow()
    session.flush()
    record(session, principal=principal, action="application.team_answer", entity="application",
           entity_id=application.id, before=before, after=snapshot(application, FIELDS) | {"member": firm.code,
                                                                                          "accept": accept})
    emit(session, event="application.team_answered", org_id=application.applicant_org_id,
         payload={"application_id": application.id, "challenge_id": need.id, "title": need.title,
                  "member": firm.name, "accept": accept, "status": application.status})
    if application.status == "submitted":
        applicant = session.get(Enterprise, application.applicant_org_id)
        emit(session, event="application.received", org_id=need.poster_org_id,
             payload={"application_id": application.id, "challenge_id": need.id, "title": need.title,
                      "applicant": applicant.name if applicant else "", "team": list(application.team or [])})
    return application


def invitations(*, session: Session, principal: Principal, limit: int, offset: int) -> tuple[list[Application], int]:
    """Applications naming the caller's firm as a member, answered or not."""
    firm = _member(session, principal)
    return ApplicationRepository(session).team_invitations(firm.code, limit=limit, offset=offset)
