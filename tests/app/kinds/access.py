"""Who may read and edit the members of a category node: any token reads; operators (whatever their reach) and
admins edit."""

from __future__ import annotations

from itertools import count

from tests.app.access import ANY, Access, Ctx, only

URL = "/api/v1/nodes/正极材料/members"
EDITORS = ("admin", "operator", "op_region", "op_chain")
_n = count()


def _body(ctx: Ctx) -> dict[str, str]:
    # a member must be a name matching reads: a fresh alias of 三元材料 per call, so no two calls meet
    alias = f"三元材料别名{next(_n)}"
    resp = ctx.client.post("/api/v1/nodes/三元材料/aliases", json={"alias": alias, "source": "访问矩阵测试"},
                           headers=ctx.as_("admin"))
    assert resp.status_code == 201, resp.text
    return {"item": alias, "source": "访问矩阵测试"}


def _one(ctx: Ctx) -> str:
    resp = ctx.client.post(URL, json=_body(ctx), headers=ctx.as_("admin"))
    assert resp.status_code == 201, resp.text
    return f"{URL}/{resp.json()['id']}"


ACCESS = {
    ("GET", "/api/v1/nodes/{key}/members"): Access(URL, ANY),
    ("GET", "/api/v1/nodes/{key}/kinds"): Access("/api/v1/nodes/三元材料/kinds", ANY),
    ("POST", "/api/v1/nodes/{key}/members"): Access(URL, only(dict.fromkeys(EDITORS, 201)), body=_body),
    ("DELETE", "/api/v1/nodes/{key}/members/{member_id}"): Access(_one, only(dict.fromkeys(EDITORS, 204))),
}
