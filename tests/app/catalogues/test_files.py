"""Catalogue spreadsheets: export layout and escaping, all-or-nothing import, hostile files, round trip."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.background import job_registry
from app.catalogues.tabular import COLUMNS
from app.jobs.runner import run_once
from app.models import Enterprise, Need
from tests.app.catalogues.helpers import create_chain, create_need
from tests.app.conftest import Tokens

URL = "/api/v1/catalogues"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def draft(client: TestClient, tokens: Tokens, small: Session, period: str = "2026Q4") -> str:
    cat = client.post(URL, json={"chain": create_chain(small).code, "period": period, "title": "供需目录"},
                      headers=tokens.header("operator")).json()
    return f"{URL}/{cat['id']}"


def filled(client: TestClient, tokens: Tokens, small: Session) -> str:
    base = draft(client, tokens, small)
    # Only chain-leader firms post needs, so the second poster is one too (its rows must import again).
    second = small.scalar(select(Enterprise).where(Enterprise.code == "100001"))
    assert second is not None
    second.kind = "leader"
    needs = [
        create_need(small, title="=HYPERLINK(\"http://evil\")", description="-2+3 cmd", nodes=("碳酸锂", "氢氧化锂"),
                    quantity="500吨", budget_min=120.0, budget_max=300.5, deadline=date(2026, 12, 31),
                    delivery_region="山东省/济南市", required_tier="provincial",
                    required_certifications=["ISO9001", "IATF16949"]),
        create_need(small, title="电解液联合研发", kind="technology", nodes=("电解液",), scope="upstream",
                    anonymous=True),
        create_need(small, poster="100001", title="隔膜合作", kind="cooperation", nodes=("隔膜",), status="published"),
    ]
    for n in needs:
        assert client.post(f"{base}/items", json={"need": n.id}, headers=tokens.header("operator")).status_code == 201
    return base


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def upload(client: TestClient, tokens: Tokens, base: str, name: str, content: bytes, role: str = "operator"):  # type: ignore[no-untyped-def]
    media = XLSX if name.endswith(".xlsx") else "text/csv"
    return client.post(f"{base}/import", files={"file": (name, content, media)}, headers=tokens.header(role))


def test_export_layout_and_formula_escaping(client: TestClient, tokens: Tokens, small: Session,
                                            session_factory: sessionmaker[Session]) -> None:
    base = filled(client, tokens, small)
    got = client.get(f"{base}/export", params={"format": "csv"}, headers=tokens.header("operator"))
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = csv_rows(got.content)
    assert tuple(rows[0]) == COLUMNS
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["需求名称"] == "'=HYPERLINK(\"http://evil\")" and first["需求描述"] == "'-2+3 cmd"
    assert first["产业链环节"] == "氢氧化锂、碳酸锂" and first["预算下限(万元)"] == "120"
    assert first["企业等级要求"] == "省级专精特新" and first["资质要求"] == "ISO9001、IATF16949"
    assert first["发布单位"] == "比亚汽车" and first["截止日期"] == "2026-12-31"
    second = dict(zip(COLUMNS, rows[2], strict=True))
    assert second["需求类型"] == "关键技术攻关" and second["范围"] == "含上游配套" and second["是否匿名"] == "是"
    assert second["发布单位"] == "比亚汽车"  # operators' own file keeps the poster (so it can be imported)
    book = client.get(f"{base}/export", headers=tokens.header("admin"))
    assert book.headers["content-type"] == XLSX
    sheet = xlsx_rows(book.content)
    assert tuple(sheet[0]) == COLUMNS and sheet[1][2] == "'=HYPERLINK(\"http://evil\")"
    cells = load_workbook(io.BytesIO(book.content)).worksheets[0]
    assert all(c.data_type != "f" for row in cells.iter_rows() for c in row)  # nothing a spreadsheet would run
    assert client.get(f"{base}/export", params={"format": "pdf"}, headers=tokens.header("admin")).status_code == 422
    # Published: the public file hides the anonymous poster.
    client.post(f"{base}/submit", headers=tokens.header("operator"))
    client.post(f"{base}/publish", headers=tokens.header("operator"))
    assert run_once(session_factory, job_registry(), index=client.app.state.index) == 1  # type: ignore[attr-defined]
    public = csv_rows(client.get(f"{base}/export?format=csv", headers=tokens.header("sme")).content)
    assert public[2][COLUMNS.index("发布单位")] == "匿名" and public[1][COLUMNS.index("发布单位")] == "比亚汽车"


def test_export_then_import_gives_the_same_catalogue(client: TestClient, tokens: Tokens, small: Session) -> None:
    base = filled(client, tokens, small)
    for fmt in ("xlsx", "csv"):
        first = client.get(f"{base}/export", params={"format": fmt}, headers=tokens.header("operator")).content
        copy = draft(client, tokens, small, period="2027Q1" if fmt == "xlsx" else "2027Q2")
        done = upload(client, tokens, copy, f"目录.{fmt}", first)
        assert done.status_code == 201, done.text
        assert done.json()["imported"] == 3
        again = client.get(f"{copy}/export", params={"format": fmt}, headers=tokens.header("operator")).content
        read = xlsx_rows if fmt == "xlsx" else csv_rows
        assert read(again) == read(first)
        new = [small.get(Need, i) for i in done.json()["need_ids"]]
        assert all(n is not None and n.status == "draft" for n in new)
    history = client.get(f"{copy}/history", headers=tokens.header("operator")).json()
    assert history[-1]["action"] == "import" and history[-1]["detail"]["items"] == 3


def test_import_reports_every_error_and_writes_nothing(client: TestClient, tokens: Tokens, small: Session) -> None:
    base = draft(client, tokens, small)
    rows = [COLUMNS,
            ("1", "大宗物资采购", "采购碳酸锂", "", "碳酸锂", "本环节", "", "10", "20", "2026-10-01", "", "", "不限",
             "100006", "否"),
            ("2", "买东西", "", "", "不存在的环节", "", "", "-1", "abc", "明天", "", "", "金牌", "匿名", "也许"),
            ("3", "重点项目合作", "合作", "", "", "", "", "50", "10", "", "", "", "", "不存在公司", "")]
    content = "\n".join(",".join(r) for r in rows).encode()
    before = small.scalar(select(func.count()).select_from(Need))
    resp = upload(client, tokens, base, "bad.csv", content)
    assert resp.status_code == 422, resp.text
    found = {(d["row"], d["column"]) for d in resp.json()["error"]["details"]}
    assert {(3, "需求类型"), (3, "需求名称"), (3, "产业链环节"), (3, "预算下限(万元)"), (3, "预算上限(万元)"),
            (3, "截止日期"), (3, "企业等级要求"), (3, "发布单位"), (3, "是否匿名"), (4, "预算上限(万元)"),
            (4, "发布单位")} <= found
    assert not any(row == 2 for row, _ in found)
    assert small.scalar(select(func.count()).select_from(Need)) == before
    missing = upload(client, tokens, base, "x.csv", "序号,需求名称\n1,a\n".encode())
    assert missing.status_code == 422 and "发布单位" in missing.text
    assert upload(client, tokens, base, "e.csv", b"").status_code == 422
    assert upload(client, tokens, base, "junk.xlsx", b"PK\x03\x04 not really").status_code == 422
    assert upload(client, tokens, base, "gb.csv", "\n".join(",".join(r) for r in rows[:2]).encode("gb18030")
                  ).status_code == 201
    for role in ("leader", "sme"):
        assert upload(client, tokens, base, "a.csv", content, role=role).status_code == 403


def test_xlsx_formulas_are_refused_not_evaluated(client: TestClient, tokens: Tokens, small: Session) -> None:
    base = draft(client, tokens, small)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(COLUMNS))
    ws.append([1, "大宗物资采购", "=1+1", "", "碳酸锂", "", "", "=WEBSERVICE(\"http://x\")", 5, "", "", "", "",
               "100006", "否"])
    out = io.BytesIO()
    wb.save(out)
    resp = upload(client, tokens, base, "f.xlsx", out.getvalue())
    assert resp.status_code == 422
    cols = {d["column"] for d in resp.json()["error"]["details"]}
    assert {"需求名称", "预算下限(万元)"} <= cols


def test_oversized_files_and_zip_bombs_are_refused(client: TestClient, tokens: Tokens, small: Session) -> None:
    base = draft(client, tokens, small)
    settings = client.app.state.settings  # type: ignore[attr-defined]
    settings.import_max_bytes, settings.import_max_unpacked_bytes = 4000, 200_000
    assert upload(client, tokens, base, "big.csv", b"a" * 5000).status_code == 413
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 1_000_000)
    assert len(bomb.getvalue()) < 4000
    resp = upload(client, tokens, base, "bomb.xlsx", bomb.getvalue())
    assert resp.status_code == 422 and "uncompressed" in resp.text
    # Only drafts take files.
    client.post(f"{base}/submit", headers=tokens.header("operator"))
    assert upload(client, tokens, base, "a.csv", b"x").status_code == 409


def test_control_characters_do_not_break_the_xlsx_export(client: TestClient, tokens: Tokens, small: Session) -> None:
    # Found by bench/fuzz.py: a title with control characters made openpyxl refuse the workbook (a 500).
    base = draft(client, tokens, small)
    need = create_need(small, title="采购\x07碳酸锂\x1b", description="换行\n可以，响铃\x07不行")
    assert client.post(f"{base}/items", json={"need": need.id}, headers=tokens.header("operator")).status_code == 201
    resp = client.get(f"{base}/export", params={"format": "xlsx"}, headers=tokens.header("operator"))
    assert resp.status_code == 200
    rows = xlsx_rows(resp.content)
    assert rows[1][COLUMNS.index("需求名称")] == "采购碳酸锂"
