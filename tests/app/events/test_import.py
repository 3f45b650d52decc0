"""Registering participants from a file: all rows or none, each bad row named with its column and reason."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import EventParticipant
from tests.app.conftest import Tokens
from tests.app.events.helpers import URL, make_event

HEADER = "企业代码,参会代表,可参会时段,会谈上限,洽谈内容,外部编号\r\n"


def _upload(client: TestClient, tokens: Tokens, event_id: int, name: str, data: bytes, role: str = "operator"):  # type: ignore[no-untyped-def]
    return client.post(f"{URL}/{event_id}/participants/import", headers=tokens.header(role),
                       files={"file": (name, data)})


def test_csv_registers_every_row(client: TestClient, tokens: Tokens, small: Session) -> None:
    event = make_event(small, status="open")
    small.commit()
    body = HEADER + "100006,王经理、李工,1、3,2,采购碳酸锂,ext-1\r\n100002,,,,供应碳酸锂,\r\n"
    resp = _upload(client, tokens, event.id, "p.csv", body.encode("utf-8-sig"))
    assert resp.status_code == 201, resp.text
    rows = {p["enterprise"]["code"]: p for p in resp.json()}
    assert rows["100006"]["representatives"] == ["王经理", "李工"] and rows["100006"]["available"] == [0, 2]
    assert rows["100006"]["cap"] == 2 and rows["100006"]["external_id"] == "ext-1"
    assert rows["100002"]["available"] == [0, 1, 2] and rows["100002"]["cap"] == 3
    assert _upload(client, tokens, event.id, "p.csv", body.encode(), role="sme").status_code == 403


def test_a_bad_row_imports_nothing(client: TestClient, tokens: Tokens, small: Session) -> None:
    event = make_event(small, status="open")
    small.commit()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业代码", "可参会时段", "会谈上限"])
    ws.append(["100006", "1", "2"])
    ws.append(["999999", "9", "x"])
    ws.append(["100006", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    resp = _upload(client, tokens, event.id, "p.xlsx", buf.getvalue())
    assert resp.status_code == 422, resp.text
    details = {(d["row"], d["column"]) for d in resp.json()["error"]["details"]}
    assert details == {(3, "可参会时段"), (3, "会谈上限"), (4, "企业代码")}
    small.expire_all()
    assert small.scalars(select(EventParticipant).where(EventParticipant.event_id == event.id)).first() is None
    missing = _upload(client, tokens, event.id, "p.csv", "参会代表\r\n张三\r\n".encode())
    assert missing.status_code == 422 and missing.json()["error"]["details"][0]["column"] == "企业代码"
