"""Chain figures served by the API on the hand-made chain of helpers.py, each worked out by hand."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from app.models import Capability
from tests.app.analytics.helpers import ChainData
from tests.app.conftest import Tokens

URL = "/api/v1/analytics"


def get(client: TestClient, tokens: Tokens, path: str, role: str = "operator", **params: object) -> dict:  # type: ignore[type-arg]
    resp = client.get(f"{URL}{path}", params=params, headers=tokens.header(role))
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def by_node(page: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {n["node"]: n for n in page["nodes"]}


def test_node_figures_in_a_province(client: TestClient, tokens: Tokens, data: ChainData) -> None:
    page = get(client, tokens, "/chains/tc", region="山东省")
    assert page["scope"]["region"] == "山东省" and page["scope"]["chain"]["code"] == "tc"
    nodes = by_node(page)
    assert set(nodes) == {"测电池", "测正极", "测负极", "测电解液"}
    pos = nodes["测正极"]
    # TA 0.6 and TB 0.2: HHI = 10000 · (0.6² + 0.2²) / 0.8² = 6250, high; capacity 0.8 firm-equivalents
    assert pos["suppliers"] == {"value": 2, "basis": "imported"}  # the least certain of declared and imported
    assert pos["hhi"]["value"] == pytest.approx(6250.0) and pos["concentration"] == "high"
    assert pos["capacity"]["value"] == pytest.approx(0.8) and pos["capacity_known"] == 2
    assert pos["local_makers"] == {"none": 1, "innovative": 0, "provincial": 1, "little_giant": 0}
    assert pos["single_source"] is None
    assert pos["cuts_off"] == 1  # losing 测正极 cuts the leader off from 测锂
    neg = nodes["测负极"]
    assert neg["suppliers"] == {"value": 0, "basis": None} and neg["hhi"]["value"] is None
    assert neg["outside_makers"]["little_giant"] == 1
    ele = nodes["测电解液"]
    assert ele["single_source"]["code"] == "TD" and ele["hhi"]["value"] == pytest.approx(10000.0)
    assert ele["demand"]["value"] == pytest.approx(1 / 3) and ele["demand"]["basis"] == "declared"


def test_supply_rate_and_weak_links(client: TestClient, tokens: Tokens, data: ChainData) -> None:
    page = get(client, tokens, "/chains/tc", region="山东省")
    supply = page["supply"]
    # TL's one product has three inputs, a third each; 测正极 and 测电解液 have a local supplier, 测负极 none
    assert supply["weighting"] == "leaders"
    assert supply["rate"]["value"] == pytest.approx(2 / 3) and supply["rate"]["basis"] == "declared"
    assert [r["leader"]["code"] for r in supply["leaders"]] == ["TL"]
    assert (supply["inputs"], supply["covered"]) == (3, 2)
    [missing] = supply["missing"]
    assert missing["node"] == "测负极" and missing["uncovered"] == pytest.approx(1 / 3)
    assert [f["code"] for f in missing["needed_by"]] == ["TL"]
    weak = page["weak"]
    assert page["weak_total"] == 4 == len(weak)
    # 测负极: 0.5 (no supplier) + 0.3 · (0 + 0 + 1) / 3 + 0.2 · 1 = 0.8, the weakest
    assert weak[0]["node"] == "测负极" and weak[0]["score"] == pytest.approx(0.8)
    codes = [e["code"] for e in weak[0]["evidence"]]
    assert codes[0] == "no_local_supplier" and "outside_suppliers" in codes
    single = next(w for w in weak if w["node"] == "测电解液")
    ev = {e["code"]: e for e in single["evidence"]}
    assert ev["single_source"]["firm"]["code"] == "TD"


def test_minimum_tier_filters_suppliers(client: TestClient, tokens: Tokens, data: ChainData) -> None:
    page = get(client, tokens, "/chains/tc", region="山东省", min_tier="provincial")
    nodes = by_node(page)
    assert nodes["测正极"]["single_source"]["code"] == "TA"  # TB has no tier
    assert nodes["测电解液"]["suppliers"]["value"] == 0  # TD is only innovative
    assert page["supply"]["rate"]["value"] == pytest.approx(1 / 3)
    assert {m["node"] for m in page["supply"]["missing"]} == {"测负极", "测电解液"}


def test_region_without_leaders_weighs_end_products(client: TestClient, tokens: Tokens, data: ChainData) -> None:
    page = get(client, tokens, "/chains/tc", region="山东省/青岛市")
    supply = page["supply"]
    # TL is in 济南: no leader here, so the chain's end product 测电池 stands in, with equal (estimated) weights
    assert supply["weighting"] == "end_products" and supply["leaders"] == []
    assert supply["rate"] == {"value": pytest.approx(1 / 3), "basis": "estimated"}
    assert by_node(page)["测正极"]["single_source"]["code"] == "TB"


def test_everywhere_counts_every_firm(client: TestClient, tokens: Tokens, data: ChainData) -> None:
    page = get(client, tokens, "/chains/tc")
    assert page["scope"]["region"] == ""
    assert page["supply"]["rate"]["value"] == pytest.approx(1.0)
    assert by_node(page)["测负极"]["single_source"]["code"] == "TC"


def test_changed_capabilities_show_at_once(client: TestClient, tokens: Tokens, small: Session,
                                           data: ChainData) -> None:
    before = get(client, tokens, "/chains/tc", region="山东省")["supply"]["rate"]["value"]
    small.add(Capability(enterprise_id=data.firms["TB"].id, product="测负极", node_id=data.nodes["测负极"].id,
                         revenue_share=None, source="inferred"))
    small.commit()
    page = get(client, tokens, "/chains/tc", region="山东省")
    assert before == pytest.approx(2 / 3) and page["supply"]["rate"]["value"] == pytest.approx(1.0)
    neg = by_node(page)["测负极"]
    # an inferred link is an estimate, and so is everything that rests on it
    assert neg["suppliers"] == {"value": 1, "basis": "estimated"} and neg["single_source"]["code"] == "TB"
    # the rate rests on each covered input's most certain supplier link; 测负极's only one is estimated
    assert page["supply"]["rate"]["basis"] == "estimated"


def test_weak_links_page(client: TestClient, tokens: Tokens, data: ChainData) -> None:
    first = get(client, tokens, "/chains/tc/weak-links", region="山东省", limit=2)
    rest = get(client, tokens, "/chains/tc/weak-links", region="山东省", limit=2, offset=2)
    full = get(client, tokens, "/chains/tc", region="山东省")["weak"]
    assert first["total"] == rest["total"] == 4
    assert [w["node"] for w in first["items"] + rest["items"]] == [w["node"] for w in full]


def test_leader_supply_rate(client: TestClient, tokens: Tokens, data: ChainData) -> None:
    one = get(client, tokens, "/leaders/TL/supply-rate", region="山东省", chain="tc")
    assert one["supply"]["rate"]["value"] == pytest.approx(2 / 3)
    every = get(client, tokens, "/leaders/TL/supply-rate", region="山东省/济南市")
    # in 济南 only TA and TD supply: 测负极 missing
    assert every["scope"]["chain"] is None and every["supply"]["rate"]["value"] == pytest.approx(2 / 3)
    resp = client.get(f"{URL}/leaders/TA/supply-rate", params={"region": "山东省"}, headers=tokens.header("operator"))
    assert resp.status_code == 200  # any firm's inputs can be weighed; TA's 测正极 needs 测锂, which nobody makes
    assert resp.json()["supply"]["rate"]["value"] == 0
    missing = client.get(f"{URL}/leaders/NOPE/supply-rate", headers=tokens.header("operator"))
    assert missing.status_code == 404


def test_overview(client: TestClient, tokens: Tokens, data: ChainData) -> None:
    found = get(client, tokens, "/chains", region="山东省")
    tc = next(i for i in found["items"] if i["chain"]["code"] == "tc")
    assert tc["nodes"] == 4 and tc["rate"]["value"] == pytest.approx(2 / 3)
    assert (tc["weak_links"], tc["no_local_supplier"], tc["single_source"]) == (4, 1, 2)


def test_bad_input_is_a_client_error(client: TestClient, tokens: Tokens, data: ChainData) -> None:
    h = tokens.header("operator")
    assert client.get(f"{URL}/chains/none-such", headers=h).status_code == 404
    resp = client.get(f"{URL}/chains/tc", params={"min_tier": "gold"}, headers=h)
    assert resp.status_code == 422 and "min_tier" in resp.text
    assert client.get(f"{URL}/chains/tc", params={"weak_limit": -1}, headers=h).status_code == 422
    assert client.get(f"{URL}/quarters/2026Q5", headers=h).status_code == 422


def test_xlsx_report(client: TestClient, tokens: Tokens, small: Session, data: ChainData) -> None:
    # a firm name that would be a formula must arrive as text
    data.firms["TD"].name = "=HYPERLINK(\"http://x\")"
    small.commit()
    resp = client.get(f"{URL}/chains/tc/report", params={"region": "山东省"}, headers=tokens.header("admin"))
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["概况", "环节", "短板", "缺口投入", "链主配套率"]
    overview = {r[0]: r[1] for r in wb["概况"].iter_rows(min_row=2, values_only=True)}
    assert overview["配套率"] == "66.7%" and overview["配套率依据"] == "企业填报" and overview["地区"] == "山东省"
    nodes = list(wb["环节"].iter_rows(values_only=True))
    assert nodes[0][:4] == ("序号", "环节", "本地供应商数", "依据")
    ele = next(r for r in nodes if r[1] == "测电解液")
    assert ele[4] == "'=HYPERLINK(\"http://x\")"
    weak = list(wb["短板"].iter_rows(min_row=2, values_only=True))
    assert weak[0][1] == "测负极" and "本地无供应商" in weak[0][3]
    leaders = list(wb["链主配套率"].iter_rows(min_row=2, values_only=True))
    assert leaders[0][1:4] == ("企业TL", "TL", "66.7%")
