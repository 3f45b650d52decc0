"""Enterprise directory over HTTP: search, filters, pagination, detail, privacy, writes, bad input."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.app.conftest import Tokens

URL = "/api/v1/enterprises"


def codes(resp) -> list[str]:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.text
    return [i["code"] for i in resp.json()["items"]]


def test_list_search_filters_and_pages(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("sme")
    body = client.get(URL, headers=h).json()
    assert body["total"] == 10 and body["limit"] == 20 and len(body["items"]) == 10
    assert codes(client.get(URL, params={"q": "碳酸锂"}, headers=h)) == ["100002", "100003"]
    assert codes(client.get(URL, params={"q": "恩捷"}, headers=h)) == ["100005"]
    assert codes(client.get(URL, params={"kind": "leader"}, headers=h)) == ["100006"]
    assert codes(client.get(URL, params={"tier": "provincial"}, headers=h)) == ["100002"]
    assert codes(client.get(URL, params={"region": "山东省/济南市"}, headers=h)) == ["100002"]
    assert codes(client.get(URL, params={"node": "动力电池"}, headers=h)) == ["100001", "100006", "100010"]
    assert codes(client.get(URL, params={"industry": "630700"}, headers=h)) == [
        "100001", "100004", "100005", "100007", "100008", "100010"]
    page = client.get(URL, params={"limit": 3, "offset": 3}, headers=h).json()
    assert [i["code"] for i in page["items"]] == ["100004", "100005", "100006"] and page["total"] == 10
    assert codes(client.get(URL, params={"q": "100%_"}, headers=h)) == []


def test_bad_parameters_are_422_naming_the_field(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("sme")
    for params, field in [({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"offset": -1}, "offset"),
                          ({"kind": "bank"}, "kind"), ({"tier": "gold"}, "tier"), ({"node": "不存在"}, "node"),
                          ({"industry": "000000"}, "industry"), ({"limit": "x"}, "limit")]:
        resp = client.get(URL, params=params, headers=h)
        assert resp.status_code == 422, (params, resp.text)
        assert field in resp.text


def test_detail_by_code_or_id_with_capabilities_and_industry(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("leader")
    body = client.get(f"{URL}/100003", headers=h).json()
    assert body["name"] == "赣锋化学" and body["industry"]["path"] == ["基础化工", "化学原料", "锂Ⅲ"]
    caps = {c["product"]: c for c in body["capabilities"]}
    assert caps["氢氧化锂"]["revenue_share"] == 0.4 and caps["氢氧化锂"]["node"]["name"] == "氢氧化锂"
    assert body["contact"] is None  # another firm's contacts are private
    same = client.get(f"{URL}/{body['id']}", headers=h).json()
    assert same["code"] == "100003"
    assert client.get(f"{URL}/999999", headers=h).status_code == 404
    assert client.get(f"{URL}/nope", headers=h).json()["error"]["code"] == "not_found"


def test_contacts_only_for_the_firm_itself_and_admins(client: TestClient, tokens: Tokens) -> None:
    assert client.get(f"{URL}/100002", headers=tokens.header("sme")).json()["contact"]["phone"] == "0531-80000000"
    assert client.get(f"{URL}/100002", headers=tokens.header("admin")).json()["contact"]["phone"]
    for role in ("operator", "leader", "other_sme", "integration"):
        assert client.get(f"{URL}/100002", headers=tokens.header(role)).json()["contact"] is None
    listed = client.get(URL, headers=tokens.header("admin")).text
    assert "0531-80000000" not in listed


def test_create_and_update_rules(client: TestClient, tokens: Tokens) -> None:
    new = {"code": "SD0001", "name": "齐鲁隔膜", "kind": "sme", "tier": "innovative", "region": "山东省/青岛市/黄岛区",
           "capabilities": [{"product": "隔膜", "revenue_share": 0.8}, {"product": "涂覆隔膜"}]}
    for role in ("leader", "sme", "integration"):
        assert client.post(URL, json=new, headers=tokens.header(role)).status_code == 403
    assert client.post(URL, json=new).status_code == 401
    made = client.post(URL, json=new, headers=tokens.header("operator"))
    assert made.status_code == 201, made.text
    caps = {c["product"]: c["node"] for c in made.json()["capabilities"]}
    assert caps["隔膜"]["name"] == "隔膜" and caps["涂覆隔膜"] is None
    assert made.json()["region"] == "山东省/青岛市/黄岛区"
    assert client.post(URL, json=new, headers=tokens.header("admin")).status_code == 409
    # A firm edits its own profile, not its tier, and not another firm's profile.
    own = client.patch(f"{URL}/100002", json={"description": "碳酸锂专业供应商"}, headers=tokens.header("sme"))
    assert own.status_code == 200 and own.json()["description"] == "碳酸锂专业供应商"
    assert client.patch(f"{URL}/100002", json={"tier": "little_giant"}, headers=tokens.header("sme")).status_code == 403
    assert client.patch(f"{URL}/100003", json={"description": "x"}, headers=tokens.header("sme")).status_code == 403
    assert client.get(f"{URL}/100003", headers=tokens.header("sme")).json()["description"] == ""


def test_write_validation(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("admin")
    bad = [({"code": "A1", "name": ""}, "name"), ({"code": "A 1", "name": "x"}, "code"),
           ({"code": "A1", "name": "x", "kind": "bank"}, "kind"),
           ({"code": "A1", "name": "x", "rd_share": 2}, "rd_share"),
           ({"code": "A1", "name": "x", "region": "a/b/c/d"}, "region"),
           ({"code": "A1", "name": "x", "extra": 1}, "extra"),
           ({"code": "A1", "name": "x", "capabilities": [{"product": "隔膜"}, {"product": "隔膜"}]}, "capabilities")]
    for body, field in bad:
        resp = client.post(URL, json=body, headers=h)
        assert resp.status_code == 422, (body, resp.text)
        assert field in resp.text
    assert client.get(URL, params={"q": "A1"}, headers=h).json()["total"] == 0
    assert client.patch(f"{URL}/100002", json={"name": None}, headers=h).status_code == 422
    assert client.post(URL, content=b"{not json", headers={**h, "Content-Type": "application/json"}).status_code == 422
