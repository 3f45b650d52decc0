"""Rules of the kinds list: one row per (item, category), the item a name the engine reads (a node's name or an
alias) and never the category's own, every change audited and taken up by the match index once committed (in this
worker at once, in the others by their poll, as the aliases are)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.chains.service import get_node
from app.core.audit import record
from app.core.errors import Conflict, Invalid, NotFound
from app.kinds.repository import KindRepository
from app.kinds.schemas import MemberIn
from app.match_index.freshness import queue_alias_refresh
from app.models import NodeKind, Principal
from matching.analyzer import normalize


def list_members(*, session: Session, key: str) -> list[NodeKind]:
    return KindRepository(session).members_of(get_node(session=session, key=key).name)


def list_kinds(*, session: Session, key: str) -> list[NodeKind]:
    return KindRepository(session).kinds_of(get_node(session=session, key=key).name)


def add(*, session: Session, key: str, data: MemberIn, principal: Principal) -> NodeKind:
    node = get_node(session=session, key=key)
    if normalize(data.item).strip() == normalize(node.name).strip():
        raise Invalid("item", "a member must differ from the category's own name")
    repo = KindRepository(session)
    if not repo.readable(data.item):
        raise Invalid("item", "matching reads only product names and aliases: add it as an alias of its product first")
    if repo.find(data.item, node.name) is not None:
        raise Conflict(f"{data.item} is a member of {node.name} already")
    row = NodeKind(item=data.item, kind_name=node.name, source=data.source, created_by=principal.id)
    session.add(row)
    session.flush()
    queue_alias_refresh(session)
    record(session, principal=principal, action="kind.add", entity="node_kind", entity_id=row.id,
           after={"item": row.item, "kind": node.name, "source": row.source})
    return row


def remove(*, session: Session, key: str, member_id: int, principal: Principal) -> None:
    node = get_node(session=session, key=key)
    row = KindRepository(session).get(member_id, node.name)
    if row is None:
        raise NotFound(f"member {member_id} of {node.name} not found")
    before = {"item": row.item, "kind": node.name, "source": row.source}
    session.delete(row)
    session.flush()
    queue_alias_refresh(session)
    record(session, principal=principal, action="kind.remove", entity="node_kind", entity_id=member_id,
           before=before)
