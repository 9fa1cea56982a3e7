"""The province view as an Excel workbook: one sheet, the regencies side by side, printed like the
summaries (A4 landscape, one page wide: reports.summary_xlsx)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports.province import ProvinceView
from reports.summary_xlsx import (
    BOLD,
    GROUP_FILL,
    HEADER_FILL,
    MUTED,
    TITLE,
    WHITE_BOLD,
    _finish,
    put_number,
    put_percent,
    put_text,
)


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
    row = 4
    put_text(ws, row, 1, _("Figure"), WHITE_BOLD).fill = HEADER_FILL
    for col, column in enumerate(view.columns, start=2):
        cell = put_text(ws, row, col, f"{column.plan.region.name} ({column.plan.code})", WHITE_BOLD)
        cell.fill = HEADER_FILL
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
    row += 2
    # the standard tags: per regency actual / target, then the province's totals
    put_text(ws, row, 1, _("Standard indicators, added up across the plans"), BOLD).fill = GROUP_FILL
    row += 1
    headings = [_("Standard indicator"), _("Unit"), _("Target"), _("Actual"), _("Achievement")]
    for col, heading in enumerate(headings, start=1):
        put_text(ws, row, col, heading, WHITE_BOLD).fill = HEADER_FILL
    row += 1
    for total in view.tags:
        put_text(ws, row, 1, total.label)
        put_text(ws, row, 2, total.unit)
        put_number(ws, row, 3, total.target)
        put_number(ws, row, 4, total.actual)
        put_percent(ws, row, 5, total.achievement)
        row += 1
    ws.column_dimensions["A"].width = 40
    last = max(len(view.columns) + 1, len(headings))
    for col in range(2, last + 1):
        ws.column_dimensions[get_column_letter(col)].width = 18
    _finish(ws, title_rows=(header_row, header_row), last_column=last)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
