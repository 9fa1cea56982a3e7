"""The one cell writer of every export: CSV cells (numbers without float noise, and text that a spreadsheet
never runs as a formula: text starting with = + - @, a tab or a carriage return is prefixed with an
apostrophe, as OWASP's CSV-injection advice says) and XLSX text cells (stored as text, never a formula,
whatever they start with). Every CSV and XLSX the site writes goes through these; a test scans them all
(reports/tests/test_formula_guard.py)."""

from collections.abc import Iterable
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def number(value: Decimal | None, places: int = 2) -> str:
    """Decimal('1000.00') → '1000'; Decimal('20.8333') → '20.83'; None → ''."""
    if value is None:
        return ""
    rounded = round(Decimal(value), places)
    if rounded == rounded.to_integral_value():
        return str(int(rounded))
    return format(rounded.normalize(), "f")


def csv_value(value) -> str:
    """Any value as a CSV cell: text defused (`text`), a number exactly but without float noise
    (5000.0 → 5000, 42.44 → 42.44, Decimal('7.00') → 7), None → empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return text(str(value))
    if isinstance(value, float) and value != value:  # NaN: a missing number
        return ""
    exact = Decimal(str(value))
    if exact == exact.to_integral_value():
        return str(int(exact))
    return format(exact.normalize(), "f")


def text(value: str) -> str:
    value = value or ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def put_text(ws: Worksheet, row: int, column: int, value, font: Font | None = None) -> Cell:
    """A string cell, whatever the text starts with (openpyxl would make a formula of "=…")."""
    cell = ws.cell(row=row, column=column)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value or ""))
    cell.data_type = "s"
    if font:
        cell.font = font
    return cell


def _text_cell(ws: Worksheet, value: str) -> Cell:
    cell = Cell(ws)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"
    return cell


def append_row(ws: Worksheet, values: Iterable) -> None:
    """`ws.append(values)`, with every string written as text (never a formula) and other values as they are."""
    ws.append([_text_cell(ws, value) if isinstance(value, str) else value for value in values])
