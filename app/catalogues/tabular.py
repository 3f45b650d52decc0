"""The spreadsheet layout of a catalogue (as a provincial office publishes it), and its export to xlsx or CSV.

Columns, one row per item, in this order:
  序号 · 需求类型 (重点项目合作 / 关键技术攻关 / 大宗物资采购) · 需求名称 · 需求描述 · 产业链环节 (node names, "、") ·
  范围 (本环节 / 含上游配套) · 数量 · 预算下限(万元) · 预算上限(万元) · 截止日期 (YYYY-MM-DD) · 交付地区 ·
  资质要求 (certifications, "、") · 企业等级要求 · 发布单位 · 是否匿名 (是 / 否)
发布单位 is the poster's short name; for an anonymous need it reads 匿名, except in the operators' own export,
which keeps the name (with 是否匿名 = 是) so the file can be imported again.
Cells are cleaned and kept from turning into formulas by app/core/spreadsheet.py (the analytics report
writes through it too).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from app.catalogues.schemas import CatalogueItem
from app.core.spreadsheet import XLSX_MEDIA, Sheet, escape, xlsx
from app.core.vocabulary import NEED_KIND_LABELS, REQUIRED_TIER_LABELS

COLUMNS = ("序号", "需求类型", "需求名称", "需求描述", "产业链环节", "范围", "数量", "预算下限(万元)", "预算上限(万元)",
           "截止日期", "交付地区", "资质要求", "企业等级要求", "发布单位", "是否匿名")
KIND_LABELS = NEED_KIND_LABELS
SCOPE_LABELS = {"node": "本环节", "upstream": "含上游配套"}
TIER_LABELS = REQUIRED_TIER_LABELS
YES, NO = "是", "否"
ANONYMOUS = "匿名"
JOIN = "、"
CSV_MEDIA = "text/csv; charset=utf-8"


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
    return xlsx([Sheet("供需目录", COLUMNS, rows, whole_numbers=("A",))], title=title)


def export(*, items: Sequence[CatalogueItem], fmt: str, title: str) -> tuple[bytes, str]:
    rows = rows_of(items)
    if fmt == "csv":
        return to_csv(rows), CSV_MEDIA
    return to_xlsx(rows, title=title), XLSX_MEDIA
