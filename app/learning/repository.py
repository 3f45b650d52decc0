"""Queries of the learner: impressions with the outcome of their (need, firm), and the stored re-rankers."""

from __future__ import annotations

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from app.models import Impression, Opportunity, RankerModel


class LearningRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def impressions(self) -> list[tuple[Impression, str | None, str | None]]:
        """Every impression with the firm's and the poster's answer (None: no answer row)."""
        stmt = (select(Impression, Opportunity.sme_status, Opportunity.poster_status)
                .outerjoin(Opportunity, and_(Opportunity.need_id == Impression.need_id,
                                             Opportunity.enterprise_id == Impression.enterprise_id))
                .order_by(Impression.id))
        return [(i, s, p) for i, s, p in self.session.execute(stmt)]

    def install(self, model: RankerModel) -> None:
        self.session.execute(update(RankerModel).where(RankerModel.id != model.id).values(installed=False))
        model.installed = True
