"""Impressions: every match put before a poster or into a feed, with the evidence behind its score, for the
learner (app/learning). One row per (need, firm, source); the first sight is the one kept."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.models import Impression
from app.needs.repository import NeedRepository
from matching import MatchResult
from matching.learner import features_of


def log_impressions(session: Session, need_id: int, results: Sequence[MatchResult], *, source: str,
                    offset: int = 0) -> None:
    if not results:
        return
    seen = NeedRepository(session).impressed(need_id, source, [r.enterprise_id for r in results])
    for rank, r in enumerate(results, start=offset + 1):
        if r.enterprise_id not in seen:
            session.add(Impression(need_id=need_id, enterprise_id=r.enterprise_id, source=source, rank=rank,
                                   match=r.match, score=float(r.score), features=features_of(r)))
    session.flush()
