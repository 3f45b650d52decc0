"""Rules of the alias list: one row per (alias, node), never a node's own name, every change audited and
taken up by the match index once committed (in this worker at once, in the others by their poll)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.aliases.repository import AliasRepository
from app.aliases.schemas import AliasIn
from app.chains.service import get_node
from app.core.audit import record
from app.core.errors import Conflict, Invalid, NotFound
from app.match_index.freshness import queue_alias_refresh
from app.models import NodeAlias, Principal
from matching.analyzer import normalize


def list_for_node(*, session: Session, key: str) -> list[NodeAlias]:
    return AliasRepository(session).of_node(get_node(session=session, key=key).name)


def add(*, session: Session, key: str, data: AliasIn, principal: Principal) -> NodeAlias:
    node = get_node(session=session, key=key)
    if normalize(data.alias).strip() == normalize(node.name).strip():
        raise Invalid("alias", "an alias must differ from the node's own name")
    repo = AliasRepository(session)
    if repo.find(data.alias, node.name) is not None:
        raise Conflict(f"{data.alias} is an alias of {node.name} already")
    row = NodeAlias(alias=data.alias, node_name=node.name, source=data.source, created_by=principal.id)
    session.add(row)
    session.flush()
    queue_alias_refresh(session)
    record(session, principal=principal, action="alias.add", entity="node_alias", entity_id=row.id,
           after={"alias": row.alias, "node": node.name, "source": row.source})
    return row


def remove(*, session: Session, key: str, alias_id: int, principal: Principal) -> None:
    node = get_node(session=session, key=key)
    row = AliasRepository(session).get(alias_id, node.name)
    if row is None:
        raise NotFound(f"alias {alias_id} of {node.name} not found")
    before = {"alias": row.alias, "node": node.name, "source": row.source}
    session.delete(row)
    session.flush()
    queue_alias_refresh(session)
    record(session, principal=principal, action="alias.remove", entity="node_alias", entity_id=alias_id,
           before=before)
