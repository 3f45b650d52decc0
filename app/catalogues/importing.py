"""Import a catalogue spreadsheet (xlsx or CSV, the layout of tabular.py) into a draft catalogue.

Every row is checked before anything is written; all problems come back at once as 422 details
[{row, column, reason}], and either every row becomes a draft need of the catalogue or none does.
Hostile files are refused before parsing: over the size limit, an xlsx whose members unpack to more than the
unpacked limit (a zip bomb), too many rows. Formulas are never evaluated: an xlsx formula cell is an error.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from app.access.needs import may_file_for
from app.catalogues.repository import CatalogueRepository
from app.catalogues.service import log_event
from app.catalogues.tabular import ANONYMOUS, COLUMNS, KIND_LABELS, NO, SCOPE_LABELS, TIER_LABELS, YES, unescape
from app.core.audit import record
from app.core.errors import AppError, Conflict
from app.models import Catalogue, Enterprise, Need, Principal
from app.models._types import utcnow
from app.needs import lifecycle

MAX_ROWS = 5000
MAX_ZIP_MEMBERS = 1000
MAX_ERRORS = 200
REQUIRED = ("需求类型", "需求名称", "发布单位")
_SPLIT = re.compile(r"[、,，;；]")
_KINDS = {v: k for k, v in KIND_LABELS.items()} | {k: k for k in KIND_LABELS}
_SCOPES = {v: k for k, v in SCOPE_LABELS.items()} | {k: k for k in SCOPE_LABELS} | {"": "node"}
_TIERS = {v: k for k, v in TIER_LABELS.items()} | {k: k for k in TIER_LABELS} | {"": "none"}
_BOOLS = {YES: True, NO: False, "": False, "true": True, "false": False, "1": True, "0": False}
_LIMITS = {"需求名称": 200, "需求描述": 5000, "数量": 100, "交付地区": 100}


class FileRejected(AppError):
    status, code = 422, "invalid_file"


class FileTooLarge(AppError):
    status, code = 413, "file_too_large"


@dataclass
class Row:
    line: int
    values: dict[str, str]
    formulas: set[str] = field(default_factory=set)


# A checked row: the need it becomes (not yet in the session) and the ids of its chain nodes.
Draft = tuple[Need, list[int]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unescape(str(value).strip())


def _rows(header: list[Any], body: list[tuple[list[Any], set[int]]]) -> list[Row]:
    names = [_text(h) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise FileRejected("the header row lacks required columns",
                           details=[{"row": 1, "column": c, "reason": "缺少此列 (column missing)"} for c in missing])
    rows = []
    for offset, (cells, formula_at) in enumerate(body, start=2):
        values = {n: _text(cells[i]) if i < len(cells) else "" for i, n in enumerate(names) if n in COLUMNS}
        if any(values.values()) or formula_at:
            rows.append(Row(line=offset, values=values, formulas={names[i] for i in formula_at if i < len(names)}))
    if len(rows) > MAX_ROWS:
        raise FileRejected(f"more than {MAX_ROWS} rows", details=[{"row": None, "column": None,
                                                                   "reason": f"at most {MAX_ROWS} rows"}])
    return rows


def read_xlsx(data: bytes, *, max_unpacked: int) -> list[Row]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRejected("file: not a valid xlsx workbook", details=[{"row": None, "column": None,
                                                                        "reason": "not a valid xlsx file"}]) from None
    if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > max_unpacked:
        # Decided from the zip directory alone, before a single byte is inflated.
        raise FileRejected("file: the workbook unpacks to too much data", details=[
            {"row": None, "column": None, "reason": f"uncompressed content over {max_unpacked} bytes"}])
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        ws = wb.worksheets[0]
        raw: list[tuple[list[Any], set[int]]] = []
        for n, cells in enumerate(ws.iter_rows()):
            if n > MAX_ROWS + 1:
                break
            raw.append(([c.value for c in cells],
                        {i for i, c in enumerate(cells) if getattr(c, "data_type", None) == "f"}))
        wb.close()
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of errors on a broken file
        raise FileRejected("file: the workbook cannot be read", details=[{"row": None, "column": None,
                                                                           "reason": "unreadable xlsx"}]) from None
    if not raw:
        raise FileRejected("file: the workbook is empty", details=[{"row": 1, "column": None, "reason": "empty"}])
    return _rows(raw[0][0], raw[1:])


def read_csv(data: bytes) -> list[Row]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRejected("file: not UTF-8 or GB18030 text", details=[{"row": None, "column": None,
                                                                        "reason": "unknown text encoding"}])
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FileRejected(f"file: not valid CSV ({exc})", details=[{"row": None, "column": None,
                                                                     "reason": str(exc)}]) from None
    if not lines:
        raise FileRejected("file: the CSV is empty", details=[{"row": 1, "column": None, "reason": "empty"}])
    # CSV has no formulas: a cell such as =1+1 is text and is kept as text.
    return _rows(list(lines[0]), [(list(line), set()) for line in lines[1:MAX_ROWS + 2]])


def read_file(data: bytes, filename: str, *, max_bytes: int, max_unpacked: int) -> list[Row]:
    if len(data) > max_bytes:
        raise FileTooLarge(f"file over {max_bytes} bytes")
    if not data:
        raise FileRejected("file: empty upload", details=[{"row": None, "column": None, "reason": "empty file"}])
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return read_xlsx(data, max_unpacked=max_unpacked)
    return read_csv(data)


class _Checker:
    def __init__(self, session: Session, rows: list[Row], principal: Principal) -> None:
        repo = CatalogueRepository(session)
        self.principal = principal
        self.errors: list[dict[str, Any]] = []
        self.nodes = repo.nodes_by_name([n for r in rows for n in _split(r.values.get("产业链环节", ""))])
        self.by_code, self.by_name = repo.posters([r.values.get("发布单位", "") for r in rows])

    def err(self, row: Row, column: str, reason: str) -> None:
        self.errors.append({"row": row.line, "column": column, "reason": reason})

    def number(self, row: Row, column: str) -> float | None:
        raw = row.values.get(column, "")
        if not raw:
            return None
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            self.err(row, column, f"不是数字: {raw[:50]}")
            return None
        if not math.isfinite(value) or value < 0 or value > 1e12:
            self.err(row, column, "须为 0 到 1e12 之间的数")
            return None
        return value

    def choice(self, row: Row, column: str, allowed: dict[str, Any]) -> Any:
        raw = row.values.get(column, "")
        if raw not in allowed:
            options = "、".join(k for k in allowed if k and not k.isascii())
            self.err(row, column, f"无法识别 {raw[:50]!r}; 可选: {options}")
            return None
        return allowed[raw]

    def poster(self, row: Row) -> Enterprise | None:
        key = row.values.get("发布单位", "")
        if key == ANONYMOUS:
            self.err(row, "发布单位", "匿名需求须写明发布单位的名称或代码 (是否匿名 = 是 保持匿名)")
            return None
        named = [self.by_code[key]] if key in self.by_code else self.by_name.get(key, [])
        if len(named) != 1:
            self.err(row, "发布单位", f"有多家企业名为 {key}; 请用企业代码" if named else f"未知企业 {key[:50]!r}")
            return None
        if not may_file_for(self.principal, named[0]):
            # The directory is public: naming a known firm one may not file for reveals nothing new.
            self.err(row, "发布单位", f"{key[:50]} 不是您管辖地区内的链主企业, 不能以其名义发布需求")
            return None
        return named[0]

    def check(self, row: Row) -> Draft | None:
        before = len(self.errors)
        v = row.values
        for column in sorted(row.formulas):
            self.err(row, column, "不接受公式 (formulas are not accepted)")
        for column, limit in _LIMITS.items():
            if len(v.get(column, "")) > limit:
                self.err(row, column, f"超过 {limit} 字")
        if not v.get("需求名称"):
            self.err(row, "需求名称", "不能为空")
        kind = self.choice(row, "需求类型", _KINDS)
        scope = self.choice(row, "范围", _SCOPES)
        tier = self.choice(row, "企业等级要求", _TIERS)
        anonymous = self.choice(row, "是否匿名", _BOOLS)
        low, high = self.number(row, "预算下限(万元)"), self.number(row, "预算上限(万元)")
        if low is not None and high is not None and low > high:
            self.err(row, "预算上限(万元)", "不能小于预算下限")
        deadline = None
        if v.get("截止日期"):
            try:
                deadline = date.fromisoformat(v["截止日期"])
            except ValueError:
                self.err(row, "截止日期", "须为 YYYY-MM-DD")
        names = list(dict.fromkeys(_split(v.get("产业链环节", ""))))
        unknown = [n for n in names if n not in self.nodes]
        if unknown:
            self.err(row, "产业链环节", f"未知环节: {'、'.join(unknown[:10])}")
        certs = list(dict.fromkeys(_split(v.get("资质要求", ""))))
        if len(certs) > 50 or any(len(c) > 100 for c in certs):
            self.err(row, "资质要求", "至多 50 项, 每项至多 100 字")
        poster = self.poster(row)
        if len(self.errors) > before or poster is None:
            return None
        need = Need(poster_org_id=poster.id, kind=kind, title=v["需求名称"], description=v.get("需求描述", ""),
                    scope=scope, quantity=v.get("数量") or None, budget_min=low, budget_max=high, deadline=deadline,
                    delivery_region=v.get("交付地区", ""), required_tier=None if tier == "none" else tier,
                    required_certifications=certs, anonymous=bool(anonymous))
        return need, [self.nodes[n] for n in names]


def _split(text: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(text) if p.strip()]


def validate(session: Session, rows: list[Row], principal: Principal) -> list[Draft]:
    if not rows:
        raise FileRejected("file: no data rows", details=[{"row": 2, "column": None, "reason": "no data rows"}])
    checker = _Checker(session, rows, principal)
    drafts = [checker.check(r) for r in rows]
    if checker.errors:
        shown = checker.errors[:MAX_ERRORS]
        raise FileRejected(f"{len(checker.errors)} problem(s) in the file; nothing was imported", details=shown)
    return [d for d in drafts if d is not None]


def write(session: Session, catalogue: Catalogue, drafts: list[Draft], principal: Principal,
          filename: str) -> list[int]:
    now = utcnow()
    needs = [need for need, _ in drafts]
    for need in needs:
        need.created_by, need.catalogue_id, need.created_at, need.updated_at = principal.id, catalogue.id, now, now
    lifecycle.add(session, needs, [node_ids for _, node_ids in drafts])
    for need in needs:
        record(session, principal=principal, action="need.import", entity="need", entity_id=need.id,
               after={"catalogue_id": catalogue.id, "poster_org_id": need.poster_org_id, "title": need.title,
                      "kind": need.kind, "status": "draft"})
    ids = [n.id for n in needs]
    log_event(session, catalogue, principal, "import", detail={"file": filename[:200], "items": len(ids)})
    record(session, principal=principal, action="catalogue.import", entity="catalogue", entity_id=catalogue.id,
           after={"imported": len(ids), "file": filename[:200]})
    session.flush()
    return ids


def import_into(*, session: Session, catalogue: Catalogue, data: bytes, filename: str, principal: Principal,
                max_bytes: int, max_unpacked: int) -> list[int]:
    if catalogue.status != "draft":
        raise Conflict(f"catalogue {catalogue.id} is {catalogue.status}; files are imported into drafts only")
    rows = read_file(data, filename, max_bytes=max_bytes, max_unpacked=max_unpacked)
    return write(session, catalogue, validate(session, rows, principal), principal, filename)
