"""The cells every workbook here is made of: fixed styles hashed once, and writers that never make a
formula of text (`put_text`, from tptto_monitor.lib.cells), write whole numbers as integers and
achievements as Excel percentages.
Every workbook the project writes goes through these; they know no app."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from tptto_monitor.lib.cells import put_text  # noqa: F401 (the text cell writer, shared with every export)

PERCENT = "0.0%"
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
NAVY = "0B3D62"


class _Fixed:
    """A style this module never changes, hashed once: openpyxl hashes a style (and every part of it) each
    time it is assigned to a cell, which was a third of the time a workbook took to build."""

    def __hash__(self) -> int:
        cached = self.__dict__.get("_fixed_hash")
        if cached is None:
            cached = self.__dict__["_fixed_hash"] = super().__hash__()
        return cached


class _Font(_Fixed, Font):
    # openpyxl lists what to write from the descriptors of the class itself: take the parent's lists
    __attrs__, __elements__, __nested__ = Font.__attrs__, Font.__elements__, Font.__nested__


class _Fill(_Fixed, PatternFill):
    # openpyxl lists what to write from the descriptors of the class itself: take the parent's lists
    __attrs__, __elements__, __nested__ = PatternFill.__attrs__, PatternFill.__elements__, PatternFill.__nested__


class _Border(_Fixed, Border):
    # openpyxl lists what to write from the descriptors of the class itself: take the parent's lists
    __attrs__, __elements__, __nested__ = Border.__attrs__, Border.__elements__, Border.__nested__


class _Alignment(_Fixed, Alignment):
    # openpyxl lists what to write from the descriptors of the class itself: take the parent's lists
    __attrs__, __elements__, __nested__ = Alignment.__attrs__, Alignment.__elements__, Alignment.__nested__


HEADER_FILL = _Fill("solid", fgColor=NAVY)
GROUP_FILL = _Fill("solid", fgColor="DCE6F0")
ACTIVITY_FILL = _Fill("solid", fgColor="F2F5F9")
WHITE_BOLD = _Font(bold=True, color="FFFFFF")
BOLD = _Font(bold=True)
TITLE = _Font(bold=True, size=14, color=NAVY)
MUTED = _Font(italic=True, color="555555")
THIN = Side(style="thin", color="B7C3D0")
BOX = _Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = _Alignment(wrap_text=True, vertical="top")
CENTER = _Alignment(horizontal="center", vertical="center", wrap_text=True)
FIXED_COLUMNS = 5  # code, indicator, kind, unit, agency
DEFAULT_WIDTH = 8.43  # a column's width when none is set, in characters
CHARS_PER_WIDTH = 1.0  # characters of ordinary text per unit of column width (conservative: rows come out taller)
LINE_HEIGHT = 1.35  # points of row height per point of font size


def put_heading(ws: Worksheet, row: int, column: int, text: str, alignment: Alignment = WRAP):
    """A table heading: white bold on navy, wrapped (or aligned as given)."""
    cell = put_text(ws, row, column, text, WHITE_BOLD)
    cell.fill = HEADER_FILL
    cell.alignment = alignment
    return cell


def put_number(ws: Worksheet, row: int, column: int, value: Decimal | int | None):
    cell = ws.cell(row=row, column=column)
    if value is None:
        return cell
    value = Decimal(value)
    if value == value.to_integral_value():
        cell.value = int(value)
        cell.number_format = INTEGER
    else:
        cell.value = float(value)
        cell.number_format = DECIMAL
    return cell


def put_percent(ws: Worksheet, row: int, column: int, achievement: Decimal | None):
    """An achievement in percent (the rollup's 70.5) as an Excel percentage (0.705)."""
    cell = ws.cell(row=row, column=column)
    if achievement is not None:
        cell.value = float(achievement) / 100
        cell.number_format = PERCENT
    return cell


def sheet_title(text: str) -> str:
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


def finish_sheet(
    ws: Worksheet,
    *,
    title_rows: tuple[int, int] | None,
    last_column: int,
    title_columns: int = 0,
    page_breaks: Sequence[int] = (),
    scale: int = 100,
) -> None:
    """Print like the PDF: A4 landscape, one page wide (as many pages down as needed), the table's header
    rows repeated on every page, and rows tall enough for their wrapped text.

    `title_rows` are the header of the sheet's one table (None for a sheet of several tables: repeated on
    every page, one table's header would print over the next table's rows).

    A table too wide for one page at a legible size is cut, not shrunk: `page_breaks` name the last
    column of every printed page but the last, and the first `title_columns` (code, indicator) are
    repeated on each; the sheet then prints at `scale` per cent (80 prints 11-point text at 8.8 points).

    A row with text in its first cell only (a title, a note) is a paragraph: it is merged across the
    table (across the first printed page, when the table is cut) and wrapped, so that it neither runs
    off the printed page nor widens it.
    """
    paragraph_end = min(last_column, page_breaks[0]) if page_breaks else last_column
    merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
    for row in range(1, ws.max_row + 1):
        first = ws.cell(row=row, column=1)
        alone = all(ws.cell(row=row, column=c).value is None for c in range(2, last_column + 1))
        if isinstance(first.value, str) and alone and (row, 1) not in merged and paragraph_end > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=paragraph_end)
            first.alignment = WRAP
    _fit_row_heights(ws)
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if page_breaks:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = scale
        for column in page_breaks:
            ws.col_breaks.append(Break(id=column))  # a break left of the 0-based column `column`: after it
        if title_columns:
            ws.print_title_cols = f"A:{get_column_letter(title_columns)}"
    else:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as the table needs
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.8, footer=0.3)
    ws.oddFooter.right.text = "&P / &N"


def _width(ws: Worksheet, first: int, last: int) -> float:
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(first, last + 1)]
    return sum(w if w else DEFAULT_WIDTH for w in widths)


def _fit_row_heights(ws: Worksheet) -> None:
    """Spreadsheets do not grow a row for wrapped text that openpyxl wrote, so every row whose wrapped text
    needs more than one line is given the height of its longest cell (estimated from characters per line).
    A word is never broken, so a word longer than its column (a header) needs the sheet's own height."""
    spans = {}
    for cells in ws.merged_cells.ranges:
        if cells.min_row == cells.max_row:
            spans[(cells.min_row, cells.min_col)] = cells.max_col
        else:
            for row in range(cells.min_row, cells.max_row + 1):  # tall merged cells (headers) hold their text
                spans[(row, cells.min_col)] = None
    for row in ws.iter_rows():
        height = None
        for cell in row:
            if not isinstance(cell.value, str) or not (cell.alignment and cell.alignment.wrap_text):
                continue
            key = (cell.row, cell.column)
            if key in spans and spans[key] is None:
                continue
            chars = max(1.0, _width(ws, cell.column, spans.get(key) or cell.column) * CHARS_PER_WIDTH)
            lines = sum(max(1, math.ceil(len(part) / chars)) for part in cell.value.split("\n"))
            size = (cell.font.sz if cell.font and cell.font.sz else 11) * LINE_HEIGHT
            if lines > 1:
                height = max(height or 0, lines * size + 3)
        if height:  # a height the sheet set itself (a header of words broken over lines) stays if taller
            dimension = ws.row_dimensions[row[0].row]
            dimension.height = max(round(height, 1), dimension.height or 0)


def workbook_bytes(workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
