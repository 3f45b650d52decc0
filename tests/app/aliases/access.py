"""Who may read and edit node aliases: any token reads; operators (whatever their reach) and admins edit."""

from __future__ import annotations

from itertools import count

from tests.app.access import ANY, Access, Ctx, only

URL = "/api/v1/nodes/碳酸锂/aliases"
EDITORS = ("admin", "operator", "op_region", "op_chain")
_n = count()


def _body(_ctx: Ctx) -> dict[str, str]:
    return {"alias": f"碳酸锂别名{next(_n)}", "source": "访问矩阵测试"}


def _one(ctx: Ctx) -> str:
    resp = ctx.client.post(URL, json=_body(ctx), headers=ctx.as_("admin"))
    assert resp.status_code == 201, resp.text
    return f"{URL}/{resp.json()['id']}"


ACCESS = {
    ("GET", "/api/v1/nodes/{key}/aliases"): Access(URL, ANY),
    ("POST", "/api/v1/nodes/{key}/aliases"): Access(URL, only(dict.fromkeys(EDITORS, 201)), body=_body),
    ("DELETE", "/api/v1/nodes/{key}/aliases/{alias_id}"): Access(_one, only(dict.fromkeys(EDITORS, 204))),
}
