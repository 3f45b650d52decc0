"""The spreadsheet layout of a catalogue (as a provincial office publishes it), and its export to xlsx or CSV.

Columns, one row per item, in this order:
  序号 · 需求类型 (重点项目合作 / 关键技术攻关 / 大宗物资采购) · 需求名称 · 需求描述 · 产业链环节 (node names, "、") ·
  范围 (本环节 / 含上游配套) · 数量 · 预算下限(万元) · 预算上限(万元) · 截止日期 (YYYY-MM-DD) · 交付地区 ·
  资质要求 (certifications, "、") · 企业等级要求 · 发布单位 · 是否匿名 (是 / 否)
发布单位 is the poster's short name; for an anonymous need it reads 匿名, except in the operators' own export,
which keeps the name (with 是否匿名 = 是) so the file can be imported again.
Text cells that a spreadsheet would run as a formula (starting with = + - @) get a leading single quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from app.catalogues.schemas import CatalogueItem

COLUMNS = ("序号", "需求类型", "需求名称", "需求描述", "产业链环节", "范围", "数量", "预算下限(万元)", "预算上限(万元)",
           "截止日期", "交付地区", "资质要求", "企业等级要求", "发布单位", "是否匿名")
KIND_LABELS = {"cooperation": "重点项目合作", "technology": "关键技术攻关", "procurement": "大宗物资采购"}
SCOPE_LABELS = {"node": "本环节", "upstream": "含上游配套"}
TIER_LABELS = {"none": "不限", "innovative": "创新型中小企业", "provincial": "省级专精特新",
               "little_giant": "国家级专精特新\u201c小巨人\u201d"}
YES, NO = "是", "否"
ANONYMOUS = "匿名"
JOIN = "、"
FORMULA_STARTS = ("=", "+", "-", "@")
CSV_MEDIA = "text/csv; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape(value: Any) -> Any:
    """Neutralise formula injection: a text cell starting with = + - @ is prefixed with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _xlsx_safe(value: Any) -> Any:
    # Control characters are legal in our text fields but not in an xlsx cell: drop them from the export.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def unescape(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def _number(v: float | None) -> float | int | None:
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def row_of(seq: int, item: CatalogueItem, poster_name: str | None) -> list[Any]:
    return [
        seq, KIND_LABELS.get(item.kind, item.kind), item.title, item.description,
        JOIN.join(n.name for n in item.nodes), SCOPE_LABELS.get(item.scope, item.scope), item.quantity or "",
        _number(item.budget_min), _number(item.budget_max), item.deadline.isoformat() if item.deadline else "",
        item.delivery_region, JOIN.join(item.required_certifications),
        TIER_LABELS.get(item.required_tier or "none", item.required_tier or ""),
        poster_name if poster_name is not None else ANONYMOUS, YES if item.anonymous else NO,
    ]


def rows_of(items: Sequence[CatalogueItem]) -> list[list[Any]]:
    return [row_of(i, item, item.poster.name if item.poster else None) for i, item in enumerate(items, start=1)]


def to_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else escape(v) for v in row])
    # A BOM so that Excel opens the Chinese text as UTF-8.
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Sequence[Sequence[Any]], *, title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "供需目录"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_xlsx_safe(escape(v)) for v in row])
    for cell in ws["A"][1:]:
        cell.number_format = "0"
    ws.freeze_panes = "A2"
    wb.properties.title = title[:200]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export(*, items: Sequence[CatalogueItem], fmt: str, title: str) -> tuple[bytes, str]:
    rows = rows_of(items)
    if fmt == "csv":
        return to_csv(rows), CSV_MEDIA
    return to_xlsx(rows, title=title), XLSX_MEDIA
