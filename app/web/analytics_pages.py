"""The operators' analytics pages: the chains at a glance, one chain drawn by weakness with its 短板 and their
actions, the firms outside the region for a weak link, and a quarter's results as charts.

The same services and rules as /api/v1/analytics (app/analytics, app/access/analytics.py): only operators and
admins, each within its chains and regions. Drawings are inline SVG made on the server; no script is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Cookie, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.analytics import actions, quarter, service, workbook
from app.analytics.schemas import DraftNeed
from app.analytics.snapshot import CacheDep
from app.auth import web_sessions
from app.core.deps import SessionDep
from app.core.errors import AppError
from app.core.spreadsheet import XLSX_MEDIA
from app.core.vocabulary import (
    BASIS_LABELS,
    CONCENTRATION_LABELS,
    EVIDENCE_LABELS,
    FIRM_TIER_LABELS,
    NEED_KIND_LABELS,
    NO_BASIS_LABEL,
    QUARTER_PATTERN,
    REQUIRED_TIER_LABELS,
    ROLE_LABELS,
    TIERS,
    WEIGHTING_LABELS,
)
from app.match_index.deps import IndexDep
from app.models import Principal, WebSession
from app.models._types import utcnow
from app.web import analytics_charts as charts
from app.web.pages import templates

router = APIRouter(include_in_schema=False)
NAMES = {"role_names": ROLE_LABELS, "basis_names": BASIS_LABELS, "no_basis": NO_BASIS_LABEL,
         "concentration_names": CONCENTRATION_LABELS, "evidence_names": EVIDENCE_LABELS,
         "tier_names": FIRM_TIER_LABELS, "required_tier_names": REQUIRED_TIER_LABELS, "tiers": TIERS,
         "weighting_names": WEIGHTING_LABELS, "kind_names": NEED_KIND_LABELS, "bands": charts.BANDS,
         "sound": charts.SOUND}
ERRORS = {403: "您无权查看该范围的数据，或无权以该企业名义发布需求。", 404: "该产业链或环节不存在。",
          409: "该环节在此地区和等级下不是短板，或目录已不可编辑。",
          422: "参数有误，请检查地区、等级或链主企业后重试。", 503: "匹配索引正在构建，请稍后再试。"}
Region = Annotated[str | None, Query(max_length=100)]
MinTier = Annotated[str, Query(pattern="^(none|innovative|provincial|little_giant)$")]


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {**NAMES, **context}, status_code=status)


Make = Callable[[Principal, WebSession], "dict[str, Any] | Response"]


def _serve(request: Request, session: Session, cm_session: str | None, template: str, make: Make) -> Response:
    """A logged-in user's page: ``make`` computes its context through the services (or answers itself); their
    refusals become a Chinese error page with the same status, and no login means the login page."""
    found = web_sessions.current(session, cm_session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user, web = found
    try:
        context = make(user, web)
    except AppError as exc:
        return _render(request, "analytics/error.html", exc.status, user=user, csrf=web.csrf_token,
                       error=ERRORS.get(exc.status, "操作未能完成，请稍后再试。"))
    if isinstance(context, Response):
        return context
    return _render(request, template, user=user, csrf=web.csrf_token, **context)


@router.get("/analytics")
def overview(request: Request, session: SessionDep, cache: CacheDep, region: Region = None,
             min_tier: MinTier = "none", cm_session: Annotated[str | None, Cookie()] = None) -> Response:
    def make(user: Principal, _: WebSession) -> dict[str, Any]:
        now = utcnow()
        return {"data": service.overview(session=session, cache=cache, principal=user, region=region,
                                         min_tier=min_tier), "period": f"{now.year}Q{(now.month - 1) // 3 + 1}"}

    return _serve(request, session, cm_session, "analytics/overview.html", make)


@router.get("/analytics/chains/{chain}")
def chain_page(chain: str, request: Request, session: SessionDep, cache: CacheDep, region: Region = None,
               min_tier: MinTier = "none", cm_session: Annotated[str | None, Cookie()] = None) -> Response:
    def make(user: Principal, _: WebSession) -> dict[str, Any]:
        ctx = service.context(session=session, cache=cache, principal=user, chain=chain[:40], region=region,
                              min_tier=min_tier)
        page = service.page_of(session, ctx, weak_limit=30)
        return {"page": page, "drawing": charts.chain_drawing(page, service.chain_edges(ctx)),
                "box_w": charts.BOX_W, "box_h": charts.BOX_H}

    return _serve(request, session, cm_session, "analytics/chain.html", make)


@router.get("/analytics/chains/{chain}/report")
def report_file(chain: str, request: Request, session: SessionDep, cache: CacheDep, region: Region = None,
                min_tier: MinTier = "none", cm_session: Annotated[str | None, Cookie()] = None) -> Response:
    def make(user: Principal, _: WebSession) -> Response:
        page = service.chain_page(session=session, cache=cache, principal=user, chain=chain[:40], region=region,
                                  min_tier=min_tier, weak_limit=2000)
        code = page.scope.chain.code if page.scope.chain else "chain"
        return Response(workbook.workbook(page), media_type=XLSX_MEDIA,
                        headers={"Content-Disposition": f'attachment; filename="analytics-{quote(code)}.xlsx"'})

    return _serve(request, session, cm_session, "", make)


@router.get("/analytics/chains/{chain}/nodes/{node}/outside")
def outside(chain: str, node: str, request: Request, session: SessionDep, cache: CacheDep, index: IndexDep,
            region: Region = None, min_tier: MinTier = "none",
            cm_session: Annotated[str | None, Cookie()] = None) -> Response:
    def make(user: Principal, _: WebSession) -> dict[str, Any]:
        return {"data": actions.outside_firms(session=session, cache=cache, holder=index, principal=user,
                                              chain=chain[:40], node=node[:200], region=region, min_tier=min_tier,
                                              limit=20)}

    return _serve(request, session, cm_session, "analytics/outside.html", make)


@router.post("/analytics/chains/{chain}/nodes/{node}/need")
def draft_need(chain: str, node: str, request: Request, session: SessionDep, cache: CacheDep,
               poster: Annotated[str, Form(min_length=1, max_length=40)],
               kind: Annotated[str, Form(pattern="^(procurement|cooperation|technology)$")] = "cooperation",
               region: Annotated[str, Form(max_length=100)] = "", min_tier: Annotated[str, Form()] = "none",
               csrf: Annotated[str, Form(max_length=100)] = "",
               cm_session: Annotated[str | None, Cookie()] = None) -> Response:
    def make(user: Principal, web: WebSession) -> Response:
        if not web_sessions.check_csrf(web, csrf):
            return Response("CSRF 校验失败", status_code=403)
        data = DraftNeed(poster=poster.strip(), kind=kind, region=region or None,  # type: ignore[arg-type]
                         min_tier=min_tier if min_tier in TIERS else "none")  # type: ignore[arg-type]
        made = actions.draft_need(session=session, cache=cache, principal=user, chain=chain[:40], node=node[:200],
                                  data=data)
        return RedirectResponse(f"/needs/{made.need.id}", status_code=303)

    return _serve(request, session, cm_session, "", make)


@router.get("/analytics/quarters/{period}")
def quarter_page(period: str, request: Request, session: SessionDep, chain: Annotated[str | None, Query(
                 max_length=40)] = None, region: Region = None, min_tier: MinTier = "none",
                 cm_session: Annotated[str | None, Cookie()] = None) -> Response:
    def make(user: Principal, _: WebSession) -> dict[str, Any]:
        if not re.match(QUARTER_PATTERN, period):
            raise AppError("bad period", status=422)
        data = quarter.results(session=session, principal=user, period=period, chain=chain or None, region=region,
                               min_tier=min_tier)
        tier_labels = {t: FIRM_TIER_LABELS[t].replace("—", "无等级") for t in TIERS}
        return {"data": data, "funnel": charts.funnel_bars(data.current, data.previous),
                "tiers": charts.part_bars(data.by_tier, tier_labels), "regions": charts.part_bars(data.by_region),
                "chains": charts.part_bars(data.by_chain), "bar_width": charts.BAR_WIDTH}

    return _serve(request, session, cm_session, "analytics/quarter.html", make)
