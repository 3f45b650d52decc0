"""Formula injection in catalogue exports: invisible characters cannot hide a formula from the check (issue #8)."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from app.catalogues.tabular import COLUMNS, to_csv, to_xlsx
from tests.app.catalogues.helpers import create_chain, create_need
from tests.app.conftest import Tokens

URL = "/api/v1/catalogues"
# What Excel, LibreOffice or WPS may take as the start of a formula, full-width forms included.
FORMULA_CHARS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
# Each hides a formula behind something a cleaner drops or a spreadsheet skips.
HOSTILE = [
    "\u0001=HYPERLINK(\"http://evil.example\",\"点此\")",   # the issue's case: dropped after the old check
    "\u200b=1+1",                                            # zero-width space
    "\ufeff@SUM(A1:A9)",                                     # byte-order mark
    " =cmd|' /C calc'!A0",                                   # leading space, DDE
    "\u3000+1+1",                                            # ideographic space
    "\u00a0-2+3",                                            # no-break space
    "\t=1",
    "\r\n=1",
    "\u202e\u2066=1",                                        # bidi override and isolate
    "\uff1dHYPERLINK(\"http://evil.example\")",              # full-width equals sign
    "\u001f\u200d\uff20A1",
]


def _visible_start(text: str) -> str:
    """The first character a person or a spreadsheet would see (independent of the code under test)."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t\r":
            continue
        if ch.isspace() and ch not in "\t\r":
            continue
        return ch
    return ""


@pytest.fixture()
def hostile_catalogue(client: TestClient, tokens: Tokens, small: Session) -> str:
    cat = client.post(URL, json={"chain": create_chain(small).code, "period": "2026Q4",
                                 "title": "\u0001=目录"}, headers=tokens.header("operator")).json()
    base = f"{URL}/{cat['id']}"
    for i, text in enumerate(HOSTILE):
        need = create_need(small, title=text, description=text, quantity=text, delivery_region=text,
                           required_certifications=[text])
        resp = client.post(f"{base}/items", json={"need": need.id}, headers=tokens.header("operator"))
        assert resp.status_code == 201, (i, resp.text)
    return base


def test_xlsx_export_has_no_formula_whatever_hides_it(client: TestClient, tokens: Tokens,
                                                      hostile_catalogue: str) -> None:
    got = client.get(f"{hostile_catalogue}/export", params={"format": "xlsx"}, headers=tokens.header("operator"))
    assert got.status_code == 200
    book = load_workbook(io.BytesIO(got.content))
    sheet = book.worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert len(cells) == len(HOSTILE) * len(COLUMNS)
    assert [c for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert [t for t in texts if t and t[0] in FORMULA_CHARS] == []
    assert [t for t in texts if _visible_start(t) in FORMULA_CHARS and t] == []
    titles = [row[COLUMNS.index("需求名称")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles[0] == "'=HYPERLINK(\"http://evil.example\",\"点此\")"  # neutralised, not lost
    assert titles[9] == "'\uff1dHYPERLINK(\"http://evil.example\")"
    assert book.properties.title == "=目录"  # a document property, never evaluated; cleaned so the file opens


def test_csv_export_has_no_formula_whatever_hides_it(client: TestClient, tokens: Tokens,
                                                     hostile_catalogue: str) -> None:
    got = client.get(f"{hostile_catalogue}/export", params={"format": "csv"}, headers=tokens.header("operator"))
    assert got.status_code == 200
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"), newline="")))[1:]
    assert len(rows) == len(HOSTILE)
    cells = [cell for row in rows for cell in row]
    assert [c for c in cells if c and c[0] in FORMULA_CHARS] == []
    assert [c for c in cells if c and _visible_start(c) in FORMULA_CHARS] == []
    assert rows[0][COLUMNS.index("需求名称")] == "'=HYPERLINK(\"http://evil.example\",\"点此\")"
    assert rows[3][COLUMNS.index("需求描述")] == "'=cmd|' /C calc'!A0"


def test_cleaned_exports_import_back_to_the_visible_text(client: TestClient, tokens: Tokens, small: Session,
                                                         hostile_catalogue: str) -> None:
    exported = client.get(f"{hostile_catalogue}/export", params={"format": "xlsx"},
                          headers=tokens.header("operator")).content
    copy = client.post(URL, json={"chain": create_chain(small).code, "period": "2027Q1", "title": "副本"},
                       headers=tokens.header("operator")).json()
    done = client.post(f"{URL}/{copy['id']}/import", headers=tokens.header("operator"),
                       files={"file": ("目录.xlsx", exported, "application/octet-stream")})
    assert done.status_code == 201, done.text
    assert done.json()["imported"] == len(HOSTILE)
    items = client.get(f"{URL}/{copy['id']}", headers=tokens.header("operator")).json()["items"]
    # The formula text comes back as the text a person saw, without the invisible part, and stays inert.
    assert items[0]["title"] == "=HYPERLINK(\"http://evil.example\",\"点此\")"
    assert items[1]["title"] == "=1+1"


def test_the_issues_case_is_no_live_formula() -> None:
    """Issue #8: the control character used to be dropped after the check, leaving a live =HYPERLINK formula."""
    row = [1, "\u0001=HYPERLINK(\"http://evil.example\",\"点此\")"] + [""] * (len(COLUMNS) - 2)
    sheet = load_workbook(io.BytesIO(to_xlsx([row], title="目录"))).worksheets[0]
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value == "'=HYPERLINK(\"http://evil.example\",\"点此\")"
    [_, got] = list(csv.reader(io.StringIO(to_csv([row]).decode("utf-8-sig"))))
    assert got[1] == "'=HYPERLINK(\"http://evil.example\",\"点此\")"
