"""Supply/demand catalogues (供需目录) of a chain and their targeted publication.

Who may call what (the rules themselves: app/access/catalogues.py and app/access/needs.py):
- create, submit, reopen, publish, close, import, history: operators and admins whose chains cover the catalogue;
  publishing also needs every draft item to be a need the caller reaches; imported needs are filed only for
  chain-leader firms in the caller's regions;
- read a catalogue, list, export: any token reads published and closed ones; drafts and catalogues in review exist
  only for staff whose chains cover them (404 to everyone else); items are shown as the needs policy shows them;
- add or remove an item: those who manage the need (its chain leader, staff who reach it).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Query, Request, Response, UploadFile

from app.catalogues import importing, service, tabular
from app.catalogues.schemas import (
    PERIOD_PATTERN,
    CatalogueCreate,
    CatalogueDetail,
    CatalogueEventOut,
    CatalogueSummary,
    CatalogueUpdate,
    ImportResult,
    ItemAdd,
    PublishAccepted,
)
from app.core.admission import HEAVY
from app.core.deps import READ, CurrentPrincipal, SessionDep, SettingsDep, StaffPrincipal
from app.core.schemas import Page
from app.core.vocabulary import CatalogueStatus, RowId
from app.jobs.schemas import JobOut
from app.models import Principal

router = APIRouter(prefix="/api/v1/catalogues", tags=["catalogues"])

Manager = StaffPrincipal
CatalogueId = RowId
Status = CatalogueStatus


@router.post("", response_model=CatalogueDetail, status_code=201,
             summary="Create a draft catalogue (operators, admins)")
def create_catalogue(data: CatalogueCreate, session: SessionDep, principal: Manager) -> CatalogueDetail:
    catalogue = service.create(session=session, data=data, principal=principal)
    return service.detail(session=session, catalogue=catalogue, principal=principal)


@router.get("", openapi_extra=READ, response_model=Page[CatalogueSummary],
            summary="List catalogues (any token; drafts and in review for operators and admins only)")
def list_catalogues(
    session: SessionDep,
    principal: CurrentPrincipal,
    chain: Annotated[str | None, Query(max_length=40, description="chain code or id")] = None,
    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None,
    status: Annotated[list[Status] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[CatalogueSummary]:
    return service.search(session=session, principal=principal, chain=chain, period=period,
                          statuses=list(status or []), limit=limit, offset=offset)


@router.get("/{catalogue_id}", openapi_extra=READ, response_model=CatalogueDetail,
            summary="One catalogue with its items and counts (any token; drafts for operators and admins only)")
def get_catalogue(catalogue_id: CatalogueId, session: SessionDep, principal: CurrentPrincipal) -> CatalogueDetail:
    catalogue = service.get_visible(session=session, catalogue_id=catalogue_id, principal=principal)
    return service.detail(session=session, catalogue=catalogue, principal=principal)


@router.patch("/{catalogue_id}", response_model=CatalogueDetail,
              summary="Change a draft or in-review catalogue's title, description or reach (operators, admins)")
def update_catalogue(catalogue_id: CatalogueId, data: CatalogueUpdate, session: SessionDep,
                     principal: Manager) -> CatalogueDetail:
    catalogue = service.update(session=session, catalogue_id=catalogue_id, data=data, principal=principal)
    return service.detail(session=session, catalogue=catalogue, principal=principal)


@router.post("/{catalogue_id}/items", response_model=CatalogueDetail, status_code=201,
             summary="Add a need to a draft or in-review catalogue (operators, admins, the need's own leader)")
def add_item(catalogue_id: CatalogueId, data: ItemAdd, session: SessionDep,
             principal: CurrentPrincipal) -> CatalogueDetail:
    service.add_item(session=session, catalogue_id=catalogue_id, need_id=data.need, principal=principal)
    catalogue = service.get_any(session=session, catalogue_id=catalogue_id)
    return service.detail(session=session, catalogue=catalogue, principal=principal)


@router.delete("/{catalogue_id}/items/{need_id}", status_code=204,
               summary="Remove a need from a draft or in-review catalogue (operators, admins, the need's leader)")
def remove_item(catalogue_id: CatalogueId, need_id: RowId,
                session: SessionDep, principal: CurrentPrincipal) -> Response:
    service.remove_item(session=session, catalogue_id=catalogue_id, need_id=need_id, principal=principal)
    return Response(status_code=204)


def _transition(action: str, catalogue_id: int, session: SessionDep, principal: Principal) -> CatalogueDetail:
    catalogue = service.transition(session=session, catalogue_id=catalogue_id, action=action, principal=principal)
    return service.detail(session=session, catalogue=catalogue, principal=principal)


@router.post("/{catalogue_id}/submit", response_model=CatalogueDetail,
             summary="Send a draft for review (operators, admins)")
def submit(catalogue_id: CatalogueId, session: SessionDep, principal: Manager) -> CatalogueDetail:
    return _transition("submit", catalogue_id, session, principal)


@router.post("/{catalogue_id}/reopen", response_model=CatalogueDetail,
             summary="Send a catalogue in review back to draft (operators, admins)")
def reopen(catalogue_id: CatalogueId, session: SessionDep, principal: Manager) -> CatalogueDetail:
    return _transition("reopen", catalogue_id, session, principal)


@router.post("/{catalogue_id}/close", response_model=CatalogueDetail,
             summary="Close a published catalogue (operators, admins)")
def close(catalogue_id: CatalogueId, session: SessionDep, principal: Manager) -> CatalogueDetail:
    return _transition("close", catalogue_id, session, principal)


@router.post("/{catalogue_id}/publish", response_model=PublishAccepted, status_code=202,
             summary="Publish a reviewed catalogue: targeted delivery runs as a background job (operators, admins)")
def publish(catalogue_id: CatalogueId, request: Request, background: BackgroundTasks, session: SessionDep,
            principal: Manager) -> PublishAccepted:
    catalogue, job = service.publish(session=session, catalogue_id=catalogue_id, principal=principal)
    runner = getattr(request.app.state, "jobs", None)
    if runner is not None:
        # After the response, so after the commit: the runner's claim only sees committed jobs.
        background.add_task(runner.wake)
    return PublishAccepted(job=JobOut.model_validate(job), catalogue=service.summary_of(session, catalogue))


@router.get("/{catalogue_id}/history", openapi_extra=READ, response_model=list[CatalogueEventOut],
            summary="Who changed what and when (operators, admins)")
def history(catalogue_id: CatalogueId, session: SessionDep, principal: Manager) -> list[CatalogueEventOut]:
    catalogue = service.managed(session=session, catalogue_id=catalogue_id, principal=principal)
    return service.history(session=session, catalogue=catalogue, principal=principal)


@router.get("/{catalogue_id}/export", openapi_extra=READ | HEAVY, response_class=Response,
            responses={200: {"content": {tabular.XLSX_MEDIA: {}, tabular.CSV_MEDIA: {}}}},
            summary="The catalogue as xlsx or CSV (who may read the catalogue)")
def export(catalogue_id: CatalogueId, session: SessionDep, principal: CurrentPrincipal,
           format: Annotated[str, Query(pattern="^(xlsx|csv)$")] = "xlsx") -> Response:  # noqa: A002
    content, media, name = service.export_file(session=session, catalogue_id=catalogue_id, principal=principal,
                                               fmt=format)
    return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/{catalogue_id}/import", openapi_extra=HEAVY, response_model=ImportResult, status_code=201,
             summary="Import needs from an xlsx or CSV file into a draft catalogue, all or nothing (operators, admins)")
def import_file(catalogue_id: CatalogueId, session: SessionDep, settings: SettingsDep, principal: Manager,
                file: Annotated[UploadFile, File(description="xlsx or CSV in the export's layout")]) -> ImportResult:
    catalogue = service.managed(session=session, catalogue_id=catalogue_id, principal=principal)
    # Read one byte past the limit: enough to know the file is too large without holding all of it.
    data = file.file.read(settings.import_max_bytes + 1)
    ids = importing.import_into(session=session, catalogue=catalogue, data=data, filename=file.filename or "",
                                principal=principal, max_bytes=settings.import_max_bytes,
                                max_unpacked=settings.import_max_unpacked_bytes)
    return ImportResult(imported=len(ids), need_ids=ids)
