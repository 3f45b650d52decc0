"""Catalogue rules: who sees which catalogue, its items, and the draft → in_review → published → closed flow."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from app.access import catalogues as policy
from app.access import needs as need_policy
from app.access.reach import is_staff, require_chain
from app.catalogues import tabular
from app.catalogues.repository import CatalogueFilter, CatalogueRepository
from app.catalogues.schemas import (
    CatalogueCounts,
    CatalogueCreate,
    CatalogueDetail,
    CatalogueEventOut,
    CatalogueItem,
    CatalogueSummary,
    CatalogueUpdate,
    ChainRef,
    PublishParams,
)
from app.chains import service as chain_service
from app.core.audit import record, snapshot
from app.core.db import lock
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.schemas import Page
from app.jobs.service import enqueue
from app.models import Catalogue, CatalogueEvent, Chain, Job, Need, Principal
from app.models._types import utcnow
from app.needs import service as need_service

EDITABLE = ("draft", "in_review")
# action: (allowed from, to)
TRANSITIONS = {"submit": ("draft", "in_review"), "reopen": ("in_review", "draft"),
               "publish": ("in_review", "published"), "close": ("published", "closed")}
PUBLISH_JOB = "publish_catalogue"
_AUDITED = ("status", "published_at")


def log_event(session: Session, catalogue: Catalogue, principal: Principal | None, action: str, *,
              from_status: str | None = None, to_status: str | None = None,
              detail: dict[str, Any] | None = None) -> None:
    session.add(CatalogueEvent(catalogue_id=catalogue.id, principal_id=principal.id if principal else None,
                               action=action, from_status=from_status, to_status=to_status, detail=detail or {},
                               at=utcnow()))


def resolve_chain(session: Session, key: str | int) -> Chain:
    chain = chain_service.find_chain(session, str(key).strip())
    if chain is None:
        raise Invalid("chain", f"unknown chain {key}")
    return chain


def get_visible(*, session: Session, catalogue_id: int, principal: Principal) -> Catalogue:
    """Drafts and catalogues in review exist only for staff whose chains cover them (404 to everyone else)."""
    return policy.viewable(principal, CatalogueRepository(session).get(catalogue_id), catalogue_id)


def get_any(*, session: Session, catalogue_id: int) -> Catalogue:
    catalogue = CatalogueRepository(session).get(catalogue_id)
    if catalogue is None:
        raise NotFound(f"catalogue {catalogue_id} not found")
    return catalogue


def summary(catalogue: Catalogue, chain: Chain) -> CatalogueSummary:
    return CatalogueSummary(id=catalogue.id, chain=ChainRef.model_validate(chain), period=catalogue.period,
                            title=catalogue.title, description=catalogue.description, status=catalogue.status,
                            top_n=catalogue.top_n, min_match=catalogue.min_match, created_at=catalogue.created_at,
                            published_at=catalogue.published_at)


def summary_of(session: Session, catalogue: Catalogue) -> CatalogueSummary:
    chain = session.get(Chain, catalogue.chain_id)
    assert chain is not None  # chain_id is a RESTRICT foreign key
    return summary(catalogue, chain)


def managed(*, session: Session, catalogue_id: int, principal: Principal) -> Catalogue:
    """A catalogue the caller is about to change or audit: operators limited to some chains reach only theirs."""
    catalogue = policy.managed(principal, CatalogueRepository(session).get(catalogue_id), catalogue_id)
    # Locked until the change commits: two simultaneous publications (or edits) take effect once.
    lock(session, Catalogue, catalogue.id)
    return catalogue


def create(*, session: Session, data: CatalogueCreate, principal: Principal) -> Catalogue:
    chain = resolve_chain(session, data.chain)
    require_chain(principal, chain.code)
    repo = CatalogueRepository(session)
    if repo.exists(chain.id, data.period):
        raise Conflict(f"chain {chain.code} has a catalogue for {data.period} already")
    catalogue = Catalogue(chain_id=chain.id, period=data.period, title=data.title, description=data.description,
                          status="draft", top_n=data.top_n, min_match=data.min_match, created_by=principal.id,
                          created_at=utcnow())
    session.add(catalogue)
    session.flush()
    log_event(session, catalogue, principal, "create", to_status="draft")
    record(session, principal=principal, action="catalogue.create", entity="catalogue", entity_id=catalogue.id,
           after=snapshot(catalogue, ("chain_id", "period", "title", "description", "status", "top_n", "min_match")))
    session.flush()
    return catalogue


def search(*, session: Session, principal: Principal, chain: str | None, period: str | None,
           statuses: list[str], limit: int, offset: int) -> Page[CatalogueSummary]:
    chain_id = resolve_chain(session, chain).id if chain else None
    repo = CatalogueRepository(session)
    # Asking for drafts one may not see simply finds nothing.
    f = CatalogueFilter(visible=policy.visible_clause(principal), chain_id=chain_id, period=period, statuses=statuses)
    rows, total = repo.search(f, limit=limit, offset=offset)
    chains = repo.chains([c.chain_id for c in rows])
    return Page(items=[summary(c, chains[c.chain_id]) for c in rows], total=total, limit=limit, offset=offset)


def items(session: Session, catalogue: Catalogue, principal: Principal) -> list[CatalogueItem]:
    """The items the caller may see, each as the needs policy shows it (the API, the page and the export alike).

    Until the job has published an item (or while a leader adds to a draft), it is still its poster's draft.
    """
    needs = CatalogueRepository(session).items(catalogue.id, need_policy.visible_clause(principal))
    return [CatalogueItem(**need.model_dump(), need_id=need.id)
            for need in need_service.present_many(session, needs, principal)]


def detail(*, session: Session, catalogue: Catalogue, principal: Principal) -> CatalogueDetail:
    listed = items(session, catalogue, principal)
    counts = CatalogueCounts(items=len(listed), by_kind=dict(Counter(i.kind for i in listed)),
                             delivered=CatalogueRepository(session).delivered(catalogue.id))
    return CatalogueDetail(**summary_of(session, catalogue).model_dump(), items=listed, counts=counts)


def responses(*, session: Session, catalogue: Catalogue, principal: Principal) -> dict[int, dict[str, int]]:
    """How firms answered each item: delivered, seen, interested, invited, selected (staff who reach it)."""
    policy.managed(principal, catalogue, catalogue.id)
    return CatalogueRepository(session).responses([catalogue.id])


def export_file(*, session: Session, catalogue_id: int, principal: Principal, fmt: str) -> tuple[bytes, str, str]:
    """The catalogue as the caller may see it, as xlsx or CSV: (content, media type, file name)."""
    catalogue = get_visible(session=session, catalogue_id=catalogue_id, principal=principal)
    content, media = tabular.export(items=items(session, catalogue, principal), fmt=fmt, title=catalogue.title)
    return content, media, f"catalogue-{catalogue.id}-{catalogue.period}.{fmt}"


def _editable(catalogue: Catalogue) -> None:
    if catalogue.status not in EDITABLE:
        raise Conflict(f"catalogue {catalogue.id} is {catalogue.status}; only draft or in_review catalogues change")


def _for_item_change(session: Session, catalogue_id: int, principal: Principal) -> Catalogue:
    if not (is_staff(principal) or principal.role == "leader"):
        raise Forbidden("only operators, admins and the need's own chain leader add and remove items")
    catalogue = policy.for_item_change(principal, CatalogueRepository(session).get(catalogue_id), catalogue_id)
    lock(session, Catalogue, catalogue.id)  # as for every change of the catalogue: simultaneous ones take effect once
    return catalogue


def add_item(*, session: Session, catalogue_id: int, need_id: int, principal: Principal) -> Need:
    catalogue = _for_item_change(session, catalogue_id, principal)
    need = session.get(Need, need_id)
    # A draft the caller may not see is private: it is as unknown as an id that does not exist.
    if need is None or not need_policy.can_view(principal, need):
        raise Invalid("need", f"unknown need {need_id}")
    # Filing a need in a catalogue changes the need (and who else reaches it), so only its managers may.
    need_policy.require_manager(principal, need, "only the need's posting firm and staff who reach it add it")
    _editable(catalogue)
    if need.status == "closed":
        raise Conflict(f"need {need.id} is closed")
    if need.catalogue_id == catalogue.id:
        raise Conflict(f"need {need.id} is in this catalogue already")
    if need.catalogue_id is not None:
        raise Conflict(f"need {need.id} is in catalogue {need.catalogue_id} already")
    need.catalogue_id = catalogue.id
    log_event(session, catalogue, principal, "item_added", detail={"need_id": need.id, "title": need.title})
    record(session, principal=principal, action="catalogue.item_add", entity="need", entity_id=need.id,
           before={"catalogue_id": None}, after={"catalogue_id": catalogue.id})
    session.flush()
    return need


def remove_item(*, session: Session, catalogue_id: int, need_id: int, principal: Principal) -> None:
    catalogue = _for_item_change(session, catalogue_id, principal)
    need = session.get(Need, need_id)
    if need is None or need.catalogue_id != catalogue.id or not need_policy.can_view(principal, need):
        raise NotFound(f"need {need_id} is not in catalogue {catalogue_id}")
    need_policy.require_manager(principal, need, "only the need's posting firm and staff who reach it remove it")
    _editable(catalogue)
    need.catalogue_id = None
    log_event(session, catalogue, principal, "item_removed", detail={"need_id": need.id, "title": need.title})
    record(session, principal=principal, action="catalogue.item_remove", entity="need", entity_id=need.id,
           before={"catalogue_id": catalogue.id}, after={"catalogue_id": None})
    session.flush()


def transition(*, session: Session, catalogue_id: int, action: str, principal: Principal) -> Catalogue:
    """submit, reopen and close; publishing goes through ``publish`` (it starts a job)."""
    catalogue = managed(session=session, catalogue_id=catalogue_id, principal=principal)
    source, target = TRANSITIONS[action]
    if catalogue.status != source:
        raise Conflict(f"cannot {action} a {catalogue.status} catalogue (only from {source})")
    before = snapshot(catalogue, _AUDITED)
    catalogue.status = target
    log_event(session, catalogue, principal, action, from_status=source, to_status=target)
    record(session, principal=principal, action=f"catalogue.{action}", entity="catalogue", entity_id=catalogue.id,
           before=before, after=snapshot(catalogue, _AUDITED))
    session.flush()
    return catalogue


def publish(*, session: Session, catalogue_id: int, principal: Principal) -> tuple[Catalogue, Job]:
    """Lock the catalogue as published and queue the targeted delivery; the job does the matching."""
    catalogue = managed(session=session, catalogue_id=catalogue_id, principal=principal)
    source, target = TRANSITIONS["publish"]
    if catalogue.status != source:
        raise Conflict(f"cannot publish a {catalogue.status} catalogue (only from {source})")
    repo = CatalogueRepository(session)
    need_ids = repo.item_ids(catalogue.id)
    if not need_ids:
        raise Conflict("cannot publish an empty catalogue")
    drafts = repo.draft_items(catalogue.id)
    # Publishing the catalogue publishes its drafts: each must be a need the caller could publish by itself.
    if len(need_policy.managed_ids(principal, drafts)) < len(drafts):
        raise Forbidden("the catalogue holds draft needs of firms outside your reach; ask an operator who reaches them")
    before = snapshot(catalogue, _AUDITED)
    catalogue.status, catalogue.published_at = target, utcnow()
    # The item list is frozen in the job: the catalogue is locked now, and a resumed job must see the same list.
    job = enqueue(session=session, kind=PUBLISH_JOB, principal=principal, total=len(need_ids),
                  params=PublishParams(catalogue_id=catalogue.id, needs=need_ids, top_n=catalogue.top_n,
                                       created_by=principal.id))
    log_event(session, catalogue, principal, "publish", from_status=source, to_status=target,
              detail={"job_id": job.id, "items": len(need_ids)})
    record(session, principal=principal, action="catalogue.publish", entity="catalogue", entity_id=catalogue.id,
           before=before, after=snapshot(catalogue, _AUDITED) | {"job_id": job.id})
    session.flush()
    return catalogue, job


def history(*, session: Session, catalogue: Catalogue, principal: Principal) -> list[CatalogueEventOut]:
    """Who changed what and when; an entry about an item is shown only to those who may see that need."""
    events = CatalogueRepository(session).events(catalogue.id)
    about = {e.id: e.detail.get("need_id") for e in events if isinstance(e.detail, dict)}
    seen = need_policy.visible_ids(session, principal, [i for i in about.values() if isinstance(i, int)])
    return [CatalogueEventOut.model_validate(e) for e in events if about.get(e.id) is None or about[e.id] in seen]


def update(*, session: Session, catalogue_id: int, data: CatalogueUpdate, principal: Principal) -> Catalogue:
    """Title, description and reach change until publication; a published catalogue is frozen."""
    catalogue = managed(session=session, catalogue_id=catalogue_id, principal=principal)
    _editable(catalogue)
    fields = ("title", "description", "top_n", "min_match")
    before = snapshot(catalogue, fields)
    for key, value in data.model_dump(exclude_unset=True).items():
        if value is None:
            raise Invalid(key, "may not be null")
        setattr(catalogue, key, value)
    after = snapshot(catalogue, fields)
    if after != before:
        log_event(session, catalogue, principal, "edit", detail={k: after[k] for k in fields if after[k] != before[k]})
        record(session, principal=principal, action="catalogue.update", entity="catalogue", entity_id=catalogue.id,
               before=before, after=after)
    session.flush()
    return catalogue
