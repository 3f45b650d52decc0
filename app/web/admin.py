"""Admin pages: web users, API tokens (issue and revoke), and the audit log (operators read it too)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth import service as auth
from app.auth.schemas import TokenCreate, UserCreate
from app.core.deps import SessionDep
from app.web import audit_labels, forms
from app.web.pages import AdminPost, AdminView, StaffView, Who, back_to, render

router = APIRouter(include_in_schema=False)


def _users_page(request: Request, session: SessionDep, who: Who, *, user_form: forms.FormState | None = None,
                token_form: forms.FormState | None = None, issued: str = "", status: int = 200) -> Response:
    uf = user_form or forms.FormState(values={"role": "sme"})
    tf = token_form or forms.FormState(values={"trole": "integration", "tdays": "365"})
    return render(request, "admin/users.html", who, status=status, crumbs=[("用户与令牌", "")],
                  users=auth.list_users(session=session, caller=who.user),
                  tokens=auth.list_tokens(session=session, caller=who.user), form=uf.values, errors=uf.errors,
                  tform=tf.values, terrors=tf.errors, issued=issued)


@router.get("/admin/users")
def users(request: Request, session: SessionDep, who: AdminView) -> Response:
    return _users_page(request, session, who)


@router.post("/admin/users")
async def add_user(request: Request, session: SessionDep, who: AdminPost) -> Response:
    state = await forms.read(request)
    data = forms.parse(UserCreate, {k: v for k, v in state.values.items() if v or k != "org"}, state)
    made = forms.attempt(state, lambda: auth.add_user(session=session, data=data, caller=who.user)) if data else None
    if made is None:
        session.rollback()
        state.values.pop("password", None)  # a password is never sent back to the browser
        return _users_page(request, session, who, user_form=state, status=422)
    return back_to("/admin/users", f"已创建用户 {made.login}。")


@router.post("/admin/tokens")
async def issue_token(request: Request, session: SessionDep, who: AdminPost) -> Response:
    state = await forms.read(request)
    # The token form's fields carry a "t" prefix: the user form on the same page has fields of the same names.
    v = {k.removeprefix("t"): val for k, val in state.values.items()}
    data = forms.parse(TokenCreate, {"role": v.get("role", ""), "name": v.get("name", ""), "org": v.get("org") or None,
                                     "days": v.get("days") or "365",
                                     "scopes": forms.lines(v.get("scopes")) if v.get("role") == "integration" else []},
                       state)
    made = forms.attempt(state, lambda: auth.issue(session=session, data=data, caller=who.user)) if data else None
    if made is None:
        session.rollback()
        state.errors = {("form" if k == "form" else f"t{k}"): e for k, e in state.errors.items()}
        return _users_page(request, session, who, token_form=state, status=422)
    # The token is shown once, on this answer only; the database keeps its hash.
    return _users_page(request, session, who, issued=made.token)


@router.post("/admin/tokens/{prefix}/revoke")
def revoke_token(prefix: str, session: SessionDep, who: AdminPost) -> Response:
    auth.revoke(session=session, prefix=prefix[:32], caller=who.user)
    return back_to("/admin/users", "令牌已吊销，立即失效。")


@router.get("/admin/audit")
def audit(request: Request, session: SessionDep, who: StaffView, entity: str = "", offset: int = 0) -> Response:
    offset = max(0, min(offset, 10_000_000))
    rows = auth.audit_log(session=session, caller=who.user, entity=entity[:40] or None, entity_id=None, limit=100,
                          offset=offset)
    return render(request, "admin/audit.html", who, crumbs=[("审计日志", "")], rows=rows, entity=entity,
                  offset=offset, actors=auth.actors(session=session, rows=rows), entities=audit_labels.ENTITY)
