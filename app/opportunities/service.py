"""The SME's side of matching: its feed of delivered needs, one item, interest and dismissal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from app.access import needs as policy
from app.core.audit import record, snapshot
from app.core.db import lock, upgrade_to_writer
from app.core.errors import Conflict, Forbidden, Invalid
from app.core.schemas import Page
from app.enterprises.schemas import Contact
from app.models import Enterprise, Need, Opportunity, Principal
from app.needs import service as needs
from app.needs.repository import NeedRepository
from app.notifications.outbox import emit
from app.opportunities.repository import FeedFilter, FeedRepository
from app.opportunities.schemas import FeedItem

# Shortlisting is the poster's private working list; the firm learns only of invitations and decisions.
_SHOWN_POSTER_STATUSES = ("invited", "rejected", "selected")
_OPP_FIELDS = ("sme_status", "sme_message")


def _org(principal: Principal) -> int:
    if principal.org_id is None:
        raise Forbidden("this token does not belong to a firm")
    return principal.org_id


def _items(session: Session, principal: Principal, pairs: Sequence[tuple[Opportunity | None, Need]]) -> list[FeedItem]:
    repo = NeedRepository(session)
    shown = needs.present_many(session, [n for _, n in pairs], principal)
    # The poster's contact once both sides agreed, and only where the poster itself is shown (not anonymous).
    reveal = {need.id for (opp, need), need_out in zip(pairs, shown, strict=True)
              if policy.agreed(opp) and need_out.poster is not None}
    posters = repo.enterprises([n.poster_org_id for _, n in pairs if n.id in reveal])
    # One query for the whole page, not one per need edited since delivery.
    changed = repo.changed_since_many({n.id: o.need_version for o, n in pairs
                                       if o is not None and n.version > o.need_version})
    out = []
    for (opp, need), need_out in zip(pairs, shown, strict=True):
        delivered_version = opp.need_version if opp is not None else need.version
        poster = posters.get(need.poster_org_id) if need.id in reveal else None
        status = opp.poster_status if opp is not None and opp.poster_status in _SHOWN_POSTER_STATUSES else "none"
        out.append(FeedItem(
            need=need_out, score=opp.score if opp else None, match=opp.match if opp else None,
            reason=dict(opp.explanation or {}) if opp else {},
            is_new=opp is not None and opp.delivered_at is not None and opp.seen_at is None,
            delivered=opp is not None and opp.delivered_at is not None, delivered_version=delivered_version,
            changed_fields=changed.get(need.id, []),
            sme_status=opp.sme_status if opp else "none", sme_message=opp.sme_message if opp else "",
            poster_status=status, poster_reason=opp.poster_reason if opp and status != "none" else "",
            agreed=policy.agreed(opp),
            poster_contact=Contact(name=poster.contact_name, phone=poster.contact_phone, email=poster.contact_email)
            if poster is not None else None))
    return out


def _mark_seen(session: Session, opps: Sequence[Opportunity | None]) -> None:
    # A read receipt, not a business change: no audit entry, and only the first sight counts.
    unseen = [o.id for o in opps if o is not None and o.delivered_at is not None and o.seen_at is None]
    if not unseen:
        return
    # This request read as a reader; it writes as a writer (on SQLite a stale reader cannot take the lock),
    # and only where nobody marked the item seen in the meantime.
    upgrade_to_writer(session)
    FeedRepository(session).mark_seen(unseen)


def feed(*, session: Session, principal: Principal, kind: str | None, chain: str | None,
         deadline_before: date | None, limit: int, offset: int, min_match: int = 0) -> Page[FeedItem]:
    org_id = _org(principal)
    repo = FeedRepository(session)
    chain_id = None
    if chain is not None:
        chain_id = repo.chain_id(chain)
        if chain_id is None:
            raise Invalid("chain", f"unknown chain {chain}")
    f = FeedFilter(kind=kind, chain_id=chain_id, deadline_before=deadline_before, min_match=min_match)
    pairs, total = repo.feed(org_id, f, limit=limit, offset=offset)
    items = _items(session, principal, pairs)
    _mark_seen(session, [o for o, _ in pairs])
    return Page(items=items, total=total, limit=limit, offset=offset)


def _load(session: Session, principal: Principal, need_id: int, *,
          for_change: bool = False) -> tuple[Need, Opportunity | None]:
    org_id = _org(principal)
    repo = NeedRepository(session)
    need = policy.viewable(principal, repo.get(need_id), need_id)
    if for_change:
        # Two simultaneous answers of one firm must take effect once: the second sees the first's result.
        lock(session, Need, need.id)
    return need, repo.opportunity(need.id, org_id)


def item(*, session: Session, principal: Principal, need_id: int) -> FeedItem:
    need, opp = _load(session, principal, need_id)
    out = _items(session, principal, [(opp, need)])[0]
    _mark_seen(session, [opp])
    return out


def _ensure(session: Session, need: Need, opp: Opportunity | None, org_id: int) -> Opportunity:
    if opp is not None:
        return opp
    # Interest in (or dismissal of) a need that was not delivered: a row without delivered_at keeps the answer.
    opp = Opportunity(need_id=need.id, enterprise_id=org_id, need_version=need.version, explanation={},
                      sme_status="none", sme_message="", poster_status="none", poster_reason="")
    session.add(opp)
    return opp


def interest(*, session: Session, principal: Principal, need_id: int, message: str) -> FeedItem:
    need, opp = _load(session, principal, need_id, for_change=True)
    if need.status != "published":
        raise Conflict(f"this need is {need.status}; it no longer takes interest")
    if opp is not None and opp.sme_status == "interested":
        raise Conflict("you expressed interest in this need already")
    if opp is not None and opp.sme_status == "dismissed":
        raise Conflict("you dismissed this need")
    opp = _ensure(session, need, opp, _org(principal))
    before = snapshot(opp, _OPP_FIELDS)
    opp.sme_status, opp.sme_message = "interested", message
    session.flush()
    firm = session.get(Enterprise, opp.enterprise_id)
    emit(session, event="interest.received", org_id=need.poster_org_id,
         payload={"need_id": need.id, "title": need.title, "message": message,
                  "enterprise": {"id": firm.id, "code": firm.code, "name": firm.name} if firm else None})
    record(session, principal=principal, action="opportunity.interest", entity="opportunity", entity_id=opp.id,
           before=before, after=snapshot(opp, _OPP_FIELDS))
    return _items(session, principal, [(opp, need)])[0]


def dismiss(*, session: Session, principal: Principal, need_id: int) -> FeedItem:
    need, opp = _load(session, principal, need_id, for_change=True)
    if opp is not None and opp.sme_status == "dismissed":
        raise Conflict("you dismissed this need already")
    opp = _ensure(session, need, opp, _org(principal))
    before = snapshot(opp, _OPP_FIELDS)
    opp.sme_status = "dismissed"
    session.flush()
    record(session, principal=principal, action="opportunity.dismiss", entity="opportunity", entity_id=opp.id,
           before=before, after=snapshot(opp, _OPP_FIELDS))
    return _items(session, principal, [(opp, need)])[0]
