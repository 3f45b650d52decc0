"""Fixtures for inbox tests: a client without the match index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.app.conftest import Tokens, make_client


@pytest.fixture()
def client(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens) -> Iterator[TestClient]:
    """Like the shared client, without building the match index: nothing here ranks, and tests start faster."""
    with make_client(migrated_url, session_factory, build_index=False) as c:
        yield c
