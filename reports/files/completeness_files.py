"""Reporting completeness as CSV and as an Excel sheet (also a sheet of the annual summary).

Columns, stable and in English for scripts: agency, period, expected, received, on_time,
rate_pct (received ÷ expected × 100, one decimal; empty when nothing is due). Numbers come
from `indicators.figures.completeness`; nothing is counted here.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from indicators.figures.completeness import Cell, Completeness
from tptto_monitor.lib.cells import text
from tptto_monitor.lib.xlsx import BOLD, put_text

COLUMNS = ["agency", "period", "expected", "received", "on_time", "rate_pct"]
FORMATS = ("csv", "xlsx")
BAND_FILLS = {
    "good": PatternFill("solid", fgColor="D1E7DD"),
    "fair": PatternFill("solid", fgColor="FFF3CD"),
    "poor": PatternFill("solid", fgColor="F8D7DA"),
}


def rate_pct(cell: Cell) -> Decimal | None:
    rate = cell.rate
    return None if rate is None else round(rate, 1)


def rows(result: Completeness) -> list[list]:
    return [
        [
            cell.agency.short_name,
            str(cell.period),
            len(cell.expected),
            len(cell.received),
            len(cell.on_time),
            rate_pct(cell),
        ]
        for cell in result.flat()
    ]


def build_csv(result: Completeness) -> bytes:
    """UTF-8 with a byte-order mark, like the summary's CSV (Excel needs it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for agency, period, expected, received, on_time, rate in rows(result):
        writer.writerow([text(agency), period, expected, received, on_time, "" if rate is None else f"{rate:.1f}"])
    return out.getvalue().encode("utf-8-sig")


def write_sheet(ws: Worksheet, result: Completeness, first_row: int = 1) -> None:
    """The table on a sheet: the stable header, then one row per agency × semester.

    The rate is an Excel percentage; its cell is tinted by band, and the number is always there.
    """
    for column, name in enumerate(COLUMNS, start=1):
        put_text(ws, first_row, column, name, BOLD)
    for offset, (cell, values) in enumerate(zip(result.flat(), rows(result), strict=True), start=1):
        row = first_row + offset
        put_text(ws, row, 1, values[0])
        put_text(ws, row, 2, values[1])
        for column in (3, 4, 5):
            ws.cell(row=row, column=column, value=values[column - 1])
        if values[5] is not None:
            target = ws.cell(row=row, column=6, value=float(values[5]) / 100)
            target.number_format = "0.0%"
            if cell.band in BAND_FILLS:
                target.fill = BAND_FILLS[cell.band]
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 10
    ws.freeze_panes = ws.cell(row=first_row + 1, column=1)


def build_xlsx(result: Completeness) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Completeness")[:31]
    write_sheet(ws, result)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def build(result: Completeness, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(_("Unknown format “%(format)s”: choose csv or xlsx.") % {"format": fmt})
    return build_csv(result) if fmt == "csv" else build_xlsx(result)
