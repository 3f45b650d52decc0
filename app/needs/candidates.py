"""The poster's side of matching: ranked candidates for a need, decisions on them, and answers to interest."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.access import needs as policy
from app.core.audit import record, snapshot
from app.core.db import upgrade_to_writer
from app.core.errors import Conflict, Invalid, NotFound
from app.core.schemas import Page
from app.enterprises.schemas import Contact, EnterpriseSummary
from app.match_index.holder import IndexHolder
from app.matches.service import rank_query
from app.models import Enterprise, Need, Opportunity, Principal
from app.needs import lifecycle
from app.needs.delivery import RECEIVING_KINDS, need_query
from app.needs.impressions import log_impressions
from app.needs.repository import NeedRepository
from app.needs.schemas import AnswerIn, CandidateIn, CandidateState, InterestItem, NeedMatches, NeedMatchItem
from app.notifications.outbox import emit

_EVENTS = {"invited": "candidate.invited", "rejected": "candidate.rejected", "selected": "candidate.selected"}
_OPP_FIELDS = ("sme_status", "poster_status", "poster_reason")


def _state(opp: Opportunity | None) -> CandidateState | None:
    if opp is None:
        return None
    return CandidateState(delivered=opp.delivered_at is not None, sme_status=opp.sme_status,
                          poster_status=opp.poster_status, poster_reason=opp.poster_reason)


def matches(*, session: Session, holder: IndexHolder, need: Need, principal: Principal, kinds: Sequence[str],
            tiers: Sequence[str], regions: Sequence[str], limit: int, offset: int) -> NeedMatches:
    policy.require_manager(principal, need, "only the posting firm and staff who reach it see matches")
    if len(regions) > 50 or any(not r.strip("/ ") or len(r) > 100 for r in regions):
        raise Invalid("regions", "at most 50, each a non-empty province[/city[/district]] of at most 100 characters")
    query = need_query(session, need, limit=limit + offset, kinds=tuple(kinds) or RECEIVING_KINDS)
    if tiers:
        # The need's own minimum tier still applies; the filter can only narrow it.
        allowed = [t for t in tiers if not query.tiers or t in query.tiers]
        if not allowed:
            return NeedMatches(items=[], limit=limit, offset=offset, index_version=_version(holder))
        query = dataclasses.replace(query, tiers=tuple(allowed))
    query = dataclasses.replace(query, regions=tuple(regions))
    results, version = rank_query(holder=holder, query=query)
    page = results[offset:offset + limit]
    if page and need.status == "published":
        upgrade_to_writer(session)  # a GET that logs what the poster was shown, for the learner
        log_impressions(session, need.id, page, source="shown", offset=offset)
    repo = NeedRepository(session)
    rows = repo.enterprises([r.enterprise_id for r in page])
    opps = repo.opportunities(need.id, [r.enterprise_id for r in page])
    items = [NeedMatchItem(enterprise=EnterpriseSummary.model_validate(rows[r.enterprise_id]),
                           score=round(r.score, 6), match=r.match, explanation=r.explanation,
                           candidate=_state(opps.get(r.enterprise_id)))
             for r in page if r.enterprise_id in rows]
    return NeedMatches(items=items, limit=limit, offset=offset, index_version=version)


def _version(holder: IndexHolder) -> int:
    return holder.index.version_ if holder.index is not None else 0


def _candidate(repo: NeedRepository, need: Need, key: str) -> Enterprise:
    firm = repo.enterprise_by_key(key)
    if firm is None:
        raise NotFound(f"enterprise {key} not found")
    if firm.id == need.poster_org_id or firm.kind not in RECEIVING_KINDS:
        raise Invalid("enterprise", "only SMEs, universities and institutes other than the poster can be candidates")
    return firm


def decide(*, session: Session, need: Need, key: str, data: CandidateIn, principal: Principal) -> InterestItem:
    lifecycle.take(session, need, policy.is_poster(principal, need), "only the posting firm decides on its candidates")
    if need.status == "draft":
        raise Conflict("publish the need before deciding on candidates")
    if data.status == "rejected" and not data.reason:
        raise Invalid("reason", "a rejection needs a reason the firm will see")
    repo = NeedRepository(session)
    firm = _candidate(repo, need, key)
    opp = repo.opportunity(need.id, firm.id)
    if opp is None:
        opp = Opportunity(need_id=need.id, enterprise_id=firm.id, need_version=need.version, explanation={},
                          sme_status="none", sme_message="", poster_status="none", poster_reason="")
        session.add(opp)
    before = snapshot(opp, _OPP_FIELDS)
    changed = opp.poster_status != data.status or opp.poster_reason != data.reason
    opp.poster_status, opp.poster_reason = data.status, data.reason
    session.flush()
    if changed and data.status in _EVENTS:
        emit(session, event=_EVENTS[data.status], org_id=firm.id,
             payload={"need_id": need.id, "title": need.title, "status": data.status, "reason": data.reason})
    record(session, principal=principal, action=f"candidate.{data.status}", entity="opportunity", entity_id=opp.id,
           before=before, after=snapshot(opp, _OPP_FIELDS))
    return interest_item(opp, firm)


def interest_item(opp: Opportunity, firm: Enterprise) -> InterestItem:
    both = policy.agreed(opp)
    contact = Contact(name=firm.contact_name, phone=firm.contact_phone, email=firm.contact_email) if both else None
    return InterestItem(enterprise=EnterpriseSummary.model_validate(firm), message=opp.sme_message,
                        sme_status=opp.sme_status, poster_status=opp.poster_status, poster_reason=opp.poster_reason,
                        agreed=both, contact=contact, score=opp.score, updated_at=opp.updated_at)


def interests(*, session: Session, need: Need, principal: Principal, limit: int,
              offset: int) -> Page[InterestItem]:
    policy.require_manager(principal, need, "only the posting firm and staff who reach it see interests")
    rows, total = NeedRepository(session).interests(need.id, limit=limit, offset=offset)
    return Page(items=[interest_item(o, e) for o, e in rows], total=total, limit=limit, offset=offset)


def answer(*, session: Session, need: Need, key: str, data: AnswerIn, principal: Principal) -> InterestItem:
    lifecycle.take(session, need, policy.is_poster(principal, need),
                   "only the posting firm answers interest in its need")
    repo = NeedRepository(session)
    firm = repo.enterprise_by_key(key)
    opp = repo.opportunity(need.id, firm.id) if firm is not None else None
    if firm is None or opp is None or opp.sme_status != "interested":
        raise NotFound(f"no interest from enterprise {key} in need {need.id}")
    if opp.poster_status in ("invited", "selected", "rejected"):
        raise Conflict(f"this interest was answered already ({opp.poster_status})")
    if not data.accept and not data.message:
        raise Invalid("message", "declining needs a reason the firm will see")
    before = snapshot(opp, _OPP_FIELDS)
    opp.poster_status = "invited" if data.accept else "rejected"
    opp.poster_reason = data.message
    session.flush()
    payload = {"need_id": need.id, "title": need.title, "accepted": data.accept, "message": data.message}
    if data.accept and policy.shows_poster_to_firm(need, firm.id):
        # Both sides agreed: the firm learns whom it deals with, unless the poster chose to stay anonymous.
        poster = session.get(Enterprise, need.poster_org_id)
        payload["poster"] = {"code": poster.code, "name": poster.name} if poster else None
    emit(session, event="interest.answered", org_id=firm.id, payload=payload)
    record(session, principal=principal, action="interest.answer", entity="opportunity", entity_id=opp.id,
           before=before, after=snapshot(opp, _OPP_FIELDS))
    return interest_item(opp, firm)
