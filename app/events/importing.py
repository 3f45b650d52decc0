"""Register participants from an xlsx or CSV file, all or nothing (row errors as the catalogue import gives them).

Columns: 企业代码 (required: the firm's code or id) · 参会代表 ("、"-separated names) · 可参会时段 (slot numbers from 1,
"、" or "," separated; empty = every slot) · 会谈上限 (empty = the event's cap) · 洽谈内容 · 外部编号 (a platform id).
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from app.access import events as policy
from app.catalogues.importing import FileRejected, Layout, Row, read_file
from app.core.errors import AppError
from app.events import participants as parts
from app.events.repository import EventRepository
from app.events.schemas import ParticipantIn
from app.models import Event, EventParticipant, Principal

COLUMNS = ("企业代码", "参会代表", "可参会时段", "会谈上限", "洽谈内容", "外部编号")
LAYOUT: Layout = (COLUMNS, ("企业代码",))
_SPLIT = re.compile(r"[、,，;；\s]+")


def _row(event: Event, row: Row, errors: list[dict[str, object]]) -> tuple[ParticipantIn, str | None] | None:
    v = row.values

    def bad(column: str, reason: str) -> None:
        errors.append({"row": row.line, "column": column, "reason": reason})

    if row.formulas:
        bad(sorted(row.formulas)[0], "公式不被接受 (formulas are not accepted)")
    code = v.get("企业代码", "")
    if not code:
        bad("企业代码", "必填 (required)")
    slots = None
    if v.get("可参会时段"):
        parts_ = [p for p in _SPLIT.split(v["可参会时段"]) if p]
        if not all(p.isdigit() and 1 <= int(p) <= len(event.slots) for p in parts_):
            bad("可参会时段", f"时段编号应为 1–{len(event.slots)} (slot numbers 1–{len(event.slots)})")
        else:
            slots = [int(p) - 1 for p in parts_]
    cap = None
    if v.get("会谈上限"):
        if not v["会谈上限"].isdigit() or not 1 <= int(v["会谈上限"]) <= 200:
            bad("会谈上限", "应为 1–200 的整数 (an integer 1–200)")
        else:
            cap = int(v["会谈上限"])
    if len(v.get("洽谈内容", "")) > 2000:
        bad("洽谈内容", "不超过 2000 字 (at most 2,000 characters)")
    external = v.get("外部编号") or None
    if external is not None and len(external) > 64:
        bad("外部编号", "不超过 64 个字符 (at most 64 characters)")
    reps = [r for r in _SPLIT.split(v.get("参会代表", "")) if r][:10]
    if errors and errors[-1]["row"] == row.line:
        return None
    return ParticipantIn(enterprise=code, representatives=reps, available=slots, cap=cap,
                         topics=v.get("洽谈内容", "")), external


def import_participants(*, session: Session, event: Event, data: bytes, filename: str, principal: Principal,
                        max_bytes: int, max_unpacked: int) -> list[EventParticipant]:
    policy.require_runner(principal, event)
    rows = read_file(data, filename, max_bytes=max_bytes, max_unpacked=max_unpacked, layout=LAYOUT)
    if not rows:
        raise FileRejected("file: no data rows", details=[{"row": 2, "column": None, "reason": "no data rows"}])
    errors: list[dict[str, object]] = []
    parsed = [(row, _row(event, row, errors)) for row in rows]
    repo = EventRepository(session)
    seen: set[str] = set()
    for row, got in parsed:
        if got is None:
            continue
        key = got[0].enterprise or ""
        firm = repo.firm_by_key(key)
        if firm is None:
            errors.append({"row": row.line, "column": "企业代码", "reason": f"未找到企业 {key} (unknown firm)"})
        elif key in seen or repo.participant_of(event.id, firm.id) is not None:
            errors.append({"row": row.line, "column": "企业代码", "reason": "该企业已报名 (registered already)"})
        seen.add(key)
    if errors:
        raise FileRejected(f"{len(errors)} problem(s) in the file; nothing was imported", details=errors[:50])
    made = []
    try:
        for _, got in parsed:
            assert got is not None
            made.append(parts.register(session=session, event=event, data=got[0], principal=principal,
                                       external_id=got[1]))
    except AppError as exc:
        # A rule the row checks did not foresee: the request's transaction is rolled back whole.
        raise FileRejected(f"nothing was imported: {exc.message}", details=[{"row": None, "column": None,
                                                                              "reason": exc.message}]) from None
    return made
