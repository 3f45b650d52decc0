"""The three-level industry tree and each industry's supply links."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.errors import Invalid, NotFound
from app.industries.repository import IndustryRepository
from app.industries.schemas import IndustryDetail, IndustryRef, IndustryTreeNode


def industry_scope(session: Session, code: str) -> list[int]:
    """The industry with that code and all industries below it (level 1 and 2 codes cover their subtree)."""
    repo = IndustryRepository(session)
    root = repo.by_code(code)
    if root is None:
        raise Invalid("industry", f"unknown industry code {code}")
    return repo.subtree_ids(root.id)



def tree(*, session: Session) -> list[IndustryTreeNode]:
    nodes: dict[int, IndustryTreeNode] = {}
    parents: dict[int, int | None] = {}
    for ind in IndustryRepository(session).all():
        nodes[ind.id] = IndustryTreeNode(code=ind.code, name=ind.name, level=ind.level)
        parents[ind.id] = ind.parent_id
    roots: list[IndustryTreeNode] = []
    for id_, node in nodes.items():
        parent = parents[id_]
        (nodes[parent].children if parent in nodes else roots).append(node)
    return roots


def detail(*, session: Session, code: str) -> IndustryDetail:
    repo = IndustryRepository(session)
    ind = repo.by_code(code)
    if ind is None:
        raise NotFound(f"industry {code} not found")
    parent = session.get(type(ind), ind.parent_id) if ind.parent_id else None

    def refs(items: list) -> list[IndustryRef]:  # type: ignore[type-arg]
        return [IndustryRef.model_validate(i) for i in items]

    return IndustryDetail(
        code=ind.code, name=ind.name, level=ind.level,
        parent=IndustryRef.model_validate(parent) if parent else None,
        children=refs(repo.children(ind.id)), upstream=refs(repo.upstream(ind.id)),
        downstream=refs(repo.downstream(ind.id)),
        enterprises=repo.enterprise_count(industry_scope(session, code)),
    )
