"""Rules of a need's life: posting, editing (in place as a draft, as a new version once published), publishing
with targeted delivery, closing, and what each viewer sees of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.access import needs as policy
from app.chains import service as chains
from app.core.audit import record
from app.core.errors import Conflict, Forbidden, Invalid
from app.core.schemas import NodeRef, Page
from app.match_index.holder import IndexHolder
from app.models import ChainNode, Enterprise, Need, NeedVersion, Principal
from app.models._types import utcnow
from app.needs import lifecycle, reading
from app.needs.delivery import deliver
from app.needs.repository import Delivery, NeedFilter, NeedRepository, PublishedNeed
from app.needs.schemas import NeedCreate, NeedOut, NeedUpdate, NeedVersionOut, PosterRef, UnderstandingFix
from app.notifications.outbox import emit

_NOT_NULL = ("kind", "title", "scope", "anonymous", "nodes")
_EMPTY_IF_NULL: dict[str, Any] = {"description": "", "delivery_region": ""}


def get(*, session: Session, need_id: int, principal: Principal) -> Need:
    return policy.viewable(principal, NeedRepository(session).get(need_id), need_id)


def content(need: Need, nodes: Sequence[ChainNode]) -> dict[str, Any]:
    return lifecycle.snapshot(need, [n.name for n in nodes])


def present_many(session: Session, needs: Sequence[Need], principal: Principal) -> list[NeedOut]:
    # Plain columns for the nodes and posters shown (lists and feeds present 20 needs a request): no ORM rows.
    repo = NeedRepository(session)
    nodes = repo.node_names_of([n.id for n in needs])
    sights = policy.sights(principal, needs)
    posters = repo.enterprise_summaries([n.poster_org_id for n in needs if sights[n.id].poster])
    return [_present(n, sights[n.id], nodes[n.id], posters.get(n.poster_org_id)) for n in needs]


def present(session: Session, need: Need, principal: Principal, holder: IndexHolder | None = None) -> NeedOut:
    """The need as ``principal`` sees it; with ``holder``, a need never read yet (imported into a catalogue,
    posted while the index was being built) shows the engine's reading all the same."""
    out = present_many(session, [need], principal)[0]
    if out.understanding is None and holder is not None:
        out.understanding = reading.read(holder, need, [n.name for n in out.nodes])
    return out


def _present(need: Need, sight: policy.Sight, nodes: list[tuple[int, str]], poster: dict[str, object] | None
             ) -> NeedOut:
    budget = sight.budget
    return NeedOut(
        id=need.id, kind=need.kind, title=need.title, description=need.description,
        nodes=[NodeRef(id=i, name=name) for i, name in nodes], scope=need.scope, quantity=need.quantity,
        budget_min=need.budget_min if budget else None, budget_max=need.budget_max if budget else None,
        deadline=need.deadline, delivery_region=need.delivery_region, required_tier=need.required_tier,
        required_certifications=list(need.required_certifications or []), anonymous=need.anonymous,
        min_match=need.min_match, understanding=need.understanding, removed_nodes=list(need.removed_nodes or []),
        poster=PosterRef.model_validate(poster) if poster is not None and sight.poster else None,
        catalogue_id=need.catalogue_id, status=need.status, version=need.version, created_at=need.created_at,
        updated_at=need.updated_at, published_at=need.published_at)


def search(*, session: Session, principal: Principal, kind: str | None, status: str | None, q: str | None,
           limit: int, offset: int) -> Page[NeedOut]:
    # What the caller may see, narrowed to what its list is for: a leader's own needs, staff's every need they
    # may see, the published needs for everyone else.
    visible = policy.visible_clause(principal)
    if principal.role == "leader":
        f = NeedFilter(kind=kind, status=status, q=q, visible=visible, poster_org_id=principal.org_id)
    elif principal.role in ("admin", "operator"):
        f = NeedFilter(kind=kind, status=status, q=q, visible=visible)
    else:
        f = NeedFilter(kind=kind, status=status, q=q, visible=visible, published_only=True)
    rows, total = NeedRepository(session).search(f, limit=limit, offset=offset)
    return Page(items=present_many(session, rows, principal), total=total, limit=limit, offset=offset)


def _check_values(need: Need, data: NeedUpdate) -> None:
    """Rules across fields or against today, checked on the need as it would be after the change."""
    sent = data.model_fields_set
    for field in _NOT_NULL:
        if field in sent and getattr(data, field) is None:
            raise Invalid(field, "may not be null")
    if "deadline" in sent and data.deadline is not None and data.deadline < utcnow().date():
        raise Invalid("deadline", f"{data.deadline.isoformat()} is in the past")
    low = data.budget_min if "budget_min" in sent else need.budget_min
    high = data.budget_max if "budget_max" in sent else need.budget_max
    if low is not None and high is not None and low > high:
        raise Invalid("budget_min", f"budget_min {low:g} is greater than budget_max {high:g}")


def _resolve_nodes(repo: NeedRepository, keys: Sequence[str | int]) -> list[ChainNode]:
    nodes, unknown = chains.nodes_by_key(repo.session, keys)
    if unknown:
        raise Invalid("nodes", f"unknown chain node(s): {', '.join(unknown[:20])}")
    return nodes


def _apply(need: Need, data: NeedUpdate) -> None:
    for field in data.model_fields_set - {"nodes"}:
        value = getattr(data, field)
        if value is None and field in _EMPTY_IF_NULL:
            value = _EMPTY_IF_NULL[field]
        if field == "required_certifications" and value is None:
            value = []
        setattr(need, field, value)


def create(*, session: Session, data: NeedCreate, principal: Principal, holder: IndexHolder | None = None) -> Need:
    org = session.get(Enterprise, principal.org_id) if principal.org_id is not None else None
    if principal.role != "leader" or org is None or org.kind != "leader":
        raise Forbidden("only members of a chain-leader firm post needs")
    return _create(session, org, data, principal, holder)


def create_for(*, session: Session, poster: Enterprise, data: NeedCreate, principal: Principal,
               holder: IndexHolder | None = None) -> Need:
    """Staff draft a need in a chain-leader firm's name (as a catalogue import files one): the firm must lie in
    their regions, and the need stays a draft its poster and staff can edit before anyone sees it."""
    if not policy.may_file_for(principal, poster):
        raise Forbidden(f"{poster.code} is not a chain-leader firm in your regions; needs are filed in such a "
                        "firm's name only")
    return _create(session, poster, data, principal, holder)


def _create(session: Session, org: Enterprise, data: NeedCreate, principal: Principal,
            holder: IndexHolder | None) -> Need:
    repo = NeedRepository(session)
    need = Need(poster_org_id=org.id, created_by=principal.id, kind=data.kind, title=data.title, status="draft",
                version=1, required_certifications=[], description="", delivery_region="")
    _check_values(need, data)
    nodes = _resolve_nodes(repo, data.nodes)
    _apply(need, data)
    lifecycle.add(session, [need], [[n.id for n in nodes]])
    if holder is not None:
        reading.refresh(holder, need, [n.name for n in nodes])
    record(session, principal=principal, action="need.create", entity="need", entity_id=need.id,
           after={**content(need, nodes), "status": need.status})
    return need


def update(*, session: Session, need: Need, data: NeedUpdate, principal: Principal,
           holder: IndexHolder | None = None) -> Need:
    lifecycle.take(session, need, policy.manages(principal, need),
                   "only the posting firm and staff who reach it may edit this need",
                   conflicts={"closed": "a closed need cannot be edited"})
    repo = NeedRepository(session)
    _check_values(need, data)
    old_nodes = repo.nodes_of([need.id])[need.id]
    nodes = _resolve_nodes(repo, data.nodes) if data.nodes is not None else old_nodes
    before = content(need, old_nodes)
    old_version = need.version
    _apply(need, data)
    after = content(need, nodes)
    changed = [f for f in (*lifecycle.CONTENT_FIELDS, "nodes") if before[f] != after[f]]
    if not changed:
        return need
    if holder is not None and {"title", "description", "nodes"} & set(changed):
        reading.refresh(holder, need, after["nodes"])
    if "nodes" in changed:
        repo.set_nodes(need.id, [n.id for n in nodes])
    if need.status == "published":
        # Firms already engaged must be able to see exactly what moved, so a published edit is a new version.
        need.version += 1
        session.add(NeedVersion(need_id=need.id, version=need.version, snapshot=after, changed_fields=changed))
        for org_id in repo.engaged_orgs(need.id):
            emit(session, event="need.updated", org_id=org_id,
                 payload={"need_id": need.id, "title": need.title, "version": need.version,
                          "changed_fields": changed})
    need.updated_at = utcnow()
    session.flush()
    record(session, principal=principal, action="need.update", entity="need", entity_id=need.id,
           before={f: before[f] for f in changed} | {"version": old_version},
           after={f: after[f] for f in changed} | {"version": need.version})
    return need


def correct(*, session: Session, holder: IndexHolder, need: Need, data: UnderstandingFix,
            principal: Principal) -> Need:
    """Attach nodes to a draft's reading (as its chain nodes) or remove nodes read into its text."""
    lifecycle.take(session, need, policy.manages(principal, need),
                   "only the posting firm and staff who reach it may correct this need",
                   conflicts={s: f"the reading is corrected before publishing; this need is {s}"
                              for s in ("published", "closed")})
    repo = NeedRepository(session)
    attach, remove = _resolve_nodes(repo, data.attach), _resolve_nodes(repo, data.remove)
    both = {n.name for n in attach} & {n.name for n in remove}
    if both:
        raise Invalid("remove", f"attached and removed at once: {', '.join(sorted(both))}")
    old = repo.nodes_of([need.id])[need.id]
    before = {"nodes": [n.name for n in old], "removed_nodes": list(need.removed_nodes or [])}
    gone = {n.id for n in remove}
    nodes = [n for n in old if n.id not in gone] + [n for n in attach if n.id not in {o.id for o in old}]
    removed = [r for r in before["removed_nodes"] if r not in {n.name for n in attach}]
    need.removed_nodes = removed + [n.name for n in remove if n.name not in removed]
    repo.set_nodes(need.id, [n.id for n in nodes])
    reading.refresh(holder, need, [n.name for n in nodes])
    need.updated_at = utcnow()
    session.flush()
    record(session, principal=principal, action="need.correct", entity="need", entity_id=need.id, before=before,
           after={"nodes": [n.name for n in nodes], "removed_nodes": need.removed_nodes})
    return need


def publish(*, session: Session, holder: IndexHolder, need: Need, principal: Principal, top_n: int) -> int:
    lifecycle.take(session, need, policy.manages(principal, need),
                   "only the posting firm and staff who reach it may publish")
    if need.status != "draft":
        raise Conflict(f"only a draft can be published; this need is {need.status}")
    if lifecycle.deadline_passed(need) and need.deadline is not None:
        raise Conflict(f"the deadline {need.deadline.isoformat()} has passed; change it before publishing")
    lifecycle.mark_published(session, need)
    delivered = deliver(session, holder, need, top_n=top_n)
    record(session, principal=principal, action="need.publish", entity="need", entity_id=need.id,
           before={"status": "draft"}, after={"status": "published", "delivered": delivered, "top_n": top_n})
    return delivered


def close(*, session: Session, need: Need, principal: Principal) -> Need:
    lifecycle.take(session, need, policy.manages(principal, need),
                   "only the posting firm and staff who reach it may close")
    if need.status == "closed":
        raise Conflict("this need is closed already")
    before = need.status
    lifecycle.close(session, need)
    record(session, principal=principal, action="need.close", entity="need", entity_id=need.id,
           before={"status": before}, after={"status": "closed"})
    return need


def versions(*, session: Session, need: Need, principal: Principal) -> list[NeedVersionOut]:
    # Snapshots never hold the poster; budgets follow the need's own rule (hidden once it is closed).
    hide_budget = not policy.sight(principal, need).budget
    out = []
    for v in NeedRepository(session).versions(need.id):
        snap = dict(v.snapshot)
        if hide_budget:
            snap["budget_min"] = snap["budget_max"] = None
        out.append(NeedVersionOut(version=v.version, changed_fields=list(v.changed_fields or []), snapshot=snap,
                                  created_at=v.created_at))
    return out


def published_between(*, session: Session, start: datetime, end: datetime) -> list[PublishedNeed]:
    """Needs first published in [start, end) with their chains (quarter results)."""
    return NeedRepository(session).published_between(start, end)


def deliveries_of(*, session: Session, need_ids: Sequence[int]) -> list[Delivery]:
    return NeedRepository(session).deliveries_of(need_ids)
