"""The national view as an Excel workbook: a sheet of the provinces as rows (38 would not print as columns) and a
sheet of the country's standard-indicator totals, each printed like the summaries (A4 landscape, one page wide)
with its own table's header repeated on every page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports.national.overview import NationalView
from tptto_monitor.lib.xlsx import (
    BOLD,
    MUTED,
    TITLE,
    finish_sheet,
    put_heading,
    put_number,
    put_percent,
    put_text,
    workbook_bytes,
)


def render(view: NationalView) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("National")[:31]
    put_text(ws, 1, 1, _("The provinces in %(year)s") % {"year": view.year}, TITLE)
    put_text(ws, 2, 1, _("Active plans only · verified entries only"), MUTED)
    if view.behind:
        put_text(ws, 3, 1, view.behind_note, MUTED)
    row = 4
    headings = [
        _("Province"),
        _("Plans"),
        _("Plans reporting"),
        *[_("Pillar %(number)s") % {"number": n} for n in view.pillar_numbers],
        *[label for _status, label in view.status_order],
        _("Unreported agency-semesters"),
    ]
    for col, heading in enumerate(headings, start=1):
        put_heading(ws, row, col, heading)
    header_row = row
    row += 1
    for province in view.rows:
        put_text(ws, row, 1, f"{province.province.name} ({province.province.code})")
        put_number(ws, row, 2, province.plans)
        put_number(ws, row, 3, province.reporting)
        col = 4
        for number in view.pillar_numbers:
            put_percent(ws, row, col, province.pillars.get(number))
            col += 1
        for status, _label in view.status_order:
            put_number(ws, row, col, province.statuses[status])
            col += 1
        put_number(ws, row, col, province.gaps)
        row += 1
    totals = view.totals
    if totals is not None:
        put_text(ws, row, 1, _("Country"), BOLD)
        put_number(ws, row, 2, totals.plans)
        put_number(ws, row, 3, totals.reporting)
        col = 4 + len(view.pillar_numbers)
        for status, _label in view.status_order:
            put_number(ws, row, col, totals.statuses[status])
            col += 1
        put_number(ws, row, col, totals.gaps)
    ws.column_dimensions["A"].width = 34
    for col in range(2, len(headings) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 12
    finish_sheet(ws, title_rows=(header_row, header_row), last_column=len(headings))
    _tags_sheet(wb.create_sheet(_("Standard indicators")[:31]), view)
    return workbook_bytes(wb)


def _tags_sheet(ws, view: NationalView) -> None:
    put_text(ws, 1, 1, _("Standard indicators, added up across the country"), TITLE)
    put_text(ws, 2, 1, _("The provinces in %(year)s") % {"year": view.year})
    row = 4
    headings = [_("Standard indicator"), _("Unit"), _("Target"), _("Actual"), _("Achievement")]
    for col, heading in enumerate(headings, 1):
        put_heading(ws, row, col, heading)
    header_row = row
    row += 1
    for total in view.tags:
        put_text(ws, row, 1, total.label)
        put_text(ws, row, 2, total.unit)
        put_number(ws, row, 3, total.target)
        put_number(ws, row, 4, total.actual)
        put_percent(ws, row, 5, total.achievement)
        row += 1
    ws.column_dimensions["A"].width = 44  # the longest standard indicator's name on one line
    for col in range(2, len(headings) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 16
    finish_sheet(ws, title_rows=(header_row, header_row), last_column=len(headings))
