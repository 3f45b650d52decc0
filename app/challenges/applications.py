"""Rules of applications to challenges (揭榜): who may apply, how posters decide, and the trail of each step."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.access import needs as policy
from app.challenges.repository import ApplicationRepository, ChallengeRepository
from app.challenges.schemas import ApplicationCreate, ApplicationDecision, ApplicationOut
from app.challenges.service import today
from app.core.audit import record, snapshot
from app.core.db import lock
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.schemas import Page
from app.enterprises.schemas import EnterpriseSummary
from app.models import Application, Challenge, Enterprise, Need, Principal
from app.models._types import utcnow
from app.needs import lifecycle
from app.notifications.outbox import emit

SOLVER_KINDS = ("sme", "university", "institute")
# Which decisions may follow which state; selected, rejected and withdrawn are final.
NEXT = {"submitted": ("shortlisted", "selected", "rejected"), "shortlisted": ("selected", "rejected")}
WITHDRAWABLE = ("submitted", "shortlisted")
FIELDS = ("status", "reason", "team", "proposal")


def _step(principal: Principal, action: str, status: str, reason: str = "") -> dict[str, Any]:
    step: dict[str, Any] = {"at": utcnow().isoformat(), "by": principal.id, "by_name": principal.name,
                            "role": principal.role, "org_id": principal.org_id, "action": action, "status": status}
    if reason:
        step["reason"] = reason
    return step


def _team(session: Session, codes: list[str], *, applicant: Enterprise, need: Need,
          challenge: Challenge) -> list[str]:
    members = [c for c in dict.fromkeys(c.strip() for c in codes) if c and c != applicant.code]
    found = ApplicationRepository(session).codes(members)
    unknown = [c for c in members if c not in found]
    if unknown:
        raise Invalid("team", f"unknown enterprise code(s): {', '.join(unknown[:10])}")
    if any(found[c].id == need.poster_org_id for c in members):
        raise Invalid("team", "the posting firm cannot be a member of a team answering its own challenge")
    if challenge.mode == "team" and not members:
        raise Invalid("team", "组阁揭榜 (team mode) needs at least one member besides the applicant")
    return members


def apply(*, session: Session, need: Need, challenge: Challenge, data: ApplicationCreate,
          principal: Principal) -> Application:
    if principal.role != "sme" or principal.org_id is None:
        raise Forbidden("only SMEs, universities and institutes apply to challenges")
    applicant = session.get(Enterprise, principal.org_id)
    if applicant is None or applicant.kind not in SOLVER_KINDS:
        raise Forbidden("only SMEs, universities and institutes apply to challenges")
    if challenge.mode == "directed" and not ChallengeRepository(session).was_targeted(need.id, applicant.id):
        raise Forbidden("this is a directed commission (定向委托): only the firms it was delivered to may apply")
    lock(session, Need, need.id)  # simultaneous changes of one need take effect once
    if need.status != "published":
        raise Conflict(f"the challenge is {need.status}; applications are closed")
    if lifecycle.deadline_passed(need, today()):
        raise Conflict("the deadline has passed")
    if ApplicationRepository(session).exists(need.id, applicant.id) is not None:
        raise Conflict("your organisation has applied to this challenge already")
    team = _team(session, data.team, applicant=applicant, need=need, challenge=challenge)
    application = Application(need_id=need.id, applicant_org_id=applicant.id, team=team, proposal=data.proposal,
                              status="submitted", reason="", history=[_step(principal, "apply", "submitted")])
    session.add(application)
    session.flush()
    record(session, principal=principal, action="application.create", entity="application",
           entity_id=application.id, after=snapshot(application, FIELDS) | {"need_id": need.id})
    emit(session, event="application.received", org_id=need.poster_org_id,
         payload={"application_id": application.id, "challenge_id": need.id, "title": need.title,
                  "applicant": applicant.name, "team": team})
    return application


def _own(session: Session, need: Need, app_id: int) -> Application:
    application = session.get(Application, app_id)
    if application is None or application.need_id != need.id:
        raise NotFound(f"application {app_id} not found")
    return application


def decide(*, session: Session, need: Need, challenge: Challenge, app_id: int, data: ApplicationDecision,
           principal: Principal) -> Application:
    lifecycle.take(session, need, policy.is_poster(principal, need), "only the posting firm decides on applications")
    application = _own(session, need, app_id)
    if data.status == "rejected" and not data.reason:
        raise Invalid("reason", "a rejection needs a reason; the applicant sees it")
    if data.status not in NEXT.get(application.status, ()):
        raise Conflict(f"an application that is {application.status} cannot become {data.status}")
    if data.status == "selected" and ApplicationRepository(session).count_selected(need.id) >= challenge.max_winners:
        raise Conflict(f"this challenge selects at most {challenge.max_winners} winner(s)")
    before = snapshot(application, FIELDS)
    application.status, application.reason = data.status, data.reason
    # A new list, so the JSON column sees the change.
    application.history = [*application.history, _step(principal, "decide", data.status, data.reason)]
    application.updated_at = utcnow()
    session.flush()
    record(session, principal=principal, action="application.decide", entity="application",
           entity_id=application.id, before=before, after=snapshot(application, FIELDS))
    emit(session, event="application.updated", org_id=application.applicant_org_id,
         payload={"application_id": application.id, "challenge_id": need.id, "title": need.title,
                  "status": data.status, "reason": data.reason})
    return application


def withdraw(*, session: Session, app_id: int, principal: Principal) -> Application:
    if principal.role != "sme" or principal.org_id is None:
        raise Forbidden("only the applicant withdraws its application")
    application = lock(session, Application, app_id)
    if application is None or application.applicant_org_id != principal.org_id:
        raise NotFound(f"application {app_id} not found")
    if application.status not in WITHDRAWABLE:
        raise Conflict(f"an application that is {application.status} cannot be withdrawn")
    need = session.get(Need, application.need_id)
    before = snapshot(application, FIELDS)
    application.status = "withdrawn"
    application.history = [*application.history, _step(principal, "withdraw", "withdrawn")]
    application.updated_at = utcnow()
    session.flush()
    record(session, principal=principal, action="application.withdraw", entity="application",
           entity_id=application.id, before=before, after=snapshot(application, FIELDS))
    if need is not None:
        emit(session, event="application.updated", org_id=need.poster_org_id,
             payload={"application_id": application.id, "challenge_id": need.id, "title": need.title,
                      "status": "withdrawn"})
    return application


def list_for_challenge(*, session: Session, need: Need, principal: Principal, status: str | None, limit: int,
                       offset: int) -> Page[ApplicationOut]:
    policy.require_manager(principal, need, "only the posting firm and staff who reach it see its applications")
    rows, total = ApplicationRepository(session).of_challenge(need.id, status=status, limit=limit, offset=offset)
    return Page(items=out(session, rows, principal), total=total, limit=limit, offset=offset)


def list_mine(*, session: Session, principal: Principal, status: str | None, limit: int,
              offset: int) -> Page[ApplicationOut]:
    if principal.role != "sme" or principal.org_id is None:
        raise Forbidden("only applicants (SMEs, universities, institutes) have applications")
    rows, total = ApplicationRepository(session).of_org(principal.org_id, status=status, limit=limit, offset=offset)
    return Page(items=out(session, rows, principal), total=total, limit=limit, offset=offset)


def out(session: Session, rows: list[Application], principal: Principal) -> list[ApplicationOut]:
    """Applications as ``principal`` may read them: the history hides an anonymous poster's people and firm."""
    repo = ApplicationRepository(session)
    needs = repo.titles([a.need_id for a in rows])
    sights = policy.sights(principal, list(needs.values()))
    orgs = ChallengeRepository(session).enterprises([a.applicant_org_id for a in rows])
    return [ApplicationOut(
        id=a.id, challenge_id=a.need_id, challenge_title=needs[a.need_id].title,
        applicant=EnterpriseSummary.model_validate(orgs[a.applicant_org_id]), team=list(a.team or []),
        proposal=a.proposal, status=a.status, reason=a.reason,
        history=policy.redact_history(a.history or [], viewer=principal, poster_shown=sights[a.need_id].poster),
        created_at=a.created_at, updated_at=a.updated_at) for a in rows]

