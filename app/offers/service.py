"""Rules of offers (供需双向揭榜: capabilities and research results ready for industry)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.access import needs as policy
from app.core.audit import record, snapshot
from app.core.errors import Forbidden, Invalid, NotFound
from app.core.schemas import Page
from app.enterprises.schemas import EnterpriseSummary
from app.models import Enterprise, Need, Offer, Principal
from app.offers.repository import OfferRepository
from app.offers.schemas import OfferCreate, OfferOut, OfferWrite

FIELDS = ("kind", "title", "description", "nodes", "status")
PUBLISHER_KINDS = ("sme", "university", "institute")


def _nodes(session: Session, names: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    unknown = [n for n in cleaned if n not in OfferRepository(session).known_nodes(cleaned)]
    if unknown:
        raise Invalid("nodes", f"unknown chain node(s): {', '.join(unknown[:10])}")
    return cleaned


def get(*, session: Session, offer_id: int) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None or offer.status != "published":
        raise NotFound(f"offer {offer_id} not found")
    return offer


def create(*, session: Session, data: OfferCreate, principal: Principal) -> Offer:
    org = session.get(Enterprise, principal.org_id) if principal.org_id is not None else None
    if principal.role != "sme" or org is None or org.kind not in PUBLISHER_KINDS:
        raise Forbidden("only SMEs, universities and institutes publish offers")
    offer = Offer(org_id=org.id, kind=data.kind, title=data.title, description=data.description,
                  nodes=_nodes(session, data.nodes), status="published")
    session.add(offer)
    session.flush()
    record(session, principal=principal, action="offer.create", entity="offer", entity_id=offer.id,
           after=snapshot(offer, FIELDS))
    return offer


def _check_owner(principal: Principal, offer: Offer) -> None:
    if principal.role != "sme" or principal.org_id != offer.org_id:
        raise Forbidden("only the offering organisation changes its offer")


def update(*, session: Session, offer: Offer, data: OfferWrite, principal: Principal) -> Offer:
    _check_owner(principal, offer)
    fields = data.model_dump(exclude_unset=True)
    for key in ("kind", "title", "nodes"):
        if key in fields and fields[key] is None:
            raise Invalid(key, "may not be null")
    if "nodes" in fields:
        fields["nodes"] = _nodes(session, fields["nodes"])
    before = snapshot(offer, FIELDS)
    for key, value in fields.items():
        setattr(offer, key, "" if value is None else value)
    session.flush()
    record(session, principal=principal, action="offer.update", entity="offer", entity_id=offer.id,
           before=before, after=snapshot(offer, FIELDS))
    return offer


def delete(*, session: Session, offer: Offer, principal: Principal) -> None:
    _check_owner(principal, offer)
    before = snapshot(offer, FIELDS)
    session.delete(offer)
    session.flush()
    record(session, principal=principal, action="offer.delete", entity="offer", entity_id=offer.id, before=before)


def out(session: Session, offers: list[Offer]) -> list[OfferOut]:
    orgs = OfferRepository(session).orgs([o.org_id for o in offers])
    return [OfferOut(id=o.id, kind=o.kind, title=o.title, description=o.description, nodes=list(o.nodes or []),
                     status=o.status, org=EnterpriseSummary.model_validate(orgs[o.org_id]), created_at=o.created_at)
            for o in offers]


def search(*, session: Session, q: str | None, kind: str | None, node: str | None, limit: int,
           offset: int) -> Page[OfferOut]:
    if node is not None and not OfferRepository(session).known_nodes([node]):
        raise Invalid("node", f"unknown chain node {node}")
    rows, total = OfferRepository(session).search(q=q, kind=kind, node=node, limit=limit, offset=offset)
    return Page(items=out(session, rows), total=total, limit=limit, offset=offset)


def need_for_matching(*, session: Session, need_id: int, principal: Principal) -> Need:
    """The need whose offers may be ranked: one the caller manages; a draft it may not see is 404."""
    need = policy.viewable(principal, session.get(Need, need_id), need_id)
    policy.require_manager(principal, need, "only the need's posting firm and staff who reach it rank offers for it")
    return need
