"""Rules of 揭榜挂帅 challenges: who posts, sees, edits, publishes and closes them.

A challenge is a Need of kind "technology" plus a Challenge row with its terms; both share the need's id.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.access import needs as policy
from app.challenges.repository import ChallengeRepository
from app.challenges.schemas import ChallengeCreate, ChallengeOut, ChallengeWrite
from app.core.audit import record, snapshot
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.schemas import NodeRef, Page
from app.core.vocabulary import DEFAULT_TOP_N
from app.enterprises.schemas import EnterpriseSummary
from app.match_index.holder import IndexHolder
from app.models import Challenge, Need, Principal
from app.models._types import utcnow
from app.needs import lifecycle
from app.needs.delivery import deliver
from app.needs.repository import NeedRepository

NEED_FIELDS = ("title", "description", "scope", "deadline", "anonymous", "status", "published_at")
TERM_FIELDS = ("prize_amount", "mode", "ip_terms", "max_winners")


def today() -> date:
    return utcnow().date()


def get_visible(session: Session, principal: Principal, need_id: int) -> tuple[Need, Challenge]:
    """The challenge, or 404 when it does not exist or is a draft the caller may not know of."""
    found = ChallengeRepository(session).get(need_id)
    if found is None:
        raise NotFound(f"challenge {need_id} not found")
    policy.viewable(principal, found[0], need_id, what="challenge")
    return found


def _snap(need: Need, challenge: Challenge) -> dict[str, object]:
    return snapshot(need, NEED_FIELDS) | snapshot(challenge, TERM_FIELDS)


def _check_deadline(deadline: date | None) -> None:
    if deadline is not None and deadline <= today():
        raise Invalid("deadline", "must be a date in the future")


def _set_nodes(session: Session, need: Need, keys: list[str | int]) -> list[str]:
    nodes, unknown = ChallengeRepository(session).nodes_by_key(keys)
    if unknown:
        raise Invalid("nodes", f"unknown chain node(s): {', '.join(unknown[:10])}")
    NeedRepository(session).set_nodes(need.id, [n.id for n in nodes])
    return sorted(n.name for n in nodes)


def create(*, session: Session, data: ChallengeCreate, principal: Principal) -> Need:
    if principal.role != "leader" or principal.org_id is None:
        raise Forbidden("only chain leaders post challenges")
    _check_deadline(data.deadline)
    nodes, unknown = ChallengeRepository(session).nodes_by_key(data.nodes)
    if unknown:
        raise Invalid("nodes", f"unknown chain node(s): {', '.join(unknown[:10])}")
    need = Need(poster_org_id=principal.org_id, created_by=principal.id, kind="technology", title=data.title,
                description=data.description, scope=data.scope, deadline=data.deadline, anonymous=data.anonymous,
                status="draft", required_certifications=[])
    lifecycle.add(session, [need], [[n.id for n in nodes]])
    challenge = Challenge(need_id=need.id, prize_amount=data.prize_amount, mode=data.mode, ip_terms=data.ip_terms,
                          max_winners=data.max_winners)
    session.add(challenge)
    session.flush()
    names = sorted(n.name for n in nodes)
    record(session, principal=principal, action="challenge.create", entity="challenge", entity_id=need.id,
           after=_snap(need, challenge) | {"nodes": names})
    return need


def update(*, session: Session, need: Need, challenge: Challenge, data: ChallengeWrite,
           principal: Principal) -> Need:
    lifecycle.take(session, need, policy.is_poster(principal, need), "only the posting firm may edit its challenge")
    if need.status != "draft":
        raise Conflict(f"the challenge is {need.status}; only drafts can be edited")
    fields = data.model_dump(exclude_unset=True)
    for key in ("title", "scope", "deadline", "mode", "max_winners", "anonymous", "nodes"):
        if key in fields and fields[key] is None:
            raise Invalid(key, "may not be null")
    _check_deadline(fields.get("deadline"))
    before = _snap(need, challenge)
    for key, value in fields.items():
        if key == "nodes":
            continue
        target = challenge if key in TERM_FIELDS else need
        if value is None and key in ("description", "ip_terms"):
            value = ""
        setattr(target, key, value)
    node_change: dict[str, object] = {}
    if "nodes" in fields:
        old = sorted(n.name for n in ChallengeRepository(session).nodes_of([need.id])[need.id])
        new = _set_nodes(session, need, fields["nodes"])
        if old != new:
            node_change = {"nodes": (old, new)}
    need.updated_at = utcnow()
    session.flush()
    after = _snap(need, challenge)
    if node_change:
        before["nodes"], after["nodes"] = node_change["nodes"]  # type: ignore[misc]
    record(session, principal=principal, action="challenge.update", entity="challenge", entity_id=need.id,
           before=before, after=after)
    return need


def publish(*, session: Session, holder: IndexHolder, need: Need, challenge: Challenge,
            principal: Principal) -> int:
    """Publish a draft and deliver it to the best-fitting solvers (定向发布); returns how many were reached."""
    lifecycle.take(session, need, policy.manages(principal, need),
                   "only the posting firm and staff who reach it publish a challenge")
    if need.status != "draft":
        raise Conflict(f"the challenge is {need.status} already")
    if lifecycle.deadline_passed(need, today()):
        raise Conflict("the deadline has passed; move it before publishing")
    before = _snap(need, challenge)
    # A challenge is a need: published the same way, with its first frozen version.
    lifecycle.mark_published(session, need)
    reached = deliver(session, holder, need, top_n=DEFAULT_TOP_N)
    record(session, principal=principal, action="challenge.publish", entity="challenge", entity_id=need.id,
           before=before, after=_snap(need, challenge) | {"delivered_to": reached})
    return reached


def close(*, session: Session, need: Need, challenge: Challenge, principal: Principal) -> Need:
    lifecycle.take(session, need, policy.manages(principal, need),
                   "only the posting firm and staff who reach it close a challenge",
                   conflicts={"closed": "the challenge is closed already"})
    before = _snap(need, challenge)
    lifecycle.close(session, need)
    record(session, principal=principal, action="challenge.close", entity="challenge", entity_id=need.id,
           before=before, after=_snap(need, challenge))
    return need


def out(session: Session, rows: list[tuple[Need, Challenge]], principal: Principal) -> list[ChallengeOut]:
    repo = ChallengeRepository(session)
    ids = [n.id for n, _ in rows]
    nodes = repo.nodes_of(ids)
    posters = repo.enterprises([n.poster_org_id for n, _ in rows])
    sights = policy.sights(principal, [n for n, _ in rows])
    delivered = repo.delivered_counts([n.id for n, _ in rows if sights[n.id].managed])
    items = []
    for need, ch in rows:
        insider = sights[need.id].managed
        poster = posters.get(need.poster_org_id)
        shown = poster is not None and sights[need.id].poster
        items.append(ChallengeOut(
            id=need.id, title=need.title, description=need.description,
            nodes=[NodeRef.model_validate(n) for n in nodes[need.id]], scope=need.scope,
            prize_amount=ch.prize_amount, deadline=need.deadline, mode=ch.mode, ip_terms=ch.ip_terms,
            max_winners=ch.max_winners, anonymous=need.anonymous, status=need.status,
            poster=EnterpriseSummary.model_validate(poster) if shown else None, created_at=need.created_at,
            published_at=need.published_at, delivered_to=delivered.get(need.id, 0) if insider else None))
    return items


def search(*, session: Session, principal: Principal, mode: str | None, status: str | None, limit: int,
           offset: int) -> Page[ChallengeOut]:
    rows, total = ChallengeRepository(session).search(policy.visible_clause(principal), mode=mode, status=status,
                                                      limit=limit, offset=offset)
    return Page(items=out(session, rows, principal), total=total, limit=limit, offset=offset)
