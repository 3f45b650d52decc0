"""How values read on the pages: Chinese labels, 匹配度 on its 0–100 scale, dates, money, and each role's menu."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import Request
from starlette.routing import Match

from app.core.vocabulary import (
    APPLICATION_STATUS_LABELS,
    CATALOGUE_STATUS_LABELS,
    CHALLENGE_MODE_LABELS,
    JOB_STATUS_LABELS,
    NEED_FIELD_LABELS,
    POSTER_DECISION_LABELS,
    SME_ANSWER_LABELS,
)

SME_STATUS = SME_ANSWER_LABELS
POSTER_STATUS = POSTER_DECISION_LABELS
APPLICATION_STATUS = APPLICATION_STATUS_LABELS
CATALOGUE_STATUS = CATALOGUE_STATUS_LABELS
CHALLENGE_MODE = CHALLENGE_MODE_LABELS
JOB_STATUS = JOB_STATUS_LABELS
FIELD = NEED_FIELD_LABELS
EVENT = {"opportunity.new": "收到新的匹配机会", "candidate.invited": "链主邀请您洽谈",
         "candidate.rejected": "链主婉拒了您", "candidate.selected": "您已被选定",
         "interest.received": "有企业表达意向",
         "interest.answered": "链主答复了您的意向", "application.received": "收到揭榜申请",
         "application.updated": "揭榜申请有新进展", "application.team_invited": "邀请您加入揭榜团队",
         "application.team_answered": "团队成员已答复", "catalogue.published": "供需目录已发布",
         "need.updated": "需求有更新", "deadline.soon": "截止日期临近"}

# (label, link, roles) in menu order; "对接会" is the events issue's slot in the same layout, shown once its
# pages exist.
NAV = (
    ("工作台", "/", ("admin", "operator", "leader", "sme")),
    ("我的需求", "/needs", ("leader",)),
    ("机会", "/feed", ("sme",)),
    ("揭榜挂帅", "/challenges", ("leader", "sme")),
    ("我的申请", "/applications", ("sme",)),
    ("企业档案", "/profile", ("sme",)),
    ("供需目录", "/catalogues", ("operator", "admin")),
    ("需求", "/needs", ("operator", "admin")),
    ("统计", "/stats", ("operator", "admin")),
    ("企业库", "/enterprises", ("operator", "admin")),
    ("产业链图谱", "/chains", ("operator", "admin")),
    ("对接会", "/events", ("operator", "admin", "leader", "sme")),
    ("用户与令牌", "/admin/users", ("admin",)),
    ("审计日志", "/admin/audit", ("admin", "operator")),
    ("通知", "/notifications", ("admin", "operator", "leader", "sme")),
)


def _served(request: Request) -> set[str]:
    """The menu's links this app answers (worked out once per app): a page another issue adds shows up by
    itself."""
    cached = getattr(request.app.state, "nav_served", None)
    if cached is None:
        cached = set()
        for _, link, _ in NAV:
            scope = {"type": "http", "path": link, "method": "GET", "root_path": ""}
            if any(route.matches(scope)[0] == Match.FULL for route in request.app.routes):
                cached.add(link)
        request.app.state.nav_served = cached
    return cached  # type: ignore[no-any-return]


def nav_for(role: str, request: Request) -> list[tuple[str, str]]:
    served = _served(request)
    return [(label, link) for label, link, roles in NAV if role in roles and link in served]


def fit(explanation: Mapping[str, Any] | None) -> int | None:
    """匹配度 0–100 as matching/scale.py gives it in an explanation; None where the engine gave none."""
    match = (explanation or {}).get("match")
    score = match.get("score") if isinstance(match, Mapping) else None
    if not isinstance(score, int | float):
        return None
    return max(0, min(100, round(score)))


def field_list(fields: Iterable[str] | None) -> str:
    return "、".join(FIELD.get(f, f) for f in fields or ())


def when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Stored in UTC; people here read Beijing time.
        return (value + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def money(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value / 10_000:,.1f} 万元" if value >= 10_000 else f"{value:,.0f} 元"
