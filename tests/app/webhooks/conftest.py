"""Fixtures for webhook tests: the receiver on 127.0.0.1 and a client without the match index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.app.conftest import Tokens, make_client
from tests.app.webhooks.receiver import receiver  # noqa: F401 - a fixture


@pytest.fixture()
def client(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens) -> Iterator[TestClient]:
    """Like the shared client, without building the match index: nothing here ranks, and tests start faster.

    Hooks may point at this machine, where the test receiver listens (the setting local demos use).
    """
    with make_client(migrated_url, session_factory, build_index=False, webhook_allow_private=True) as c:
        yield c
