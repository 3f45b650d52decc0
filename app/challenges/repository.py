"""Queries over challenges (a technology need plus its terms) and their applications."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, select
from sqlalchemy.orm import Session

from app.core.pagination import count_rows
from app.enterprises.repository import EnterpriseRepository
from app.models import Application, ChainNode, Challenge, Enterprise, Need, Opportunity
from app.needs.repository import NeedRepository


class ChallengeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, need_id: int) -> tuple[Need, Challenge] | None:
        row = self.session.execute(select(Need, Challenge).join(Challenge, Challenge.need_id == Need.id)
                                   .where(Need.id == need_id, Need.kind == "technology")).first()
        return (row[0], row[1]) if row else None

    def search(self, visible: ColumnElement[bool], *, mode: str | None, status: str | None, limit: int,
               offset: int) -> tuple[list[tuple[Need, Challenge]], int]:
        """Challenges matching the filters among those ``visible`` (app.access.needs.visible_clause) selects."""
        stmt = (
            select(Need, Challenge).join(Challenge, Challenge.need_id == Need.id)
            .where(Need.kind == "technology", visible))
        if mode:
            stmt = stmt.where(Challenge.mode == mode)
        if status:
            stmt = stmt.where(Need.status == status)
        total = count_rows(self.session, stmt)
        rows = self.session.execute(stmt.order_by(Need.id.desc()).limit(limit).offset(offset)).all()
        return [(row[0], row[1]) for row in rows], total

    def nodes_of(self, need_ids: Sequence[int]) -> dict[int, list[ChainNode]]:
        return NeedRepository(self.session).nodes_of(need_ids)

    def enterprises(self, ids: Sequence[int]) -> dict[int, Enterprise]:
        return EnterpriseRepository(self.session).by_ids(ids)

    def delivered_counts(self, need_ids: Sequence[int]) -> dict[int, int]:
        """How many firms each challenge was delivered to (absent: none), in one query for a whole page."""
        if not need_ids:
            return {}
        stmt = (select(Opportunity.need_id, func.count()).where(Opportunity.need_id.in_(list(need_ids)))
                .group_by(Opportunity.need_id))
        return {need_id: count for need_id, count in self.session.execute(stmt)}

    def was_targeted(self, need_id: int, org_id: int) -> bool:
        return self.session.scalar(select(Opportunity.id).where(Opportunity.need_id == need_id,
                                                                Opportunity.enterprise_id == org_id)) is not None


class ApplicationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of_challenge(self, need_id: int, *, status: str | None, limit: int,
                     offset: int) -> tuple[list[Application], int]:
        stmt = select(Application).where(Application.need_id == need_id)
        if status:
            stmt = stmt.where(Application.status == status)
        return self._page(stmt, limit, offset)

    def of_org(self, org_id: int, *, status: str | None, limit: int, offset: int) -> tuple[list[Application], int]:
        stmt = select(Application).where(Application.applicant_org_id == org_id)
        if status:
            stmt = stmt.where(Application.status == status)
        return self._page(stmt, limit, offset)

    def _page(self, stmt: Select[Any], limit: int, offset: int) -> tuple[list[Application], int]:
        total = count_rows(self.session, stmt)
        rows = self.session.scalars(stmt.order_by(Application.id).limit(limit).offset(offset)).all()
        return list(rows), total

    def team_invitations(self, code: str, *, limit: int, offset: int) -> tuple[list[Application], int]:
        """Applications naming this firm as a team member. The team is a JSON list of codes: matched as text
        ("code" with its quotes, so 10000 does not match 100002), which reads alike on SQLite and PostgreSQL."""
        stmt = select(Application).where(cast(Application.team, String).contains(f'"{code}"', autoescape=True))
        return self._page(stmt, limit, offset)

    def exists(self, need_id: int, org_id: int) -> Application | None:
        return self.session.scalar(select(Application).where(Application.need_id == need_id,
                                                             Application.applicant_org_id == org_id))

    def count_selected(self, need_id: int) -> int:
        return self.session.scalar(select(func.count()).select_from(Application).where(
            Application.need_id == need_id, Application.status == "selected")) or 0

    def codes(self, codes: Sequence[str]) -> dict[str, Enterprise]:
        if not codes:
            return {}
        return {e.code: e for e in self.session.scalars(select(Enterprise).where(Enterprise.code.in_(list(codes))))}

    def titles(self, need_ids: Sequence[int]) -> dict[int, Need]:
        if not need_ids:
            return {}
        return {n.id: n for n in self.session.scalars(select(Need).where(Need.id.in_(list(set(need_ids)))))}
