"""Each participant's agenda (JSON, an RFC 5545 calendar, the printable page's data) and the organiser's table plan
and meeting list (xlsx)."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from app.core.spreadsheet import clean, escape
from app.core.vocabulary import MEETING_OUTCOME_LABELS, MEETING_STATUS_LABELS
from app.events.participants import firm_ref
from app.events.repository import EventRepository
from app.events.schemas import Agenda, AgendaItem
from app.models import Event, EventParticipant
from app.models._types import utcnow

TZID = "Asia/Shanghai"  # slots are local times at the venue (China Standard Time, no daylight saving)
_VTIMEZONE = ["BEGIN:VTIMEZONE", f"TZID:{TZID}", "BEGIN:STANDARD", "DTSTART:19700101T000000",
              "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE"]


def agenda(session: Session, event: Event, participant: EventParticipant) -> Agenda:
    repo = EventRepository(session)
    meetings = repo.meetings(event.id, participant.id)
    people = {p.id: p for p in repo.participants(event.id)}
    firms = repo.firms([p.enterprise_id for p in people.values()])
    items = []
    for m in meetings:
        other = people[m.b_id if m.a_id == participant.id else m.a_id]
        start, end = event.slots[m.slot]
        items.append(AgendaItem(meeting_id=m.id, slot=m.slot, start=start, end=end, table=m.table_no + 1,
                                counterpart=firm_ref(firms[other.enterprise_id]),
                                representatives=list(other.representatives or []),
                                status=m.status, outcome=m.outcome))  # type: ignore[arg-type]
    return Agenda(event_id=event.id, title=event.title, venue=event.venue, participant_id=participant.id,
                  enterprise=firm_ref(firms[participant.enterprise_id]), items=items)


def _text(value: str) -> str:
    """RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks escaped."""
    return (clean(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """§3.1: lines longer than 75 octets are folded (CRLF and a space), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    for ch in line:
        limit = 75 if not out else 74
        if len((current + ch).encode()) > limit:
            out.append(current)
            current = ch
        else:
            current += ch
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def _local(stamp: str) -> str:
    return datetime.fromisoformat(stamp).strftime("%Y%m%dT%H%M%S")


def to_ics(a: Agenda) -> bytes:
    now = utcnow().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//chainmatch//events//ZH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_text(a.title)}", *_VTIMEZONE]
    for item in a.items:
        if item.status == "cancelled":
            continue
        who = "、".join(item.representatives)
        lines += ["BEGIN:VEVENT", f"UID:event{a.event_id}-meeting{item.meeting_id}@chainmatch", f"DTSTAMP:{now}",
                  f"DTSTART;TZID={TZID}:{_local(item.start)}", f"DTEND;TZID={TZID}:{_local(item.end)}",
                  f"SUMMARY:{_text(f'供需对接：{item.counterpart.name}')}",
                  f"LOCATION:{_text(f'{a.venue} 第{item.table}桌'.strip())}",
                  f"DESCRIPTION:{_text(f'{a.title}，第{item.table}桌，对方代表：{who or item.counterpart.name}')}",
                  "STATUS:CONFIRMED", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(part for line in lines for part in _fold(line)) + "\r\n").encode()


PLAN_COLUMNS = ("时段", "开始", "结束", "桌号", "企业甲", "代表甲", "企业乙", "代表乙", "来源", "状态", "结果", "备注")
SOURCE_LABELS = {"accepted": "双方确认", "must": "必须见面", "suggestion": "系统推荐", "walk_in": "现场补位",
                 "manual": "人工安排"}


def table_plan(session: Session, event: Event) -> bytes:
    repo = EventRepository(session)
    people = {p.id: p for p in repo.participants(event.id)}
    firms = repo.firms([p.enterprise_id for p in people.values()])
    wb = Workbook()
    plan = wb.active
    assert plan is not None
    plan.title = "桌位表"
    plan.append(["时段 \\ 桌号", *[f"第{t + 1}桌" for t in range(event.tables)]])
    meetings = repo.meetings(event.id)
    grid: dict[tuple[int, int], str] = {}
    for m in meetings:
        grid[(m.slot, m.table_no)] = (f"{firms[people[m.a_id].enterprise_id].name} × "
                                      f"{firms[people[m.b_id].enterprise_id].name}")
    for s, (start, end) in enumerate(event.slots):
        plan.append([f"{start[5:16]}–{end[11:16]}", *[escape(grid.get((s, t), "")) for t in range(event.tables)]])
    listing = wb.create_sheet("会谈清单")
    listing.append(list(PLAN_COLUMNS))
    for m in meetings:
        a, b = people[m.a_id], people[m.b_id]
        start, end = event.slots[m.slot]
        listing.append([m.slot + 1, start, end, m.table_no + 1, escape(firms[a.enterprise_id].name),
                        escape("、".join(a.representatives or [])), escape(firms[b.enterprise_id].name),
                        escape("、".join(b.representatives or [])), SOURCE_LABELS.get(m.source, m.source),
                        MEETING_STATUS_LABELS.get(m.status, m.status),
                        MEETING_OUTCOME_LABELS.get(m.outcome or "", ""), escape(m.notes)])
    for sheet in (plan, listing):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
    wb.properties.title = clean(event.title)[:200]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
