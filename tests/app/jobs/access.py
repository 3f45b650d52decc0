"""Who may read a job: its creator, admins and operators without limits; to anyone else, limited operators
included, it does not exist (404)."""

from __future__ import annotations

from tests.app.access import ANY, Access, only
from tests.app.catalogues.access import job_path

ACCESS: dict[tuple[str, str], Access] = {
    ("GET", "/api/v1/jobs"): Access("/api/v1/jobs", ANY),
    ("GET", "/api/v1/jobs/{job_id}"): Access(job_path, only({"admin": 200, "operator": 200}, others=404)),
}
