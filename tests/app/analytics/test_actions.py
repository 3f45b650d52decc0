"""From a weak link to an action: a draft recruitment need (optionally a catalogue item), or the best firms outside
the region; both keep to the needs, catalogues and matching rules."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.tokens import create_token
from app.models import Capability, Catalogue, Chain, Enterprise, Need, NeedNode
from tests.app.analytics.helpers import ChainData
from tests.app.conftest import Tokens

URL = "/api/v1/analytics/chains/tc/weak-links"


def _catalogue(session: Session, chain_id: int, status: str = "draft") -> Catalogue:
    cat = Catalogue(chain_id=chain_id, period="2026Q4", title="测试目录", status=status, top_n=5)
    session.add(cat)
    session.commit()
    return cat


def test_draft_a_recruitment_need_into_the_catalogue(client: TestClient, tokens: Tokens, small: Session,
                                                     data: ChainData) -> None:
    cat = _catalogue(small, data.chain.id)
    resp = client.post(f"{URL}/测负极/need", json={"poster": "TL", "catalogue_id": cat.id, "region": "山东省",
                                                   "min_tier": "provincial"}, headers=tokens.header("operator"))
    assert resp.status_code == 201, resp.text
    body = resp.json()
    need = body["need"]
    assert need["status"] == "draft" and need["kind"] == "cooperation" and body["catalogue_id"] == cat.id
    assert [n["name"] for n in need["nodes"]] == ["测负极"]
    assert need["delivery_region"] == "山东省" and need["required_tier"] == "provincial"
    assert need["title"] == "测负极补链招引（山东省）" and "本地符合等级的供应商 0 家" in need["description"]
    assert "区外符合等级的制造企业 1 家" in need["description"]  # TC, a little giant in 广东
    assert body["evidence"][0]["code"] == "no_local_supplier"
    stored = small.get(Need, need["id"])
    small.refresh(stored)
    assert stored.poster_org_id == data.firms["TL"].id and stored.catalogue_id == cat.id
    nodes = small.scalars(select(NeedNode.node_id).where(NeedNode.need_id == stored.id)).all()
    assert nodes == [data.nodes["测负极"].id]


def test_draft_need_rules(client: TestClient, tokens: Tokens, small: Session, data: ChainData) -> None:
    h = tokens.header("operator")
    # only chain-leader firms post needs
    assert client.post(f"{URL}/测负极/need", json={"poster": "TA", "region": "山东省"}, headers=h).status_code == 403
    resp = client.post(f"{URL}/测负极/need", json={"poster": "NOPE", "region": "山东省"}, headers=h)
    assert resp.status_code == 422 and "poster" in resp.text
    # a node outside the chain, and one that does not exist
    assert client.post(f"{URL}/测锂/need", json={"poster": "TL"}, headers=h).status_code == 404
    assert client.post(f"{URL}/没有/need", json={"poster": "TL"}, headers=h).status_code == 404
    # a catalogue of another chain, a published one (nothing is created when the filing fails)
    other = _catalogue(small, _other_chain(small))
    resp = client.post(f"{URL}/测负极/need", json={"poster": "TL", "catalogue_id": other.id}, headers=h)
    assert resp.status_code == 422 and "catalogue_id" in resp.text
    published = _catalogue(small, data.chain.id, "published")
    published.period = "2026Q3"
    small.commit()
    before = small.scalar(select(Need.id).order_by(Need.id.desc()).limit(1))
    resp = client.post(f"{URL}/测负极/need", json={"poster": "TL", "catalogue_id": published.id}, headers=h)
    assert resp.status_code == 409
    assert small.scalar(select(Need.id).order_by(Need.id.desc()).limit(1)) == before
    assert client.post(f"{URL}/测负极/need", json={"poster": "TL", "extra": 1}, headers=h).status_code == 422


def test_a_node_that_is_not_weak(client: TestClient, tokens: Tokens, small: Session, data: ChainData) -> None:
    # everywhere 测正极 has two makers; with four more it is neither short nor concentrated (HHI 1667)
    for k in range(4):
        firm = Enterprise(code=f"TX{k}", name=f"新增{k}", kind="sme", tier="none", province="江苏省")
        small.add(firm)
        small.flush()
        small.add(Capability(enterprise_id=firm.id, product="测正极", node_id=data.nodes["测正极"].id,
                             revenue_share=0.6, source="declared"))
    small.commit()
    resp = client.post(f"{URL}/测正极/need", json={"poster": "TL"}, headers=tokens.header("admin"))
    assert resp.status_code == 409 and "not a weak link" in resp.text


def _other_chain(session: Session) -> int:
    chain = Chain(code="tc2", name="另一条链", description="")
    session.add(chain)
    session.commit()
    return chain.id


def test_outside_firms(client: TestClient, tokens: Tokens, data: ChainData) -> None:
    h = tokens.header("operator")
    resp = client.get(f"{URL}/测负极/outside-firms", params={"region": "山东省"}, headers=h)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    codes = [i["enterprise"]["code"] for i in body["items"]]
    assert codes and codes[0] == "TC" and body["node"] == "测负极"
    assert not [i for i in body["items"] if i["enterprise"]["region"].startswith("山东省")]
    assert body["items"][0]["explanation"] and 0 <= body["items"][0]["match"] <= 100
    # 测正极's makers TA and TB are in 山东: neither is outside
    inside = client.get(f"{URL}/测正极/outside-firms", params={"region": "山东省"}, headers=h).json()
    assert not {"TA", "TB"} & {i["enterprise"]["code"] for i in inside["items"]}
    # with a tier, only firms of that tier or above
    giants = client.get(f"{URL}/测负极/outside-firms", params={"region": "山东省", "min_tier": "little_giant"},
                        headers=h).json()
    assert {i["enterprise"]["tier"] for i in giants["items"]} <= {"little_giant"}
    # "outside everywhere" is nobody: a region is required
    resp = client.get(f"{URL}/测负极/outside-firms", headers=h)
    assert resp.status_code == 422 and "region" in resp.text


def test_limited_operator_drafts_only_for_leaders_in_its_regions(client: TestClient, small: Session,
                                                                  data: ChainData) -> None:
    jinan, _ = create_token(small, role="operator", name="t-jinan", regions=["山东省/济南市"])
    qingdao, _ = create_token(small, role="operator", name="t-qingdao", regions=["山东省/青岛市"])
    small.commit()
    ok = client.post(f"{URL}/测负极/need", json={"poster": "TL"}, headers={"Authorization": f"Bearer {jinan}"})
    assert ok.status_code == 201, ok.text
    assert ok.json()["need"]["delivery_region"] == "山东省/济南市"  # its only region, by default
    # TL is in 济南: the 青岛 operator may not file in its name
    no = client.post(f"{URL}/测负极/need", json={"poster": "TL"}, headers={"Authorization": f"Bearer {qingdao}"})
    assert no.status_code == 403
