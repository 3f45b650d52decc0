"""Typed helpers that build catalogue test data directly through the models (no needs API needed)."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Chain, ChainNode, Enterprise, Need, NeedNode
from app.models._types import utcnow

_seq = itertools.count(1)


def enterprise_id(session: Session, code: str) -> int:
    found = session.scalar(select(Enterprise.id).where(Enterprise.code == code))
    assert found is not None
    return found


def create_chain(session: Session, *, code: str | None = None) -> Chain:
    n = next(_seq)
    chain = Chain(code=code or f"li{n}", name=f"锂电池链{n}", description="")
    session.add(chain)
    session.flush()
    return chain


def create_need(session: Session, *, poster: str = "100006", title: str = "采购碳酸锂", kind: str = "procurement",
                nodes: tuple[str, ...] = ("碳酸锂",), status: str = "draft", **fields: Any) -> Need:
    # A published need has its publication time, as the needs service and the publication job set it.
    published_at = fields.pop("published_at", utcnow() if status == "published" else None)
    need = Need(poster_org_id=enterprise_id(session, poster), kind=kind, title=title,
                description=fields.pop("description", f"{title}，长期合作"), scope=fields.pop("scope", "node"),
                status=status, version=1, required_certifications=fields.pop("required_certifications", []),
                published_at=published_at, **fields)
    session.add(need)
    session.flush()
    for name in nodes:
        node_id = session.scalar(select(ChainNode.id).where(ChainNode.name == name))
        assert node_id is not None, name
        session.add(NeedNode(need_id=need.id, node_id=node_id))
    session.flush()
    return need
