"""Every kind of background job the service runs, listed explicitly: the one place a new domain registers its
jobs (the runner finds nothing by module name)."""

from __future__ import annotations

from app.catalogues.publishing import PUBLISH
from app.jobs.registry import Registry
from app.matches.indexing import SNAPSHOT
from app.notifications.reminders import REMINDERS


def job_registry() -> Registry:
    return Registry.of([PUBLISH, REMINDERS, SNAPSHOT])
