"""The chain graph: nodes (products, segments), typed edges between them, and named chains."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.models._types import utcnow

# "input": src is an upstream input of dst; "subkind": dst is a narrower kind of src.
EDGE_TYPES = ("input", "subkind")


class ChainNode(Base):
    __tablename__ = "chain_nodes"
    # Enterprise search finds products through node names (name contains q): a trigram index on PostgreSQL.
    # (On SQLite it is a plain copy of the unique index; the models cannot declare an index for one dialect only.)
    __table_args__ = (Index("ix_chain_nodes_name_trgm", "name", postgresql_using="gin",
                            postgresql_ops={"name": "gin_trgm_ops"}),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(16), default="product")


class NodeAlias(Base):
    """A word people write for a chain node (MCU → 微控制器), with where that knowledge comes from.

    Keyed by the node's name, not its id, so the reviewed list (matching/data/aliases.csv, seeded by the
    migration) can be loaded before the chain data is; the engine skips aliases of nodes it does not have.
    """

    __tablename__ = "node_aliases"
    __table_args__ = (UniqueConstraint("alias", "node_name", name="uq_node_aliases_alias_node_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(100))
    node_name: Mapped[str] = mapped_column(String(200), index=True)
    source: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class NodeKind(Base):
    """A product buyers name that is a kind of a category node (动力煤 is a 煤炭), with where that knowledge comes
    from. ``item`` is a node's name or an alias; ``kind_name`` the category's name. Keyed by names, as the aliases
    are, so the reviewed list (matching/data/kinds.csv, seeded by the migration) loads before the chain data."""

    __tablename__ = "node_kinds"
    __table_args__ = (UniqueConstraint("item", "kind_name", name="uq_node_kinds_item_kind_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item: Mapped[str] = mapped_column(String(100))
    kind_name: Mapped[str] = mapped_column(String(200), index=True)
    source: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("principals.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class NodeEdge(Base):
    __tablename__ = "node_edges"
    __table_args__ = (
        UniqueConstraint("src_id", "dst_id", "type", name="uq_node_edges_src_dst_type"),
        Index("ix_node_edges_dst_type", "dst_id", "type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    src_id: Mapped[int] = mapped_column(ForeignKey("chain_nodes.id", ondelete="CASCADE"))
    dst_id: Mapped[int] = mapped_column(ForeignKey("chain_nodes.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(16))


class Chain(Base):
    """A named sub-graph such as 新能源汽车 or 锂电池, curated by operators."""

    __tablename__ = "chains"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    root_node_id: Mapped[int | None] = mapped_column(ForeignKey("chain_nodes.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ChainMember(Base):
    __tablename__ = "chain_members"

    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id", ondelete="CASCADE"), primary_key=True)
    node_id: Mapped[int] = mapped_column(
        ForeignKey("chain_nodes.id", ondelete="CASCADE"), primary_key=True, index=True
    )
