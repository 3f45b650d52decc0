"""Settings read from the environment (prefix CHAINMATCH_), injected rather than imported as a global."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHAINMATCH_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./chainmatch.db"
    # Build the in-memory match index at start-up; tests of pure CRUD switch it off to start faster.
    build_index: bool = True
    # How often each worker looks for enterprises changed by other processes (0 turns it off).
    index_sync_seconds: float = 0.5
    token_ttl_days: int = 365
    max_body_bytes: int = 2_000_000


@lru_cache
def get_settings() -> Settings:
    return Settings()
