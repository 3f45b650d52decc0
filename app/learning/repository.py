"""Queries of the learner: impressions with the outcome of their (need, firm), and the stored re-rankers."""

from __future__ import annotations

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session, aliased

from app.models import EventMeeting, EventParticipant, Impression, Need, Opportunity, RankerModel


class LearningRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def impressions(self) -> list[tuple[Impression, int, str | None, str | None]]:
        """Every impression with its need's posting firm and the firm's and the poster's answer (None: no answer)."""
        stmt = (select(Impression, Need.poster_org_id, Opportunity.sme_status, Opportunity.poster_status)
                .join(Need, Need.id == Impression.need_id)
                .outerjoin(Opportunity, and_(Opportunity.need_id == Impression.need_id,
                                             Opportunity.enterprise_id == Impression.enterprise_id))
                .order_by(Impression.id))
        return [(i, poster, s, p) for i, poster, s, p in self.session.execute(stmt)]

    def meeting_outcomes(self) -> list[tuple[int, int, str]]:
        """(firm, firm, outcome) of every matchmaking-event meeting whose outcome was recorded."""
        a, b = aliased(EventParticipant), aliased(EventParticipant)
        stmt = (select(a.enterprise_id, b.enterprise_id, EventMeeting.outcome)
                .join(a, a.id == EventMeeting.a_id).join(b, b.id == EventMeeting.b_id)
                .where(EventMeeting.outcome.is_not(None)))
        return [(x, y, str(o)) for x, y, o in self.session.execute(stmt)]

    def install(self, model: RankerModel) -> None:
        self.session.execute(update(RankerModel).where(RankerModel.id != model.id).values(installed=False))
        model.installed = True
