"""Queries on the kinds list."""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from app.models import ChainNode, NodeAlias, NodeKind


class KindRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def members_of(self, kind_name: str) -> list[NodeKind]:
        return list(self.session.scalars(select(NodeKind).where(NodeKind.kind_name == kind_name)
                                         .order_by(NodeKind.id)))

    def kinds_of(self, node_name: str) -> list[NodeKind]:
        """The rows whose item is the node's name or an alias of it: what a need naming it also seeks."""
        aliases = select(NodeAlias.alias).where(NodeAlias.node_name == node_name)
        return list(self.session.scalars(select(NodeKind).where(or_(NodeKind.item == node_name,
                                                                    NodeKind.item.in_(aliases)))
                                         .order_by(NodeKind.id)))

    def readable(self, item: str) -> bool:
        """Whether matching reads ``item`` as a product: a node's name or an alias."""
        return bool(self.session.scalar(select(exists().where(ChainNode.name == item)))
                    or self.session.scalar(select(exists().where(NodeAlias.alias == item))))

    def find(self, item: str, kind_name: str) -> NodeKind | None:
        return self.session.scalar(select(NodeKind).where(NodeKind.item == item, NodeKind.kind_name == kind_name))

    def get(self, member_id: int, kind_name: str) -> NodeKind | None:
        row = self.session.get(NodeKind, member_id)
        return row if row is not None and row.kind_name == kind_name else None
