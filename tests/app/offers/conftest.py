"""A client without the match index, for tests that never rank or publish (building it costs about a second)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.app.conftest import Tokens, make_client


@pytest.fixture()
def light_client(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens) -> Iterator[TestClient]:
    with make_client(migrated_url, session_factory, build_index=False) as c:
        yield c
