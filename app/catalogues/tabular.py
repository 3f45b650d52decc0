"""The spreadsheet layout of a catalogue (as a provincial office publishes it), and its export to xlsx or CSV.

Columns, one row per item, in this order:
  序号 · 需求类型 (重点项目合作 / 关键技术攻关 / 大宗物资采购) · 需求名称 · 需求描述 · 产业链环节 (node names, "、") ·
  范围 (本环节 / 含上游配套) · 数量 · 预算下限(万元) · 预算上限(万元) · 截止日期 (YYYY-MM-DD) · 交付地区 ·
  资质要求 (certifications, "、") · 企业等级要求 · 发布单位 · 是否匿名 (是 / 否)
发布单位 is the poster's short name; for an anonymous need it reads 匿名, except in the operators' own export,
which keeps the name (with 是否匿名 = 是) so the file can be imported again.
Every text cell is first cleaned of control and invisible format characters (zero-width spaces, the BOM, bidi
marks) and of leading whitespace; a cell that then starts as a spreadsheet formula would (= + - @, their
full-width forms, tab, CR) gets a leading single quote. Cleaning comes first, so "\u0001=HYPERLINK(...)" or
"\u200b =1+1" cannot slip past the check and turn into a live formula once the invisible part is dropped.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from app.catalogues.schemas import CatalogueItem
from app.core.vocabulary import NEED_KIND_LABELS, REQUIRED_TIER_LABELS

COLUMNS = ("序号", "需求类型", "需求名称", "需求描述", "产业链环节", "范围", "数量", "预算下限(万元)", "预算上限(万元)",
           "截止日期", "交付地区", "资质要求", "企业等级要求", "发布单位", "是否匿名")
KIND_LABELS = NEED_KIND_LABELS
SCOPE_LABELS = {"node": "本环节", "upstream": "含上游配套"}
TIER_LABELS = REQUIRED_TIER_LABELS
YES, NO = "是", "否"
ANONYMOUS = "匿名"
JOIN = "、"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and ＝ ＋ － ＠
# Line breaks and tabs inside a description are content; every other control or format character is not.
_KEPT_CONTROLS = frozenset("\t\n\r")
_DROPPED_CATEGORIES = frozenset(("Cc", "Cf", "Cs"))
# Not characters at all, and not allowed in the XML inside an xlsx.
_NONCHARACTERS = frozenset("\ufffe\uffff")
CSV_MEDIA = "text/csv; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def clean(text: str) -> str:
    """The text as a spreadsheet shows it: no control or invisible format characters, no leading whitespace."""
    if not text.isprintable():  # the common case, plain text, skips the slow walk (isprintable is C code)
        text = "".join(ch for ch in text if ch in _KEPT_CONTROLS or (
            unicodedata.category(ch) not in _DROPPED_CATEGORIES and ch not in _NONCHARACTERS))
    return text.lstrip()


def escape(value: Any) -> Any:
    """A cell value safe to hand to a spreadsheet: text is cleaned, then quoted if it would start a formula."""
    if not isinstance(value, str):
        return value
    text = clean(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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
        ws.append([escape(v) for v in row])
    for cell in ws["A"][1:]:
        cell.number_format = "0"
    ws.freeze_panes = "A2"
    wb.properties.title = clean(title)[:200]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export(*, items: Sequence[CatalogueItem], fmt: str, title: str) -> tuple[bytes, str]:
    rows = rows_of(items)
    if fmt == "csv":
        return to_csv(rows), CSV_MEDIA
    return to_xlsx(rows, title=title), XLSX_MEDIA
