"""The learner on outcomes stored like real ones: impressions of (need, firm) and the answers to them."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.learning.service import learn, samples
from app.models import Enterprise, Event, EventMeeting, EventParticipant, Impression, Need, Opportunity, RankerModel
from app.models._types import utcnow
from matching.learner import FEATURES, GRADES


def _plant(session: Session, *, preferred: str, needs: int = 24, seed: int = 3) -> None:
    """Needs shown to posters with the engine's order by graph evidence; firms answered by ``preferred``."""
    rng = np.random.default_rng(seed)
    poster = session.scalar(select(Enterprise.id).where(Enterprise.code == "100006"))
    firms = list(session.scalars(select(Enterprise.id).where(Enterprise.code != "100006")))
    start = utcnow() - timedelta(days=needs)
    for n in range(needs):
        need = Need(poster_org_id=poster, kind="procurement", title=f"需求{n}", description="", status="published",
                    version=1, required_certifications=[], delivery_region="")
        session.add(need)
        session.flush()
        feats = {f: dict(zip(FEATURES, rng.random(len(FEATURES)), strict=True)) for f in firms}
        for rank, f in enumerate(sorted(firms, key=lambda f: -feats[f]["graph"]), start=1):
            session.add(Impression(need_id=need.id, enterprise_id=f, source="shown", rank=rank, match=50,
                                   score=feats[f]["graph"], features=feats[f], created_at=start + timedelta(days=n)))
            liked = feats[f][preferred]
            if liked > 0.8 or liked < 0.2:
                session.add(Opportunity(need_id=need.id, enterprise_id=f, need_version=1, explanation={},
                                        sme_status="interested" if liked > 0.8 else "dismissed", sme_message="",
                                        poster_status="selected" if liked > 0.9 else "none", poster_reason=""))
    session.flush()


def test_a_planted_preference_is_learned_installed_and_reported(client: TestClient, small: Session) -> None:
    _plant(small, preferred="cooccurrence")
    grades = {s.grade for s in samples(small)}
    assert grades == {0, 1, 2, 4}
    row = learn(small)
    ev = row.evaluation
    assert row.installed and ev["wins"] and ev["ndcg10_model"] > ev["ndcg10_current"]
    coef = dict(zip(row.params["features"], row.params["coef"], strict=True))
    assert max(coef, key=coef.get) == "cooccurrence"
    small.commit()
    holder = client.app.state.index  # type: ignore[attr-defined]
    holder.refresh_model()
    health = client.get("/health").json()["index"]["reranker"]
    assert health["id"] == row.id and health["evaluation"]["ndcg10_model"] == ev["ndcg10_model"]
    # a second model that does not win is stored, not installed, and the first stays in use
    second = learn(small, min_gain=1.0)
    assert not second.installed and small.get(RankerModel, row.id).installed  # type: ignore[union-attr]


def test_a_model_that_drops_a_quality_check_is_not_installed(small: Session) -> None:
    _plant(small, preferred="text")
    row = learn(small, check=lambda model: {"B1": (0.99, 0.95)})
    assert row.evaluation["wins"] and not row.evaluation["quality_kept"] and not row.installed
    assert row.evaluation["quality"] == {"B1": {"without": 0.99, "with": 0.95}}


def test_the_installed_model_orders_matches_and_can_be_withdrawn(client: TestClient, small: Session,
                                                                  tokens) -> None:  # type: ignore[no-untyped-def]
    def codes() -> list[str]:
        resp = client.post("/api/v1/match", json={"text": "采购碳酸锂"}, headers=tokens.header("leader"))
        assert resp.status_code == 200, resp.text
        return [i["enterprise"]["code"] for i in resp.json()["items"]]

    engine = codes()
    assert set(engine[:2]) == {"100002", "100003"}
    # a (deliberately perverse) model that prefers firms without graph evidence
    params = {"features": list(FEATURES), "coef": [-10.0, 0, 0, 0, 0, 0, 0], "intercept": 0.0, "C": 1.0}
    row = RankerModel(kind="logistic_regression", params=params, evaluation={}, installed=True)
    small.add(row)
    small.commit()
    holder = client.app.state.index  # type: ignore[attr-defined]
    holder.refresh_model()
    learned = codes()
    assert sorted(learned) == sorted(engine) and not set(learned[:2]) & {"100002", "100003"}
    row.installed = False
    small.commit()
    holder.refresh_model()
    assert codes() == engine and holder.reranker is None


def test_matchmaking_event_outcomes_grade_the_matches_between_poster_and_firm(small: Session) -> None:
    poster = small.scalar(select(Enterprise.id).where(Enterprise.code == "100006"))
    firms = list(small.scalars(select(Enterprise.id).where(Enterprise.code != "100006").order_by(Enterprise.id)))[:3]
    need = Need(poster_org_id=poster, kind="procurement", title="需求", description="", status="published", version=1,
                required_certifications=[], delivery_region="")
    small.add(need)
    small.flush()
    for rank, f in enumerate(firms, start=1):
        small.add(Impression(need_id=need.id, enterprise_id=f, source="shown", rank=rank, match=50, score=1.0 / rank,
                             features={}, created_at=utcnow()))
    event = Event(title="对接会", slots=[["2026-12-01T09:00", "2026-12-01T09:20"]], tables=2)
    small.add(event)
    small.flush()
    people = {e: EventParticipant(event_id=event.id, enterprise_id=e) for e in [poster, *firms]}
    small.add_all(people.values())
    small.flush()
    for f, outcome in zip(firms, ["signed", "intent", "no_interest"], strict=True):
        small.add(EventMeeting(event_id=event.id, a_id=people[f].id, b_id=people[poster].id, slot=0, table_no=0,
                               source="accepted", outcome=outcome))
    small.flush()
    by_rank = {s.rank: s.grade for s in samples(small)}
    assert by_rank == {1: GRADES["selected"], 2: GRADES["invited"], 3: GRADES["dismissed"]}
