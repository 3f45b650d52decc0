"""Snapshots in the app: the first worker of a machine writes one, the others map it; a worker started on an old
snapshot catches up from the change log and ranks as a fresh build does; the periodic job writes a new one after a
graph change and workers switch to it; the CLI builds and verifies them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from app.background import job_registry
from app.cli import app
from app.jobs.runner import run_once, schedule_periodic
from app.match_index import snapshots
from app.match_index.directory import Filter
from app.match_index.holder import IndexHolder
from app.models import ChainNode, Enterprise
from matching import MatchQuery, rank
from tests.app.match_index.conftest import add_product

QUERIES = [MatchQuery(text=t) for t in ("隔膜", "电解液", "碳酸锂 供应商", "动力电池", "石墨负极")] + [
    MatchQuery(nodes=("动力电池",), scope="upstream"), MatchQuery(text="电解液", regions=("山东省",))]


def rankings(holder: IndexHolder) -> list[list[tuple[int, float]]]:
    assert holder.index is not None
    return [[(r.enterprise_id, round(r.score, 9)) for r in rank(holder.index, q)] for q in QUERIES]


def test_a_worker_on_an_old_snapshot_catches_up_and_ranks_as_an_updated_in_memory_index(live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, factory = live
    first = IndexHolder(factory, snapshot_dir=tmp_path / "snap")
    first.build()
    memory = IndexHolder(factory)  # today's way: fitted in memory, then updated
    memory.build()
    assert first.origin is not None and first.origin.version == 1 and snapshots.newest(tmp_path / "snap")
    bank = add_product(factory, "100009", "隔膜")
    with factory() as session:
        session.add(Enterprise(code="NEW1", name="新电解液", kind="sme", tier="none", province="山东省", city="",
                               district="", description="电解液添加剂", certifications=[]))
        gone = session.scalar(select(Enterprise).where(Enterprise.code == "100005"))
        session.delete(gone)
        session.commit()
    later = IndexHolder(factory, snapshot_dir=tmp_path / "snap")
    later.build()
    assert later.origin is not None and later.origin.version == 1  # mapped the old one, wrote none
    assert later.index is not None and "隔膜" in dict(later.index.records_[bank].products)
    assert memory.sync_once() == 3
    assert rankings(later) == rankings(memory)
    # A fresh fit finds the same firms (scores differ a little: updates keep the fitted average length)
    fresh = IndexHolder(factory)
    fresh.build()
    assert [sorted(i for i, _ in r) for r in rankings(later)] == [sorted(i for i, _ in r) for r in rankings(fresh)]
    assert later.index.size == fresh.index.size == 10  # type: ignore[union-attr]
    # the enterprise directory (in-memory search) of a worker started on the snapshot follows the same changes
    searches = [(q, Filter(region=r)) for q in ("电解液", "隔膜", "新", "锂") for r in ((), ("山东省",))]
    for holder in (later, memory):
        assert holder.directory is not None and fresh.directory is not None
        assert [holder.directory.search(q, f, limit=50, offset=0) for q, f in searches] == \
            [fresh.directory.search(q, f, limit=50, offset=0) for q, f in searches]
    new = later.directory.search("新电解液", Filter(), limit=5, offset=0)  # type: ignore[union-attr]
    assert new is not None and new[1] == 1


def test_after_a_graph_change_the_job_writes_a_snapshot_and_workers_switch_to_it(live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, factory = live
    holder = IndexHolder(factory, snapshot_dir=tmp_path / "snap")
    holder.build()
    registry = job_registry()
    schedule_periodic(factory, registry)
    run_once(factory, registry, index=holder)
    assert snapshots.newest(tmp_path / "snap")[0] == 1  # type: ignore[index]  # nothing changed: not due
    with factory() as session:
        session.add(ChainNode(name="固态电解质", aliases=[], kind="product"))
        session.commit()
    holder.sync_once()
    assert holder.status()["graph_changed"] is True
    with factory() as session:  # the next period's run
        from app.jobs.service import enqueue
        from app.matches.indexing import SnapshotParams

        enqueue(session=session, kind="index.snapshot", params=SnapshotParams(), principal=None)
        session.commit()
    run_once(factory, registry, index=holder)
    assert snapshots.newest(tmp_path / "snap")[0] == 2  # type: ignore[index]
    holder.sync_once()
    assert holder.status()["snapshot"] == 2 and holder.status()["graph_changed"] is False
    assert holder.graph is not None and holder.graph.lookup("固态电解质") is not None


def test_cli_builds_and_verifies_snapshots(live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    url, _ = live
    monkeypatch.setenv("CHAINMATCH_DATABASE_URL", url)
    runner = CliRunner()
    built = runner.invoke(app, ["index", "build", "--dir", str(tmp_path / "snap")])
    assert built.exit_code == 0, built.output
    assert "10 enterprises" in built.output
    ok = runner.invoke(app, ["index", "verify", "--dir", str(tmp_path / "snap")])
    assert ok.exit_code == 0 and "intact" in ok.output
    found = snapshots.newest(tmp_path / "snap")
    assert found is not None
    target = found[1] / "text.csr.data.npy"
    data = bytearray(target.read_bytes())
    data[-1] ^= 0xFF
    target.write_bytes(bytes(data))
    bad = runner.invoke(app, ["index", "verify", "--dir", str(tmp_path / "snap")])
    assert bad.exit_code == 1 and "checksum" in bad.output
    assert runner.invoke(app, ["index", "build"]).exit_code == 2  # no folder named anywhere




def test_workers_starting_together_build_one_snapshot(live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import threading

    _, factory = live
    holders = [IndexHolder(factory, snapshot_dir=tmp_path / "snap") for _ in range(3)]
    threads = [threading.Thread(target=h.build) for h in holders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert [h.origin.version for h in holders if h.origin] == [1, 1, 1]
    assert [p.name for p in (tmp_path / "snap").iterdir() if not p.name.startswith(".")] == ["v000001-p" + str(
        holders[0].origin.position)]  # type: ignore[union-attr]
