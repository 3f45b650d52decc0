"""The operator's catalogue pages (供需目录): create, add needs by search, import a spreadsheet with its row
errors shown, review, publish and watch the job's progress bar, export, close, and responses per item."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, BackgroundTasks, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.catalogues import importing
from app.catalogues import service as catalogues
from app.catalogues.schemas import CatalogueCreate
from app.chains import service as chains
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import AppError
from app.core.vocabulary import RowId
from app.jobs import service as jobs
from app.jobs.schemas import JobOut
from app.needs import service as needs
from app.web import forms
from app.web.pages import StaffPost, StaffView, Who, back_to, render

router = APIRouter(include_in_schema=False)
ACTIONS = {"submit": "已提交审核。", "reopen": "已退回草稿。", "close": "目录已关闭。"}


def this_quarter(today: date | None = None) -> str:
    today = today or date.today()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def dashboard(request: Request, session: Session, who: Who) -> Response:
    listed = catalogues.search(session=session, principal=who.user, chain=None, period=None, statuses=[], limit=100,
                               offset=0)
    by_status: dict[str, int] = {}
    for c in listed.items:
        by_status[c.status] = by_status.get(c.status, 0) + 1
    running, _ = jobs.search(session=session, principal=who.user, status="running", kind=None, limit=5, offset=0)
    return render(request, "operator/dashboard.html", who, catalogues=listed.items[:8], by_status=by_status,
                  running=[JobOut.model_validate(j) for j in running], total=listed.total)


@router.get("/catalogues")
def catalogue_list(request: Request, session: SessionDep, who: StaffView, period: str = "",
                   status: str = "") -> Response:
    period = period if len(period) == 6 and period[:4].isdigit() and period[4] in "QH" else ""
    statuses = [status] if status in ("draft", "in_review", "published", "closed") else []
    page = catalogues.search(session=session, principal=who.user, chain=None, period=period or None,
                             statuses=statuses, limit=100, offset=0)
    return render(request, "operator/catalogues.html", who, crumbs=[("供需目录", "")], page=page, period=period,
                  status_filter=status, chains=chains.list_all(session=session), form={"period": this_quarter()},
                  errors={})


@router.post("/catalogues")
async def create_catalogue(request: Request, session: SessionDep, who: StaffPost) -> Response:
    state = await forms.read(request)
    data = forms.parse(CatalogueCreate, {k: v for k, v in state.values.items()
                                         if k in ("chain", "period", "title", "description") and v}, state)
    made = forms.attempt(state, lambda: catalogues.create(session=session, data=data, principal=who.user)) \
        if data else None
    if made is None:
        session.rollback()
        page = catalogues.search(session=session, principal=who.user, chain=None, period=None, statuses=[],
                                 limit=100, offset=0)
        return render(request, "operator/catalogues.html", who, status=422, crumbs=[("供需目录", "")], page=page,
                      period="", status_filter="", chains=chains.list_all(session=session), form=state.values,
                      errors=state.errors)
    return back_to(f"/catalogues/{made.id}", "目录已创建。可搜索需求加入，或导入表格。")


def _detail(request: Request, session: Session, who: Who, catalogue_id: int, *, status: int = 200,
            import_errors: list[dict[str, Any]] | None = None, q: str = "", job: JobOut | None = None) -> Response:
    catalogue = catalogues.get_visible(session=session, catalogue_id=catalogue_id, principal=who.user)
    shown = catalogues.detail(session=session, catalogue=catalogue, principal=who.user)
    found = []
    if q.strip() and shown.status in ("draft", "in_review"):
        listed = {i.need_id for i in shown.items}
        hits = needs.search(session=session, principal=who.user, kind=None, status=None, q=q.strip()[:100],
                            limit=20, offset=0)
        found = [n for n in hits.items if n.id not in listed and n.status == "draft"]
    return render(request, "operator/catalogue.html", who, status=status,
                  crumbs=[("供需目录", "/catalogues"), (shown.title, "")], cat=shown,
                  responses=catalogues.responses(session=session, catalogue=catalogue, principal=who.user),
                  import_errors=import_errors or [], q=q, found=found, job=job)


@router.get("/catalogues/{catalogue_id}")
def catalogue_page(catalogue_id: RowId, request: Request, session: SessionDep, who: StaffView, q: str = "",
                   job: int = 0) -> Response:
    running = JobOut.model_validate(jobs.get_visible(session=session, job_id=job, principal=who.user)) \
        if 0 < job < 2**31 else None
    return _detail(request, session, who, catalogue_id, q=q, job=running)


@router.post("/catalogues/{catalogue_id}/items")
async def add_item(catalogue_id: RowId, request: Request, session: SessionDep, who: StaffPost) -> Response:
    state = await forms.read(request)
    need_id = state.values.get("need", "")
    if not need_id.isdigit() or not 0 < int(need_id) < 2**31:
        return back_to(f"/catalogues/{catalogue_id}", "请选择要加入的需求。")
    catalogues.add_item(session=session, catalogue_id=catalogue_id, need_id=int(need_id), principal=who.user)
    return back_to(f"/catalogues/{catalogue_id}", "需求已加入目录。")


@router.post("/catalogues/{catalogue_id}/items/{need_id}/remove")
def remove_item(catalogue_id: RowId, need_id: RowId, session: SessionDep, who: StaffPost) -> Response:
    catalogues.remove_item(session=session, catalogue_id=catalogue_id, need_id=need_id, principal=who.user)
    return back_to(f"/catalogues/{catalogue_id}", "已从目录移除。")


@router.post("/catalogues/{catalogue_id}/import")
def import_file(catalogue_id: RowId, request: Request, session: SessionDep, settings: SettingsDep,
                who: StaffPost, file: UploadFile) -> Response:
    catalogue = catalogues.managed(session=session, catalogue_id=catalogue_id, principal=who.user)
    data = file.file.read(settings.import_max_bytes + 1)
    try:
        ids = importing.import_into(session=session, catalogue=catalogue, data=data, filename=file.filename or "",
                                    principal=who.user, max_bytes=settings.import_max_bytes,
                                    max_unpacked=settings.import_max_unpacked_bytes)
    except (importing.FileRejected, importing.FileTooLarge) as exc:
        session.rollback()
        rows = exc.details if isinstance(exc.details, list) else [{"row": None, "column": None,
                                                                   "reason": "文件过大"}]
        return _detail(request, session, who, catalogue_id, status=422, import_errors=rows)
    return back_to(f"/catalogues/{catalogue_id}", f"已导入 {len(ids)} 条需求。")


@router.post("/catalogues/{catalogue_id}/publish")
def publish(catalogue_id: RowId, request: Request, background: BackgroundTasks, session: SessionDep,
            who: StaffPost) -> Response:
    _, job = catalogues.publish(session=session, catalogue_id=catalogue_id, principal=who.user)
    runner = getattr(request.app.state, "jobs", None)
    if runner is not None:
        # After the response, so after the commit: the runner's claim only sees committed jobs.
        background.add_task(runner.wake)
    return back_to(f"/catalogues/{catalogue_id}?job={job.id}", "发布任务已开始，正在定向推送。")


@router.post("/catalogues/{catalogue_id}/{action}")
def transition(catalogue_id: RowId, action: str, session: SessionDep, who: StaffPost) -> Response:
    if action not in ACTIONS:
        raise AppError("没有这个操作。", status=404)
    catalogues.transition(session=session, catalogue_id=catalogue_id, action=action, principal=who.user)
    return back_to(f"/catalogues/{catalogue_id}", ACTIONS[action])


@router.get("/jobs/{job_id}/progress")
def job_progress(job_id: RowId, request: Request, session: SessionDep, who: StaffView) -> Response:
    """The progress bar's fragment; htmx asks again every second until the job has ended."""
    job = JobOut.model_validate(jobs.get_visible(session=session, job_id=job_id, principal=who.user))
    # htmx names the page the bar sits on; only its path is kept, so the link stays on this site.
    page = urlsplit(request.headers.get("hx-current-url", "")).path
    return render(request, "operator/_job.html", who, job=job, back=page if page.startswith("/catalogues/") else "")


@router.get("/catalogues/{catalogue_id}/export.{fmt}")
def export(catalogue_id: RowId, fmt: str, session: SessionDep, who: StaffView) -> Response:
    if fmt not in ("xlsx", "csv"):
        raise AppError("没有这种格式。", status=404)
    content, media, name = catalogues.export_file(session=session, catalogue_id=catalogue_id, principal=who.user,
                                                  fmt=fmt)
    return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
