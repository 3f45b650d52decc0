"""Writing spreadsheets people open in Excel or WPS: cells cleaned and kept from turning into formulas.

Every text cell is first cleaned of control and invisible format characters (zero-width spaces, the BOM, bidi
marks) and of leading whitespace; a cell that then starts as a spreadsheet formula would (= + - @, their
full-width forms, tab, CR) gets a leading single quote. Cleaning comes first, so "\\u0001=HYPERLINK(...)" or
"\\u200b =1+1" cannot slip past the check and turn into a live formula once the invisible part is dropped.
Catalogue exports and the analytics report both write through :func:`xlsx`.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and ＝ ＋ － ＠
# Line breaks and tabs inside a description are content; every other control or format character is not.
_KEPT_CONTROLS = frozenset("\t\n\r")
_DROPPED_CATEGORIES = frozenset(("Cc", "Cf", "Cs"))
# Not characters at all, and not allowed in the XML inside an xlsx.
_NONCHARACTERS = frozenset("\ufffe\uffff")
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


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a bold, frozen header row, then the rows; ``whole_numbers`` are column letters shown as
    integers (e.g. a 序号 column)."""

    name: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    whole_numbers: tuple[str, ...] = ()


def xlsx(sheets: Sequence[Sheet], *, title: str) -> bytes:
    """An xlsx file of ``sheets`` in order, every cell passed through :func:`escape`."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for sheet in sheets:
        ws = wb.create_sheet(clean(sheet.name)[:31])
        ws.append([escape(c) for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([escape(v) for v in row])
        for letter in sheet.whole_numbers:
            for cell in ws[letter][1:]:
                cell.number_format = "0"
        ws.freeze_panes = "A2"
    wb.properties.title = clean(title)[:200]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
