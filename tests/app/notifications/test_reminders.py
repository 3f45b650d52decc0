"""deadline.soon: once per (need, organisation), to the poster and the interested, for needs closing in 3 days."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Enterprise, Need, Notification, Opportunity
from app.models._types import utcnow
from app.notifications.reminders import remind_deadlines


def org(session: Session, code: str) -> int:
    found = session.scalar(select(Enterprise.id).where(Enterprise.code == code))
    assert found is not None
    return found


def need(session: Session, *, days: int | None, status: str = "published", title: str = "碳酸锂采购") -> Need:
    today = utcnow().date()
    row = Need(poster_org_id=org(session, "100006"), kind="procurement", title=title, status=status,
               deadline=today + timedelta(days=days) if days is not None else None)
    session.add(row)
    session.flush()
    return row


def test_reminds_poster_and_interested_once(small: Session) -> None:
    soon = need(small, days=2)
    for code, status in (("100002", "interested"), ("100003", "dismissed"), ("100004", "none")):
        small.add(Opportunity(need_id=soon.id, enterprise_id=org(small, code), sme_status=status))
    need(small, days=5, title="太远")
    need(small, days=-1, title="已过")
    need(small, days=1, status="draft", title="草稿")
    need(small, days=None, title="无期限")
    today_need = need(small, days=0, title="今天截止")
    small.flush()
    now = utcnow()
    assert remind_deadlines(small, now) == 3
    notes = small.scalars(select(Notification).where(Notification.event == "deadline.soon")
                          .order_by(Notification.id)).all()
    got = {(n.payload["need_id"], n.org_id, n.payload["role"]) for n in notes}
    assert got == {(soon.id, org(small, "100006"), "poster"), (soon.id, org(small, "100002"), "interested"),
                   (today_need.id, org(small, "100006"), "poster")}
    first = next(n for n in notes if n.payload["need_id"] == soon.id)
    assert first.payload["days_left"] == 2 and "截止" in first.payload["message"]
    # Idempotent, also on the following days, and also after the reminders were read or dispatched.
    for n in notes:
        n.dispatched = True
        n.read_at = now
    small.flush()
    assert remind_deadlines(small, now) == 0
    assert remind_deadlines(small, now + timedelta(days=1)) == 0
    # A firm that shows interest later still gets its one reminder.
    small.add(Opportunity(need_id=soon.id, enterprise_id=org(small, "100005"), sme_status="interested"))
    small.flush()
    assert remind_deadlines(small, now) == 1
    assert remind_deadlines(small, now) == 0
