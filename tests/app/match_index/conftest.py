"""A database of its own with the small chain, committed for real: the index, the feed and the waker use
connections of their own, as separate workers and nodes do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import make_engine, make_sessionmaker
from app.core.migrations import upgrade
from app.models import Capability, Enterprise
from tests.app.conftest import load_small
from tests.conftest import fresh_database


@pytest.fixture()
def live(backend: str, tmp_path: Path) -> Iterator[tuple[str, sessionmaker[Session]]]:
    url, drop = fresh_database(tmp_path, backend)
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with factory() as session:
        load_small(session)
    yield url, factory
    engine.dispose()
    drop()  # type: ignore[operator]


def add_product(factory: sessionmaker[Session], code: str, product: str, share: float = 0.9) -> int:
    """Another process's write: a committed capability, through the ORM (so the change is logged)."""
    with factory() as session:
        firm = session.scalar(select(Enterprise).where(Enterprise.code == code))
        assert firm is not None
        session.add(Capability(enterprise_id=firm.id, product=product, revenue_share=share, source="declared"))
        session.commit()
        return firm.id
