"""The province view as an Excel workbook: a sheet of the regencies side by side and a sheet of the standard
indicators, each printed like the summaries (A4 landscape, one page wide: reports.files.summary_xlsx) with its own
table's header repeated on every page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports.province.overview import ProvinceView
from tptto_monitor.lib.numbers import format_number
from tptto_monitor.lib.xlsx import (
    BOLD,
    GROUP_FILL,
    MUTED,
    TITLE,
    WRAP,
    _Alignment,
    finish_sheet,
    put_heading,
    put_number,
    put_percent,
    put_text,
    workbook_bytes,
)

# over a column of numbers, the heading stands where the numbers end; a regency's name wraps onto two lines
NUMBER_HEADING = _Alignment(horizontal="right", vertical="top", wrap_text=True)


def _pair(pair) -> str:
    """A regency's actual / target of a standard indicator, as on the page ("–" where there is none)."""
    if pair is None:
        return "–"
    target, actual = pair
    return f"{format_number(actual, 0)} / {format_number(target, 0)}"


def render(view: ProvinceView) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Province")[:31]
    put_text(
        ws,
        1,
        1,
        _("Regencies of %(province)s in %(year)s") % {"province": view.province.name, "year": view.year},
        TITLE,
    )
    put_text(ws, 2, 1, _("Active plans only · verified entries only"), MUTED)
    if view.behind:
        put_text(ws, 3, 1, view.behind_note, MUTED)
    row = 4
    put_heading(ws, row, 1, _("Figure"))
    for col, column in enumerate(view.columns, start=2):
        put_heading(ws, row, col, f"{column.plan.region.name}\n{column.plan.code}", NUMBER_HEADING)
    header_row = row
    row += 1
    put_text(ws, row, 1, _("Pillar achievement"), BOLD).fill = GROUP_FILL
    row += 1
    for number in view.pillar_numbers:
        put_text(ws, row, 1, _("Pillar %(number)s") % {"number": number})
        for col, column in enumerate(view.columns, start=2):
            put_percent(ws, row, col, column.pillars.get(number))
        row += 1
    put_text(ws, row, 1, _("Indicators by status"), BOLD).fill = GROUP_FILL
    row += 1
    for status, label in view.status_order:
        put_text(ws, row, 1, label)
        for col, column in enumerate(view.columns, start=2):
            put_number(ws, row, col, column.statuses[status])
        row += 1
    put_text(ws, row, 1, _("Reporting gaps"), BOLD).fill = GROUP_FILL
    row += 1
    put_text(ws, row, 1, _("Agencies with a semester unreported"))
    for col, column in enumerate(view.columns, start=2):
        put_number(ws, row, col, column.agencies_with_gaps)
    row += 1
    put_text(ws, row, 1, _("Unreported agency-semesters"))
    for col, column in enumerate(view.columns, start=2):
        put_number(ws, row, col, column.gaps)
    ws.column_dimensions["A"].width = 40
    for col in range(2, len(view.columns) + 2):
        ws.column_dimensions[get_column_letter(col)].width = 22
    finish_sheet(ws, title_rows=(header_row, header_row), last_column=len(view.columns) + 1)
    _tags_sheet(wb.create_sheet(_("Standard indicators")[:31]), view)
    return workbook_bytes(wb)


def _tags_sheet(ws, view: ProvinceView) -> None:
    """The standard tags: per regency actual / target, then the province's totals."""
    put_text(ws, 1, 1, _("Standard indicators, added up across the plans"), TITLE)
    put_text(ws, 2, 1, _("Regencies of %(province)s in %(year)s") % {"province": view.province.name, "year": view.year})
    row = 4
    regencies = [f"{c.plan.region.name}\n{_('actual / target')}" for c in view.columns]
    headings = [_("Standard indicator"), _("Unit"), *regencies, _("Target"), _("Actual"), _("Achievement")]
    for col, heading in enumerate(headings, start=1):
        put_heading(ws, row, col, heading, WRAP if col <= 2 else NUMBER_HEADING)
    header_row = row
    row += 1
    totals = 3 + len(view.columns)  # the column of the province's target
    for total in view.tags:
        put_text(ws, row, 1, total.label)
        put_text(ws, row, 2, total.unit)
        for col, column in enumerate(view.columns, start=3):
            put_text(ws, row, col, _pair(total.by_plan.get(column.plan.pk))).alignment = NUMBER_HEADING
        put_number(ws, row, totals, total.target)
        put_number(ws, row, totals + 1, total.actual)
        put_percent(ws, row, totals + 2, total.achievement)
        row += 1
    ws.column_dimensions["A"].width = 40
    for col in range(2, len(headings) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 22
    finish_sheet(ws, title_rows=(header_row, header_row), last_column=len(headings))
