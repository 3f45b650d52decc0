"""Queries on the alias list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import NodeAlias


class AliasRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of_node(self, node_name: str) -> list[NodeAlias]:
        return list(self.session.scalars(select(NodeAlias).where(NodeAlias.node_name == node_name)
                                         .order_by(NodeAlias.id)))

    def find(self, alias: str, node_name: str) -> NodeAlias | None:
        return self.session.scalar(select(NodeAlias).where(NodeAlias.alias == alias, NodeAlias.node_name == node_name))

    def get(self, alias_id: int, node_name: str) -> NodeAlias | None:
        row = self.session.get(NodeAlias, alias_id)
        return row if row is not None and row.node_name == node_name else None
