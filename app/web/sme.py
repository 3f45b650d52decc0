"""An SME's pages: the workbench, the feed with filters, a need's detail with interest and dismissal, and the
firm's profile (products with revenue shares, certifications, contact), which feeds matching."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.chains import service as chains
from app.challenges import applications
from app.core.deps import SessionDep
from app.core.errors import AppError
from app.core.vocabulary import RowId
from app.enterprises import service as enterprises
from app.enterprises.schemas import EnterpriseWrite
from app.notifications import service as notifications
from app.opportunities import service as opportunities
from app.web import forms
from app.web.pages import SmePost, SmeView, Who, back_to, render

router = APIRouter(include_in_schema=False)


def dashboard(request: Request, session: Session, who: Who) -> Response:
    feed = opportunities.feed(session=session, principal=who.user, kind=None, chain=None, deadline_before=None,
                              limit=5, offset=0)
    invites = applications.team_invitations(session=session, principal=who.user, limit=20, offset=0)
    waiting = [a for a in invites.items if a.status == "awaiting_team"
               and a.team_answers.get(_code(session, who)) == "pending"]
    mine = applications.list_mine(session=session, principal=who.user, status=None, limit=5, offset=0)
    unread = notifications.Filter(unread=True)
    inbox = notifications.inbox(session=session, principal=who.user, f=unread, limit=5, offset=0)
    return render(request, "sme/dashboard.html", who, feed=feed, waiting=waiting, mine=mine, inbox=inbox)


def _code(session: Session, who: Who) -> str:
    firm = enterprises.firm_of(session=session, principal=who.user)
    return firm.code if firm else ""


@router.get("/feed")
def feed(request: Request, session: SessionDep, who: SmeView, kind: str = "", chain: str = "", days: str = "",
         new: str = "") -> Response:
    kind = kind if kind in ("procurement", "cooperation", "technology") else ""
    before = date.today() + timedelta(days=int(days)) if days in ("7", "30", "90") else None
    try:
        page = opportunities.feed(session=session, principal=who.user, kind=kind or None,
                                  chain=chain[:40] or None, deadline_before=before, limit=100, offset=0)
    except AppError:
        page = opportunities.feed(session=session, principal=who.user, kind=kind or None, chain=None,
                                  deadline_before=before, limit=100, offset=0)
        chain = ""
    items = [i for i in page.items if i.is_new] if new == "1" else page.items
    return render(request, "sme/feed.html", who, crumbs=[("机会", "")], items=items, total=page.total, kind=kind,
                  chain=chain, days=days, new=new, chains=chains.list_all(session=session))


def need_detail(request: Request, session: Session, who: Who, need_id: int) -> Response:
    item = opportunities.item(session=session, principal=who.user, need_id=need_id)
    return render(request, "sme/need.html", who, crumbs=[("机会", "/feed"), (item.need.title, "")], item=item,
                  need=item.need)


@router.post("/feed/{need_id}/interest")
async def interest(need_id: RowId, request: Request, session: SessionDep, who: SmePost) -> Response:
    state = await forms.read(request)
    message = state.values.get("message", "").strip()
    if len(message) > 500:
        return back_to(f"/needs/{need_id}", "留言不能超过 500 字。")
    opportunities.interest(session=session, principal=who.user, need_id=need_id, message=message)
    return back_to(f"/needs/{need_id}", "已表达意向，发布方会收到通知。双方同意后可看到对方联系方式。")


@router.post("/feed/{need_id}/dismiss")
def dismiss(need_id: RowId, session: SessionDep, who: SmePost) -> Response:
    opportunities.dismiss(session=session, principal=who.user, need_id=need_id)
    return back_to("/feed", "已忽略该机会。")


def _profile_values(detail: Any) -> dict[str, str]:
    contact = detail.contact
    return {"description": detail.description or "", "region": detail.region or "",
            "certifications": "\n".join(detail.certifications),
            "products": "\n".join(f"{c.product} {round(c.revenue_share * 100) if c.revenue_share is not None else ''}"
                                  .strip() for c in detail.capabilities),
            "contact_name": (contact.name or "") if contact else "", "contact_phone": (contact.phone or "") if contact
            else "", "contact_email": (contact.email or "") if contact else ""}


def _products(text: str, state: forms.FormState) -> list[dict[str, Any]]:
    """One product a line, optionally followed by its revenue share in percent: "隔膜 35"."""
    out: list[dict[str, Any]] = []
    for line in (text or "").splitlines():
        parts = line.strip().rsplit(maxsplit=1)
        if not parts:
            continue
        share = None
        if len(parts) == 2 and parts[1].rstrip("%").replace(".", "", 1).isdigit():
            share = float(parts[1].rstrip("%")) / 100
            if share > 1:
                state.errors["products"] = f"“{line.strip()}”的占比超过 100%。"
        name = parts[0] if share is not None else line.strip()
        out.append({"product": name, "revenue_share": share})
    return out


def _firm(session: Session, who: Who) -> Any:
    firm = enterprises.firm_of(session=session, principal=who.user)
    if firm is None:
        raise AppError("没有所属企业。", status=404)
    return firm


@router.get("/profile")
def profile(request: Request, session: SessionDep, who: SmeView) -> Response:
    firm = _firm(session, who)
    detail = enterprises.detail(session=session, enterprise=firm, principal=who.user)
    return render(request, "sme/profile.html", who, crumbs=[("企业档案", "")], firm=detail,
                  form=_profile_values(detail), errors={})


@router.post("/profile")
async def save_profile(request: Request, session: SessionDep, who: SmePost) -> Response:
    firm = _firm(session, who)
    state = await forms.read(request)
    v = state.values
    contact = {"name": v.get("contact_name") or None, "phone": v.get("contact_phone") or None,
               "email": v.get("contact_email") or None}
    products = _products(v.get("products", ""), state)
    data = forms.parse(EnterpriseWrite, {
        "description": v.get("description", ""), "region": v.get("region") or None,
        "certifications": forms.lines(v.get("certifications")), "contact": contact,
        "capabilities": products}, state) if not state.errors else None
    done = forms.attempt(state, lambda: enterprises.update(session=session, enterprise=firm, data=data,
                                                            principal=who.user)) if data else None
    if done is None:
        session.rollback()
        detail = enterprises.detail(session=session, enterprise=firm, principal=who.user)
        return render(request, "sme/profile.html", who, status=422, crumbs=[("企业档案", "")], firm=detail,
                      form=state.values, errors=state.errors)
    return back_to("/profile", "企业档案已保存；匹配结果将按新的产品与资质更新。")
