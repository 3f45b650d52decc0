"""The operator's view of the province: the quarter's statistics with charts, the enterprise directory with
profile review (tiers are certified here), and the chain graph with firms per node."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.catalogues import service as catalogues
from app.chains import service as chains
from app.core.deps import SessionDep
from app.core.vocabulary import FIRM_TIER_LABELS, TIERS
from app.enterprises import service as enterprises
from app.enterprises.schemas import EnterpriseWrite
from app.web.operator import this_quarter
from app.web.pages import StaffPost, StaffView, back_to, render

router = APIRouter(include_in_schema=False)
FUNNEL = (("delivered", "推送"), ("seen", "已读"), ("interested", "意向"), ("invited", "邀请"), ("selected", "选定"))


def _chart(options: dict[str, Any]) -> str:
    # Rendered into a <script type="application/json"> block: "</" must not end it early.
    return json.dumps(options, ensure_ascii=False).replace("</", "<\\/")


@router.get("/stats")
def stats(request: Request, session: SessionDep, who: StaffView, period: str = "") -> Response:
    period = period if len(period) == 6 and period[:4].isdigit() and period[4] in "QH" else this_quarter()
    listed = catalogues.search(session=session, principal=who.user, chain=None, period=period, statuses=[],
                               limit=200, offset=0)
    rows = []
    for c in listed.items:
        catalogue = catalogues.get_visible(session=session, catalogue_id=c.id, principal=who.user)
        per_item = catalogues.responses(session=session, catalogue=catalogue, principal=who.user)
        totals = {k: sum(r.get(k, 0) for r in per_item.values()) for k, _ in FUNNEL}
        rows.append((c, len(catalogues.items(session, catalogue, who.user)), totals))
    funnel = {k: sum(t[k] for _, _, t in rows) for k, _ in FUNNEL}
    chart = {"tooltip": {}, "grid": {"left": 48, "right": 12, "top": 24, "bottom": 32},
             "xAxis": {"type": "category", "data": [label for _, label in FUNNEL]},
             "yAxis": {"type": "value", "minInterval": 1},
             "series": [{"type": "bar", "data": [funnel[k] for k, _ in FUNNEL], "barMaxWidth": 64,
                         "itemStyle": {"color": "#0a4f8c"},
                         "label": {"show": True, "position": "top"}}]}
    by_chain = {"tooltip": {}, "grid": {"left": 48, "right": 12, "top": 24, "bottom": 60},
                "xAxis": {"type": "category", "data": [c.title[:12] for c, _, _ in rows],
                          "axisLabel": {"interval": 0, "rotate": 30}},
                "yAxis": {"type": "value", "minInterval": 1},
                "series": [{"type": "bar", "name": "条目", "data": [n for _, n, _ in rows], "barMaxWidth": 64,
                            "itemStyle": {"color": "#2f7d32"}}]}
    return render(request, "operator/stats.html", who, crumbs=[("统计", "")], period=period, rows=rows,
                  funnel=funnel, labels=FUNNEL, chart=_chart(chart), by_chain=_chart(by_chain))


@router.get("/enterprises")
def directory(request: Request, session: SessionDep, who: StaffView, q: str = "", tier: str = "",
              offset: int = 0) -> Response:
    tier = tier if tier in TIERS else ""
    offset = max(0, min(offset, 10_000_000))
    page = enterprises.search(session=session, f=enterprises.Filter(q=q.strip()[:100] or None,
                                                                  tiers=(tier,) if tier else ()),
                              limit=50, offset=offset)
    return render(request, "operator/enterprises.html", who, crumbs=[("企业库", "")], page=page, q=q, tier=tier,
                  tiers=FIRM_TIER_LABELS, offset=offset)


@router.get("/enterprises/{code}")
def enterprise(code: str, request: Request, session: SessionDep, who: StaffView) -> Response:
    firm = enterprises.get(session=session, key=code[:40])
    detail = enterprises.detail(session=session, enterprise=firm, principal=who.user)
    return render(request, "operator/enterprise.html", who, crumbs=[("企业库", "/enterprises"), (detail.name, "")],
                  firm=detail, tiers=FIRM_TIER_LABELS)


@router.post("/enterprises/{code}/tier")
async def set_tier(code: str, request: Request, session: SessionDep, who: StaffPost) -> Response:
    firm = enterprises.get(session=session, key=code[:40])
    tier = (await request.form()).get("tier")
    if tier not in TIERS:
        return back_to(f"/enterprises/{firm.code}", "请选择企业等级。")
    enterprises.update(session=session, enterprise=firm, data=EnterpriseWrite(tier=str(tier)), principal=who.user)
    return back_to(f"/enterprises/{firm.code}", "企业等级已更新。")


@router.get("/chains")
def chain_list(request: Request, session: SessionDep, who: StaffView) -> Response:
    return render(request, "operator/chains.html", who, crumbs=[("产业链图谱", "")],
                  chains=chains.list_all(session=session))


@router.get("/chains/{code}")
def chain_graph(code: str, request: Request, session: SessionDep, who: StaffView) -> Response:
    graph = chains.chain_graph(session=session, chain=chains.get_chain(session=session, key=code[:40]))
    shown = sorted(graph.nodes, key=lambda n: -n.makers)[:150]
    ids = {n.id for n in shown}
    top = max((n.makers for n in shown), default=1) or 1
    options = {"tooltip": {}, "series": [{
        "type": "graph", "layout": "force", "roam": True, "draggable": True,
        "force": {"repulsion": 120, "edgeLength": 60}, "label": {"show": True, "fontSize": 11},
        "data": [{"id": str(n.id), "name": n.name, "value": n.makers, "symbolSize": 8 + 30 * (n.makers / top),
                  "itemStyle": {"color": "#b91c1c" if n.makers < 2 else "#0a4f8c"}} for n in shown],
        "edges": [{"source": str(e.source), "target": str(e.target)} for e in graph.edges
                  if e.source in ids and e.target in ids],
        "lineStyle": {"color": "#94a3b8"}, "edgeSymbol": ["none", "arrow"], "edgeSymbolSize": 5}]}
    weak = sorted((n for n in graph.nodes if n.makers < 2), key=lambda n: n.name)[:30]
    return render(request, "operator/chain.html", who, crumbs=[("产业链图谱", "/chains"), (graph.chain.name, "")],
                  graph=graph, options=_chart(options), weak=weak, shown=len(shown))
