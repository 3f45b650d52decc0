"""The bundled demo data (scripts/make_demo_data.py) and the scale generator (bench/make_scale_data.py)."""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from graph.chainkg import read_chainkg

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "app" / "demo_data"
SHARED = Path(os.environ.get("CHAINMATCH_SHARED", REPO.parent / "shared"))
REAL = SHARED / "data" / "chainkg"
FILES = ("companies", "industries", "company_industries", "industry_upstream", "products",
         "product_relations", "company_products")
KINDS = {"leader", "sme", "university", "institute"}
TIERS = {"none", "innovative", "provincial", "little_giant"}

needs_real = pytest.mark.skipif(not (REAL / "companies.csv.gz").exists(), reason=f"no chainkg data at {REAL}")


def header(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh))


@pytest.fixture(scope="module")
def demo_kg():
    return read_chainkg(DEMO / "chainkg")


@pytest.fixture(scope="module")
def overlay() -> dict:
    return json.loads((DEMO / "demo.json").read_text(encoding="utf-8"))


def test_demo_files_are_small_gzip_with_real_headers():
    total = 0
    for stem in FILES:
        path = DEMO / "chainkg" / f"{stem}.csv.gz"
        assert path.read_bytes()[4:8] == b"\0\0\0\0", f"{stem}: gzip mtime must be 0 (reproducible)"
        total += path.stat().st_size
        if (REAL / f"{stem}.csv.gz").exists():
            assert header(path) == header(REAL / f"{stem}.csv.gz")
    assert total + (DEMO / "demo.json").stat().st_size < 1_000_000


def test_demo_subset_reads_cleanly(demo_kg):
    assert 300 <= len(demo_kg.companies) <= 600
    assert len(demo_kg.industries) == 511
    codes = {c.code for c in demo_kg.companies}
    assert {cp.company_code for cp in demo_kg.company_products} <= codes
    assert len(demo_kg.relations) > 100
    products = set(demo_kg.products)
    assert all(r.product in products and r.related in products for r in demo_kg.relations)


def test_every_demo_company_profile_is_whole(demo_kg):
    """The subset keeps all product rows of a kept company, so its row count matches the real data."""
    if not (REAL / "company_products.csv.gz").exists():
        pytest.skip(f"no chainkg data at {REAL}")
    wanted = {c.code for c in demo_kg.companies}

    def rows_per_company(path: Path) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["company_code"] in wanted:
                    counts[row["company_code"]] += 1
        return counts

    real = rows_per_company(REAL / "company_products.csv.gz")
    demo = rows_per_company(DEMO / "chainkg" / "company_products.csv.gz")
    assert demo == real


def test_overlay_matches_subset(demo_kg, overlay):
    codes = {c.code for c in demo_kg.companies}
    products = set(demo_kg.product_names())
    enterprises = overlay["enterprises"]
    assert set(enterprises) <= codes
    assert set(overlay["illustrative_fields"]) >= {"kind", "tier", "region", "contact"}
    leaders = [c for c, e in enterprises.items() if e["kind"] == "leader"]
    assert 5 <= len(leaders) <= 8
    assert all(enterprises[c]["tier"] == "none" for c in leaders)
    for code, e in enterprises.items():
        assert e["kind"] in KINDS and e["tier"] in TIERS, code
        assert e["region"].startswith("山东省/") and e["region"].count("/") == 2, code
        assert e["contact"]["email"].endswith(".example.cn"), code
        assert 0 < e["rd_share"] < 1 and e["invention_patents"] >= 0, code
    tiers = {e["tier"] for e in enterprises.values() if e["kind"] == "sme"}
    assert tiers == TIERS
    extras = overlay["extra_enterprises"]
    assert {e["kind"] for e in extras} == {"university", "institute"}
    for e in extras:
        assert e["kind"] in KINDS and e["tier"] in TIERS
        assert e["code"] not in codes
        assert e["products"] and all(p in products for p, _ in e["products"]), e["code"]
    assert len({e["code"] for e in extras}) == len(extras)


def test_chain_roots_exist_and_have_edges(demo_kg, overlay):
    products = set(demo_kg.products)
    linked = {r.product for r in demo_kg.relations} | {r.related for r in demo_kg.relations}
    chains = overlay["chains"]
    assert {c["code"] for c in chains} == {"nev", "libattery"}
    for chain in chains:
        assert chain["root"] in products and chain["root"] in linked, chain
        assert chain["depth"] >= 1
        assert set(chain.get("extra_nodes", [])) <= products, chain["code"]


@needs_real
def test_demo_script_is_deterministic(tmp_path):
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_demo_data.py"), "--data", str(REAL),
                    "--out", str(tmp_path)], check=True, capture_output=True)
    for stem in FILES:
        name = f"chainkg/{stem}.csv.gz"
        stale = f"{name} is stale: rerun scripts/make_demo_data.py"
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), stale
    assert (tmp_path / "demo.json").read_bytes() == (DEMO / "demo.json").read_bytes(), "demo.json is stale"


@needs_real
def test_scale_generator_copies_real_companies(tmp_path):
    out = tmp_path / "scale"
    script = REPO / "bench" / "make_scale_data.py"
    subprocess.run([sys.executable, str(script), "--n", "500", "--out", str(out), "--data", str(REAL),
                    "--seed", "3"], check=True, capture_output=True)
    for stem in FILES:
        assert header(out / f"{stem}.csv.gz") == header(REAL / f"{stem}.csv.gz")
    for stem in ("products", "product_relations", "industries", "industry_upstream"):
        assert (out / f"{stem}.csv.gz").read_bytes() == (REAL / f"{stem}.csv.gz").read_bytes()
    kg = read_chainkg(out)
    assert len(kg.companies) == 500
    assert len({c.code for c in kg.companies}) == 500
    assert all(c.code.startswith("S") and len(c.code) >= 7 for c in kg.companies)

    real = read_chainkg(REAL)
    real_codes = {c.code for c in real.companies}
    assert not real_codes & {c.code for c in kg.companies}
    real_by_name: dict[str, list[str]] = defaultdict(list)
    for c in real.companies:
        real_by_name[c.short_name].append(c.code)
    real_products: dict[str, set[str]] = defaultdict(set)
    for cp in real.company_products:
        real_products[cp.company_code].add(cp.product)
    generated: dict[str, set[str]] = defaultdict(set)
    shares: dict[str, float] = defaultdict(float)
    for cp in kg.company_products:
        generated[cp.company_code].add(cp.product)
        if cp.revenue_share != 0.001:
            shares[cp.company_code] += cp.revenue_share
    assert len(generated) >= 490  # a copy of a company listing only accounting lines may end up empty
    overlaps = []
    for c in kg.companies:
        number = str(int(c.code[1:]))
        assert c.short_name.endswith(number)
        sources = real_by_name[c.short_name[: -len(number)]]
        assert sources, c.short_name
        mine = generated[c.code]
        best = max(len(mine & real_products[s]) / len(mine) for s in sources) if mine else 0.0
        overlaps.append(best)
    overlaps.sort()
    assert overlaps[len(overlaps) // 2] >= 0.6, "most product lists should be copies of a real company's"
    assert sum(o > 0 for o in overlaps) >= 0.95 * len(overlaps)
    assert max(shares.values()) <= 1.0 + 1e-6
