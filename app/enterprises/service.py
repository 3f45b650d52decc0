"""Rules about enterprises: who sees private fields, how profiles and capabilities are written."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.access.reach import require_firm
from app.core.audit import record, snapshot
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.schemas import NodeRef, Page
from app.enterprises.repository import EnterpriseFilter, EnterpriseRepository
from app.enterprises.schemas import (
    CapabilityOut,
    Contact,
    EnterpriseCreate,
    EnterpriseDetail,
    EnterpriseSummary,
    EnterpriseWrite,
    IndustryRef,
)
from app.match_index.directory import Directory
from app.match_index.directory import Filter as DirectoryFilter
from app.match_index.freshness import queue_reindex
from app.models import Capability, Enterprise, Principal
from app.models._types import utcnow

# The directory's search filter, for callers in other domains (who reach this domain through its service).
Filter = EnterpriseFilter

def can_see_private(principal: Principal, enterprise: Enterprise) -> bool:
    return principal.role == "admin" or (principal.org_id is not None and principal.org_id == enterprise.id)


def private_visible_codes(*, session: Session, principal: Principal, codes: set[str]) -> set[str]:
    """Which of the firms with these codes the principal may see the private fields (contacts) of."""
    if principal.role == "admin":
        return set(codes)
    own = session.get(Enterprise, principal.org_id) if principal.org_id is not None else None
    return {own.code} if own is not None and own.code in codes and can_see_private(principal, own) else set()


def can_edit(principal: Principal, enterprise: Enterprise) -> bool:
    return principal.role in ("admin", "operator") or (
        principal.role in ("leader", "sme") and principal.org_id == enterprise.id)


def search(*, session: Session, f: EnterpriseFilter, limit: int, offset: int,
           directory: Directory | None = None) -> Page[EnterpriseSummary]:
    """A text search is answered from the worker's directory when it can (match_index/directory.py), the rest by
    the database; the page's rows are read from the database either way."""
    repo = EnterpriseRepository(session)
    found = None
    if directory is not None and f.q and f.node_id is None and f.industry_ids is None:
        region = [p for p in (f.region or "").split("/") if p]
        found = directory.search(f.q, DirectoryFilter(kinds=tuple(f.kinds), tiers=tuple(f.tiers), region=region),
                                 limit=limit, offset=offset)
    ids, total = found if found is not None else repo.search(f, limit=limit, offset=offset)
    shown = repo.summaries(ids)  # plain columns: no ORM rows for a page of search results
    return Page(items=[EnterpriseSummary(**shown[i]) for i in ids if i in shown],  # type: ignore[arg-type]
                total=total, limit=limit, offset=offset)


def get(*, session: Session, key: str) -> Enterprise:
    found = EnterpriseRepository(session).get(key)
    if found is None:
        raise NotFound(f"enterprise {key} not found")
    return found


def ids_for_keys(session: Session, keys: Sequence[str]) -> tuple[set[int], list[str]]:
    """The ids of the firms named by code (or by id written as a number), and the keys that name none."""
    return EnterpriseRepository(session).ids_for_keys(keys)


def by_ids(session: Session, ids: Sequence[int]) -> dict[int, Enterprise]:
    return EnterpriseRepository(session).by_ids(ids)


def summaries(session: Session, ids: Sequence[int]) -> dict[int, dict[str, object]]:
    """EnterpriseSummary-shaped dicts by id, for answers sent without models (the match answer)."""
    return EnterpriseRepository(session).summaries(ids)


def code_of(session: Session, enterprise_id: int) -> str | None:
    found = EnterpriseRepository(session).by_ids([enterprise_id]).get(enterprise_id)
    return found.code if found is not None else None


def detail(*, session: Session, enterprise: Enterprise, principal: Principal) -> EnterpriseDetail:
    repo = EnterpriseRepository(session)
    industry = None
    if enterprise.industry_id is not None:
        path = repo.industry_path(enterprise.industry_id)
        industry = IndustryRef(code=path[-1].code, name=path[-1].name, path=[i.name for i in path])
    caps = [CapabilityOut(product=c.product, node=NodeRef.model_validate(n) if n else None,
                          revenue_share=c.revenue_share, source=c.source) for c, n in repo.capabilities(enterprise.id)]
    contact = None
    if can_see_private(principal, enterprise):
        contact = Contact(name=enterprise.contact_name, phone=enterprise.contact_phone, email=enterprise.contact_email)
    base = EnterpriseSummary.model_validate(enterprise).model_dump()
    return EnterpriseDetail(
        **base, full_name=enterprise.full_name, description=enterprise.description, rd_share=enterprise.rd_share,
        invention_patents=enterprise.invention_patents, certifications=list(enterprise.certifications or []),
        exchange=enterprise.exchange, listed_on=enterprise.listed_on, industry=industry, capabilities=caps,
        contact=contact)


def _apply(session: Session, enterprise: Enterprise, data: EnterpriseWrite) -> None:
    fields = data.model_dump(exclude_unset=True, exclude={"region", "contact", "capabilities"})
    for key, value in fields.items():
        if value is None and key in ("name", "kind", "tier"):
            raise Invalid(key, "may not be null")
        setattr(enterprise, key, value if value is not None or key not in ("full_name", "description") else "")
    if "region" in data.model_fields_set:
        parts = [p for p in (data.region or "").split("/") if p] + ["", "", ""]
        enterprise.province, enterprise.city, enterprise.district = parts[:3]
    if data.contact is not None:
        enterprise.contact_name = data.contact.name
        enterprise.contact_phone = data.contact.phone
        enterprise.contact_email = data.contact.email
    # Capability changes alone don't touch the row; the stamp tells other workers' indexes to refresh it.
    enterprise.updated_at = utcnow()
    session.flush()
    if data.capabilities is not None:
        _replace_declared(session, enterprise, data)


def _replace_declared(session: Session, enterprise: Enterprise, data: EnterpriseWrite) -> None:
    """The given list replaces the firm's capabilities; products that name a chain node are linked to it."""
    caps = data.capabilities or []
    products = [c.product.strip() for c in caps]
    if len(set(products)) != len(products):
        raise Invalid("capabilities", "a product is listed twice")
    repo = EnterpriseRepository(session)
    nodes = repo.node_ids_by_name(products)
    repo.clear_capabilities(enterprise.id)
    for cap, product in zip(caps, products, strict=True):
        session.add(Capability(enterprise_id=enterprise.id, product=product, node_id=nodes.get(product),
                               revenue_share=cap.revenue_share, source="declared"))
    session.flush()


AUDITED = ("name", "full_name", "kind", "tier", "province", "city", "district", "description", "rd_share",
           "invention_patents", "certifications", "contact_name", "contact_phone", "contact_email")


def _capability_list(session: Session, enterprise: Enterprise) -> list[str]:
    return EnterpriseRepository(session).products(enterprise.id)


def create(*, session: Session, data: EnterpriseCreate, principal: Principal | None = None) -> Enterprise:
    if EnterpriseRepository(session).code_exists(data.code):
        raise Conflict(f"an enterprise with code {data.code} exists already")
    enterprise = Enterprise(code=data.code, name=data.name, kind=data.kind or "sme", tier=data.tier or "none",
                            certifications=[])
    session.add(enterprise)
    session.flush()
    _apply(session, enterprise, data)
    after = snapshot(enterprise, AUDITED) | {"capabilities": _capability_list(session, enterprise)}
    record(session, principal=principal, action="enterprise.create", entity="enterprise", entity_id=enterprise.code,
           after=after)
    # The match index picks the firm up once this transaction commits (and only if it does).
    queue_reindex(session, enterprise.id)
    return enterprise


def update(*, session: Session, enterprise: Enterprise, data: EnterpriseWrite, principal: Principal) -> Enterprise:
    if not can_edit(principal, enterprise):
        raise Forbidden("only the firm itself, operators and admins may change this profile")
    if principal.role in ("leader", "sme") and ("kind" in data.model_fields_set or "tier" in data.model_fields_set):
        # Tiers are certified by the province; a firm cannot promote itself.
        raise Forbidden("kind and tier are set by operators")
    require_firm(principal, enterprise)
    before = snapshot(enterprise, AUDITED) | {"capabilities": _capability_list(session, enterprise)}
    _apply(session, enterprise, data)
    after = snapshot(enterprise, AUDITED) | {"capabilities": _capability_list(session, enterprise)}
    record(session, principal=principal, action="enterprise.update", entity="enterprise", entity_id=enterprise.code,
           before=before, after=after)
    # The match index picks the firm up once this transaction commits (and only if it does).
    queue_reindex(session, enterprise.id)
    return enterprise



def firm_of(*, session: Session, principal: Principal) -> Enterprise | None:
    """The caller's own firm (None for staff, who belong to none)."""
    org_id = principal.org_id
    return EnterpriseRepository(session).by_ids([org_id]).get(org_id) if org_id is not None else None


def summary_models(*, session: Session, ids: set[int]) -> dict[int, EnterpriseSummary]:
    rows = EnterpriseRepository(session).by_ids(sorted(ids))
    return {i: EnterpriseSummary.model_validate(e) for i, e in rows.items()}


def supply_rows(*, session: Session) -> tuple[list[tuple[int, str, str, str]],
                                             list[tuple[int, str, float | None, str]]]:
    """Every firm and its node-linked capabilities, as the chain analytics read them (see the repository)."""
    return EnterpriseRepository(session).supply_rows()


def supply_stamp(*, session: Session) -> tuple[object, ...]:
    return EnterpriseRepository(session).supply_stamp()
