"""The chainkg importer: counts, noise reporting, idempotency, all-or-nothing on bad files."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.imports.chainkg import import_chainkg
from app.models import Capability, ChainNode, Enterprise, Industry, IndustryUpstream, NodeEdge
from graph.chainkg import ChainKGFormatError, read_chainkg
from tests.conftest import FIXTURES, SHARED


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_small_folder_counts_and_noise(session: Session) -> None:
    kg = read_chainkg(FIXTURES / "small")
    summary = import_chainkg(session, kg)
    assert summary.created["enterprises"] == 10
    assert count(session, Enterprise) == 10
    assert count(session, Industry) == 13
    # 15 listed + 金属锂, 公司业务, 个人业务 referenced only by company rows.
    assert count(session, ChainNode) == 18
    # 16 relation rows: one self-loop is dropped.
    assert count(session, NodeEdge) == 15
    assert count(session, IndustryUpstream) == 3
    # 23 rows: the accounting line is skipped, two repeats are merged.
    assert count(session, Capability) == 20
    reasons = [p.reason for p in summary.problems]
    assert any("unknown company 999999" in r for r in reasons)
    assert any("unknown industry 999999" in r for r in reasons)
    assert any("accounting line" in r for r in reasons)
    assert any("self-loop" in r for r in reasons)
    byd_share = session.scalar(select(Capability.revenue_share).join(Enterprise).where(
        Enterprise.code == "100002", Capability.product == "碳酸锂"))
    assert byd_share == pytest.approx(0.55)
    # downstream_product 锂电池 → 新能源汽车 becomes an input edge 锂电池 → 新能源汽车.
    names = dict(session.execute(select(ChainNode.id, ChainNode.name)).all())
    edges = {(names[s], names[d], t) for s, d, t in session.execute(
        select(NodeEdge.src_id, NodeEdge.dst_id, NodeEdge.type))}
    assert ("锂电池", "新能源汽车", "input") in edges
    assert ("碳酸锂", "正极材料", "input") in edges
    assert ("正极材料", "三元材料", "subkind") in edges
    industry = session.scalar(select(Industry).where(Industry.code == "630701"))
    assert industry is not None and industry.level == 3


def test_second_run_changes_nothing(session: Session) -> None:
    kg = read_chainkg(FIXTURES / "small")
    import_chainkg(session, kg)
    again = import_chainkg(session, read_chainkg(FIXTURES / "small"))
    assert not again.changed
    assert count(session, Capability) == 20


def test_changed_share_is_updated_not_duplicated(session: Session, tmp_path: Path) -> None:
    import_chainkg(session, read_chainkg(FIXTURES / "small"))
    folder = tmp_path / "kg"
    shutil.copytree(FIXTURES / "small", folder)
    cp = folder / "company_products.csv"
    cp.write_text(cp.read_text(encoding="utf-8").replace("100005,隔膜,0.90", "100005,隔膜,0.85"), encoding="utf-8")
    summary = import_chainkg(session, read_chainkg(folder))
    assert summary.updated["capabilities"] == 1 and summary.created["capabilities"] == 0
    share = session.scalar(select(Capability.revenue_share).where(Capability.product == "隔膜"))
    assert share == pytest.approx(0.85)


def _broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "broken"
    shutil.copytree(FIXTURES / "small", folder)
    path = folder / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("file", "old", "new", "line", "reason"), [
    ("company_products.csv", "100004,电解液,0.80", "100004,电解液,abc", 10, "not a number"),
    ("company_products.csv", "company_code,product,revenue_share", "company_code,product", 1, "missing column"),
    ("product_relations.csv", "锂电池,隔膜,upstream_material", "锂电池,隔膜,sibling", 5, "unknown relation"),
    ("companies.csv", "100005,恩捷隔膜,恩捷隔膜科技股份有限公司,深圳证券交易所,2016-09-14", "100005,恩捷", 6,
     "expected 5 fields"),
])
def test_malformed_file_names_file_line_reason(tmp_path: Path, file: str, old: str, new: str, line: int,
                                               reason: str) -> None:
    with pytest.raises(ChainKGFormatError) as err:
        read_chainkg(_broken(tmp_path, file, old, new))
    assert err.value.file == file and err.value.line == line and reason in err.value.reason


def test_bad_encoding_and_missing_file(tmp_path: Path) -> None:
    folder = tmp_path / "enc"
    shutil.copytree(FIXTURES / "small", folder)
    (folder / "products.csv").write_bytes("name\n锂电池\n".encode("gbk"))
    with pytest.raises(ChainKGFormatError, match="UTF-8"):
        read_chainkg(folder)
    (folder / "companies.csv").unlink()
    with pytest.raises(ChainKGFormatError, match="missing"):
        read_chainkg(folder)


def test_gzip_and_plain_files_read_alike(tmp_path: Path) -> None:
    folder = tmp_path / "gz"
    folder.mkdir()
    for f in (FIXTURES / "small").iterdir():
        with gzip.open(folder / f"{f.name}.gz", "wb") as out:
            out.write(f.read_bytes())
    a, b = read_chainkg(FIXTURES / "small"), read_chainkg(folder)
    assert a.company_products == b.company_products and a.relations == b.relations


@pytest.mark.slow
def test_full_shared_dataset_matches_its_readme(session: Session) -> None:
    folder = SHARED / "data" / "chainkg"
    if not folder.is_dir():
        pytest.skip("shared data not present")
    kg = read_chainkg(folder)
    # The README's row counts, before any cleaning.
    assert len(kg.companies) == 4586 and len(kg.industries) == 511 and len(kg.products) == 95_554
    assert len(kg.relations) + sum("self-loop" in p.reason for p in kg.problems) == 110_153
    skipped_ci = sum(p.file.startswith("company_industries") for p in kg.problems)
    assert len(kg.company_industries) + skipped_ci == 4430
    assert sum(p.file.startswith("industry_upstream") for p in kg.problems) + len(kg.industry_upstream) == 5256
    cp_noise = sum(p.file.startswith("company_products") and "kept" not in p.reason for p in kg.problems)
    assert len(kg.company_products) + cp_noise == 53_779
    summary = import_chainkg(session, kg)
    assert count(session, Enterprise) == 4586
    assert count(session, Industry) == 511
    assert count(session, Capability) == len(kg.company_products)
    assert count(session, ChainNode) >= 95_554
    assert summary.created["edges"] == count(session, NodeEdge) > 100_000
