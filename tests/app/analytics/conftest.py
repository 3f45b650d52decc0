"""The hand-made chain, stored before the client starts so the match index holds its firms."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.app.analytics.helpers import ChainData, build
from tests.app.conftest import Tokens, make_client


@pytest.fixture()
def data(small: Session, tokens: Tokens) -> ChainData:
    return build(small)


@pytest.fixture()
def client(migrated_url: str, session_factory: sessionmaker[Session], data: ChainData) -> Iterator[TestClient]:
    # Every change is seen at once: the tests change data between calls.
    with make_client(migrated_url, session_factory, build_index=True, analytics_max_age_seconds=0) as c:
        yield c
