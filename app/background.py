"""Every kind of background job the service runs, listed explicitly: the one place a new domain registers its
jobs (the runner finds nothing by module name)."""

from __future__ import annotations

from app.analytics.reports import FREEZE_QUARTERS
from app.catalogues.publishing import PUBLISH
from app.events.planning import SCHEDULE
from app.events.requests import EXPIRE
from app.jobs.registry import Registry
from app.matches.indexing import SNAPSHOT
from app.notifications.reminders import REMINDERS


def job_registry() -> Registry:
    return Registry.of([PUBLISH, REMINDERS, SCHEDULE, EXPIRE, FREEZE_QUARTERS, SNAPSHOT])
