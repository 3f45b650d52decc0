"""Members of a category through the API: operators add and remove them, and the next match request already seeks
the category for a wanted product few firms list."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.app.conftest import Tokens

URL = "/api/v1/nodes/碳酸锂/members"


def _found(client: TestClient, tokens: Tokens, text: str) -> tuple[dict[str, int], list[dict]]:  # type: ignore[type-arg]
    """Firm code -> 匹配度, in rank order, and the nodes the need was read as."""
    resp = client.post("/api/v1/match", json={"text": text}, headers=tokens.header("leader"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    return {i["enterprise"]["code"]: i["match"] for i in body["items"]}, body["need_nodes"]


def test_a_member_reaches_matching_at_once_and_leaves_it_again(client: TestClient, tokens: Tokens) -> None:
    editor = tokens.header("operator")
    codes, need = _found(client, tokens, "采购金属锂")
    # one firm lists 金属锂; 碳酸锂's other maker shows only by what it makes beside it (made together, < 30)
    assert list(codes)[0] == "100003" and codes.get("100002", 0) < 30 and len(need) == 1
    resp = client.post(URL, json={"item": "金属锂", "source": "测试：锂产品"}, headers=editor)
    assert resp.status_code == 201, resp.text
    member = resp.json()
    assert member["kind_name"] == "碳酸锂" and member["item"] == "金属锂"
    codes, need = _found(client, tokens, "采购金属锂")
    assert list(codes)[:2] == ["100003", "100002"] and 30 <= codes["100002"] < 50  # its maker, then the category's
    assert {"node": "碳酸锂", "form": "碳酸锂", "how": "kind"} in [{k: n[k] for k in ("node", "form", "how")}
                                                                  for n in need]
    assert "金属锂" in [m["item"] for m in client.get(URL, headers=tokens.header("sme")).json()]
    # read from the product's side too: what a need naming 金属锂 also seeks
    kinds = client.get("/api/v1/nodes/金属锂/kinds", headers=tokens.header("sme")).json()
    assert [(k["item"], k["kind_name"]) for k in kinds] == [("金属锂", "碳酸锂")]
    assert client.delete(f"{URL}/{member['id']}", headers=editor).status_code == 204
    codes, need = _found(client, tokens, "采购金属锂")
    assert codes.get("100002", 0) < 30 and len(need) == 1
    assert client.get("/api/v1/nodes/金属锂/kinds", headers=tokens.header("sme")).json() == []


def test_a_products_kinds_include_those_listed_under_its_aliases(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("admin")
    assert client.post("/api/v1/nodes/金属锂/aliases", json={"alias": "锂金属锭", "source": "测试"},
                       headers=h).status_code == 201
    assert client.post(URL, json={"item": "锂金属锭", "source": "测试"}, headers=h).status_code == 201
    kinds = client.get("/api/v1/nodes/金属锂/kinds", headers=h).json()
    assert [(k["item"], k["kind_name"]) for k in kinds] == [("锂金属锭", "碳酸锂")]
    assert client.get("/api/v1/nodes/没有这个/kinds", headers=h).status_code == 404


def test_bad_members_are_refused_with_the_reason(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("admin")
    body = {"item": "锂矿", "source": "测试"}
    assert client.post(URL, json=body, headers=h).status_code == 201
    again = client.post(URL, json=body, headers=h)
    assert again.status_code == 409 and "锂矿" in again.text
    own = client.post(URL, json={"item": "碳酸锂", "source": "测试"}, headers=h)
    assert own.status_code == 422 and "item" in own.text
    unknown = client.post(URL, json={"item": "没听过的东西", "source": "测试"}, headers=h)
    assert unknown.status_code == 422 and "alias" in unknown.text  # matching could not read it
    assert client.post(URL, json={"item": "金属锂"}, headers=h).status_code == 422  # a source is required
    assert client.post("/api/v1/nodes/没有这个/members", json=body, headers=h).status_code == 404
    assert client.delete(f"{URL}/999999", headers=h).status_code == 404
    assert client.get(URL, headers=h).json()[-1]["item"] == "锂矿"  # nothing refused was written


def test_the_reviewed_list_is_seeded_by_the_migration(client: TestClient, tokens: Tokens) -> None:
    from matching.aliases import read_pairs
    from matching.kinds import DEFAULT_KINDS

    rows = client.get("/api/v1/nodes/锂电池/members", headers=tokens.header("sme")).json()
    shipped = {item for item, kind, _ in read_pairs(DEFAULT_KINDS, ("item", "kind", "source")) if kind == "锂电池"}
    assert shipped and {r["item"] for r in rows} == shipped and all(r["source"] for r in rows)
