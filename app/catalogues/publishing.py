"""The publish_catalogue job: mark each item published and deliver it to the firms that fit (定向发布).

Work is done in batches, each one transaction with the job's progress, so a worker that dies loses at most
the batch it was in; the next worker resumes at ``done``. deliver() is idempotent per (need, enterprise), so even
a batch that was half-done in a lost transaction never reaches a firm twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.catalogues.schemas import PublishParams
from app.catalogues.service import PUBLISH_JOB, log_event
from app.core.audit import record
from app.core.db import begin_writer
from app.core.errors import AppError
from app.jobs.context import JobContext
from app.jobs.registry import JobKind
from app.models import Catalogue, Need
from app.models._types import utcnow
from app.needs import lifecycle
from app.needs.delivery import deliver
from app.notifications.outbox import emit

MAX_ERRORS_KEPT = 50


def mark_published(session: Session, need: Need) -> None:
    """A draft item becomes a published need with its first frozen version (kept if one exists already)."""
    now = utcnow()
    lifecycle.mark_published(session, need, now=now)
    record(session, principal=None, action="need.publish", entity="need", entity_id=need.id,
           before={"status": "draft", "published_at": None}, after={"status": "published", "published_at": now})


def _publish_batch(session: Session, ctx: JobContext, catalogue_id: int, need_ids: list[int], top_n: int) -> None:
    r = ctx.result
    for need_id in need_ids:
        need = session.get(Need, need_id)
        # Closed or moved out since the catalogue was locked (through the needs API): not published by this list.
        if need is None or need.status == "closed" or need.catalogue_id != catalogue_id:
            r["skipped"] = r.get("skipped", 0) + 1
            continue
        if need.status == "draft":
            mark_published(session, need)
            r["published"] = r.get("published", 0) + 1
        try:
            r["reached"] = r.get("reached", 0) + deliver(session, ctx.index, need, top_n=top_n)
        except AppError as exc:
            if exc.status >= 500:
                raise  # the index is not ready: fail the job, do not pretend the item was delivered
            # A need the engine cannot match (no text it understands) is reported, not fatal for the others.
            errors = r.setdefault("errors", [])
            if len(errors) < MAX_ERRORS_KEPT:
                errors.append({"need_id": need_id, "reason": exc.message})
            r["failed"] = r.get("failed", 0) + 1


def publish_catalogue(ctx: JobContext, params: PublishParams) -> dict[str, Any]:
    catalogue_id, need_ids, top_n = params.catalogue_id, params.needs, params.top_n
    total = len(need_ids)
    for start in range(ctx.done, total, ctx.batch_size):
        batch = need_ids[start:start + ctx.batch_size]
        with ctx.factory() as session:
            begin_writer(session)  # SQLite: hold the write lock for the batch rather than lose it mid-way
            _publish_batch(session, ctx, catalogue_id, batch, top_n)
            ctx.progress(session, done=start + len(batch), total=total)
            session.commit()
    if not ctx.result.get("announced"):
        with ctx.factory() as session:
            begin_writer(session)
            _announce(session, ctx, params)
            ctx.result["announced"] = True
            ctx.progress(session, done=total, total=total)
            session.commit()
    return ctx.result


def _announce(session: Session, ctx: JobContext, params: PublishParams) -> None:
    """Tell the operator who published and every firm with a need in the list; written once per catalogue."""
    catalogue = session.get(Catalogue, params.catalogue_id)
    if catalogue is None:
        return
    counts = {k: ctx.result.get(k, 0) for k in ("published", "reached", "skipped", "failed")}
    payload = {"catalogue_id": catalogue.id, "title": catalogue.title, "period": catalogue.period, **counts}
    if params.created_by is not None:
        emit(session, event="catalogue.published", principal_id=params.created_by, payload=payload)
    posters = lifecycle.posters(session, params.needs)
    for org_id in sorted(posters):
        emit(session, event="catalogue.published", org_id=org_id, payload=payload)
    log_event(session, catalogue, None, "delivered", detail=counts | {"job_id": ctx.job_id})


PUBLISH = JobKind(name=PUBLISH_JOB, params=PublishParams, handler=publish_catalogue, uses_index=True)
