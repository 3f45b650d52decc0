"""Settings read from the environment (prefix CHAINMATCH_), injected rather than imported as a global."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHAINMATCH_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./chainmatch.db"
    # Build the in-memory match index at start-up; tests of pure CRUD switch it off to start faster.
    build_index: bool = True
    # How often each worker reads the change log when nothing woke it (0 turns following the log off): the only
    # way on SQLite (twice a second: another worker's change is matched within a second, as before the change log),
    # a catch-up for missed notifications where LISTEN/NOTIFY or Redis wakes it at once.
    index_sync_seconds: float = 0.5
    # What wakes a worker when the change log grows: "auto" (LISTEN/NOTIFY on PostgreSQL, else polling),
    # "postgres", "redis" (pub/sub on redis_url; commits in this process publish) or "poll".
    change_notify: str = "auto"
    # A folder for match-index snapshots (`chainmatch index build`): workers map the newest one instead of each
    # fitting its own index, and a machine's workers share it. Unset: each worker fits its index in memory.
    snapshot_dir: str | None = None
    # With several workers: seconds a worker's event loop may go without a heartbeat before the pre-fork
    # supervisor kills and replaces it (core/prefork.py; a loop waits behind requests ranking in threads).
    worker_healthcheck_seconds: float = 60.0
    # A streaming read replica for feeds, search and matching (same schema, e.g. postgresql+psycopg://replica/db);
    # a client that wrote reads from the primary for read_your_writes_seconds after, so it sees its own writes.
    replica_url: str | None = None
    read_your_writes_seconds: float = 5.0
    token_ttl_days: int = 365
    max_body_bytes: int = 2_000_000
    # Requests per minute; 0 turns a limit off.
    rate_limit_per_token: int = 600
    rate_limit_per_ip: int = 1200
    # Origins allowed to call the API from a browser; empty keeps CORS closed.
    cors_origins: list[str] = []
    # Deliver notifications to registered webhooks from a background thread of each worker.
    dispatch_webhooks: bool = True
    # Webhook targets on loopback or private networks are refused unless this is set (local demos).
    webhook_allow_private: bool = False
    # Session cookies are Secure (HTTPS only; browsers also allow them on http://localhost).
    cookie_secure: bool = True
    # Background jobs (catalogue publication): a daemon thread per process polls the jobs table.
    run_jobs: bool = True
    job_poll_seconds: float = 1.0
    # A running job whose heartbeat is older than this belongs to a dead worker and is taken over (a live job
    # beats four times per period, from a side thread, whatever its handler is doing).
    job_stale_seconds: float = 10.0
    # Catalogue spreadsheets: the upload itself, and the xlsx's total uncompressed size (zip bombs).
    import_max_bytes: int = 5_000_000
    import_max_unpacked_bytes: int = 50_000_000
    # Counters shared by every worker for rate limits and login throttling: Redis when set (redis://host:6379/0),
    # else the database's rate_counters table. Keys start with counter_prefix (several deployments, one Redis).
    redis_url: str | None = None
    counter_prefix: str = "chainmatch:"
    # Password checks (argon2, ~64 MB each) run at most login_hash_concurrency at a time per worker; at most
    # login_hash_queue more wait, each up to login_hash_wait_seconds, and beyond that a login is answered 503.
    login_hash_concurrency: int = 2
    login_hash_queue: int = 8
    login_hash_wait_seconds: float = 5.0
    # After this many failed logins for one account (or from one address; 0 turns either off), with less than
    # login_window_seconds between them, logins are refused for login_lock_first_seconds, doubling with each
    # further failure up to login_lock_max_seconds. A success clears the account's count.
    login_account_failures: int = 5
    login_address_failures: int = 20
    login_window_seconds: float = 900.0
    login_lock_first_seconds: float = 1.0
    login_lock_max_seconds: float = 900.0
    # Requests a worker works on at once, and of those the writers and the costly ones (ranking, publication,
    # files); the rest wait at the door, readers first, up to admission_wait_seconds, then get 503 with
    # Retry-After (app/core/admission.py). 0 for admission_total turns the gate off.
    admission_total: int = 6
    admission_writes: int = 2
    admission_heavy: int = 2
    admission_wait_seconds: float = 30.0
    # Chain analytics read a per-worker copy of every firm's supply links (a million rows at scale, seconds to
    # load). A copy younger than this is served even when firms changed since; 0 reloads on every change.
    analytics_max_age_seconds: float = 60.0


@lru_cache
def get_settings() -> Settings:
    return Settings()
