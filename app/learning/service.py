"""Learn a re-ranker from outcomes and install it only when it does better (matching.learner does the maths).

Each (need, firm) put before a poster or into a feed is one sample: the evidence behind its score when first
shown, the engine's rank, and the furthest it went (selected > invited > interested > shown > dismissed). The
newest needs are held out; the model is installed only when its order beats the engine's on them by more than
``min_gain`` and no quality check given (the B1/B2/B4 figures, see ``chainmatch learn --queries``) drops.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from app.learning.repository import LearningRepository
from app.models import Impression, RankerModel
from matching.learner import GRADES, Reranker, Sample, evaluate, time_split, vector

# (model) -> {check name: (figure without the model, figure with it)}
QualityCheck = Callable[[Reranker], dict[str, tuple[float, float]]]


def grade(sme_status: str | None, poster_status: str | None) -> int:
    """How far a match went: the poster's decision first, then the firm's answer."""
    if poster_status in ("selected", "invited"):
        return GRADES[poster_status]
    if sme_status in ("interested", "dismissed"):
        return GRADES[sme_status]
    return GRADES["shown"]


# What a matchmaking-event meeting between a need's poster and a firm says about the match (供需对接会 outcomes).
MEETING_GRADES = {"signed": GRADES["selected"], "intent": GRADES["invited"], "no_interest": GRADES["dismissed"]}


def with_meeting(current: int, outcome: str | None) -> int:
    """A meeting's outcome raises the grade (意向, 签约); "no interest" lowers only a match nobody answered."""
    if outcome is None:
        return current
    met = MEETING_GRADES[outcome]
    return met if met > current or current == GRADES["shown"] else current


def samples(session: Session) -> list[Sample]:
    """One sample per (need, firm): its first impression (the poster's view before the feed's), its outcome: the
    answers on the need, and the best outcome of a matchmaking-event meeting between the poster and the firm."""
    repo = LearningRepository(session)
    met: dict[tuple[int, int], str] = {}
    for x, y, outcome in repo.meeting_outcomes():
        for pair in ((x, y), (y, x)):
            if pair not in met or MEETING_GRADES[outcome] > MEETING_GRADES[met[pair]]:
                met[pair] = outcome
    first: dict[tuple[int, int], tuple[Impression, int]] = {}
    for imp, poster_org, sme, poster in repo.impressions():
        key = (imp.need_id, imp.enterprise_id)
        if key not in first or (first[key][0].source != "shown" and imp.source == "shown"):
            first[key] = (imp, with_meeting(grade(sme, poster), met.get((poster_org, imp.enterprise_id))))
    return [Sample(group=imp.need_id, time=imp.created_at.timestamp(), rank=imp.rank,
                   features=tuple(vector(imp.features)), grade=g) for imp, g in first.values()]


def learn(session: Session, *, test_share: float = 0.3, min_gain: float = 0.0, C: float = 1.0,
          check: QualityCheck | None = None, install: bool = True) -> RankerModel:
    """Fit, evaluate on a time split, store; install when it wins and no check drops. Raises ValueError when
    there is too little to learn from."""
    data = samples(session)
    train, test = time_split(data, test_share)
    if not train or not test:
        raise ValueError(f"too few needs with impressions to learn and test ({len({s.group for s in data})})")
    model = Reranker(C=C).fit(train)
    held = evaluate(model, test)
    if held["needs"] == 0:
        raise ValueError("no held-out need has an outcome beyond being shown: nothing to test the model on")
    quality = {name: {"without": round(a, 4), "with": round(b, 4)}
               for name, (a, b) in (check(model) if check else {}).items()}
    wins = held["model"] > held["current"] + min_gain
    kept = all(q["with"] >= q["without"] for q in quality.values())
    evaluation = {"samples": len(data), "train_samples": len(train), "test_samples": len(test),
                  "test_needs": held["needs"], "ndcg10_current": round(held["current"], 4),
                  "ndcg10_model": round(held["model"], 4), "min_gain": min_gain, "quality": quality,
                  "wins": wins, "quality_kept": kept}
    row = RankerModel(kind="logistic_regression", params=model.params(), evaluation=evaluation, installed=False)
    session.add(row)
    session.flush()
    if install and wins and kept:
        LearningRepository(session).install(row)
        session.flush()
    return row
