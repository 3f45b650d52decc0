"""Deadline reminders: deadline.soon once per (need, organisation) when a published need closes within three days.

Goes to the poster and to every organisation that said it was interested. Idempotent: a reminder already in the
outbox for that need and organisation (read or not, dispatched or not) is never written again, so the dispatcher
may call this on every tick.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.core.db import begin_writer
from app.jobs.context import JobContext
from app.jobs.registry import JobKind, NoParams
from app.models._types import utcnow
from app.needs import lifecycle
from app.notifications.outbox import emit
from app.notifications.repository import NotificationRepository

WINDOW = timedelta(days=3)
EVENT = "deadline.soon"


def remind_deadlines(session: Session, now: datetime) -> int:
    """Write the missing reminders in the caller's transaction (flushed, not committed); returns how many."""
    today = now.date()
    needs = lifecycle.closing_between(session, today, today + WINDOW)
    if not needs:
        return 0
    ids = [n.id for n in needs]
    done = NotificationRepository(session).told_about(EVENT, ids)
    interested = lifecycle.interested_firms(session, ids)
    written = 0
    for need in needs:
        if need.deadline is None:  # filtered in SQL; this narrows the type
            continue
        days_left = (need.deadline - today).days
        recipients = [(need.poster_org_id, "poster")] + [(o, "interested") for o in interested.get(need.id, [])]
        for org_id, role in recipients:
            if (need.id, org_id) in done:
                continue
            done.add((need.id, org_id))
            deadline = need.deadline.isoformat()
            emit(session, event=EVENT, org_id=org_id,
                 payload={"need_id": need.id, "title": need.title, "deadline": deadline, "days_left": days_left,
                          "role": role, "message": f"需求「{need.title}」将于 {deadline} 截止（剩余 {days_left} 天）"})
            written += 1
    session.flush()
    return written


def run_reminders(ctx: JobContext, _: NoParams) -> dict[str, int]:
    with ctx.factory() as session:
        begin_writer(session)
        written = remind_deadlines(session, utcnow())
        session.commit()
    return {"reminded": written}


# Every five minutes: a reminder is due days ahead, so minutes of delay cost nothing and save queries.
REMINDERS = JobKind(name="deadline_reminders", params=NoParams, handler=run_reminders, every_seconds=300)
