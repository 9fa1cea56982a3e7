"""The summary as an Excel workbook: the indicator performance tracking table.

Sheets: an overview; the highlights; two per pillar with the indicators grouped by program
and activity: the report's year and the plan to date with each indicator's
kind, unit, agency and status (one A4 page wide), then a Target / Actual / %
column group for every year of the plan (cut into pages of three years);
the sex and age split; the kecamatan breakdown. Numbers are stored as numbers, achievements as Excel percentages
(0.7 shown as 70.0 %). Every text cell is written as a string, so a
narrative that starts with "=" can never become a formula.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from indicators.figures.rollup import Figure, Status, kecamatan_label
from reports.files import completeness_files
from tptto_monitor.lib.xlsx import (  # noqa: F401 (the cell writers, named here as before)
    ACTIVITY_FILL,
    BOLD,
    BOX,
    CENTER,
    CHARS_PER_WIDTH,
    DECIMAL,
    DEFAULT_WIDTH,
    GROUP_FILL,
    HEADER_FILL,
    INTEGER,
    LINE_HEIGHT,
    MUTED,
    NAVY,
    PERCENT,
    THIN,
    TITLE,
    WHITE_BOLD,
    WRAP,
    _Alignment,
    _Border,
    _Fill,
    _Font,
    finish_sheet,
    put_number,
    put_percent,
    put_text,
    sheet_title,
)

STATUS_FONTS = {status: _Font(bold=True, color=colour.lstrip("#").upper()) for status, colour in Status.COLOURS.items()}


def status_font(status: str) -> Font:
    return STATUS_FONTS[status]


if TYPE_CHECKING:  # reports.files.summary imports the renderers
    from reports.files.summary import IndicatorRow, PillarSummary, Summary


def _heading(ws: Worksheet, summary: Summary, title: str) -> None:
    put_text(ws, 1, 1, title, TITLE)
    put_text(
        ws,
        2,
        1,
        _("%(plan)s · generated %(generated)s · data cut-off %(cut_off)s · verified entries only")
        % {
            "plan": summary.plan.name,
            "generated": summary.generated_at.strftime("%Y-%m-%d %H:%M"),
            "cut_off": summary.cut_off.isoformat(),
        },
        MUTED,
    )


def _header_cell(ws: Worksheet, row: int, column: int, text: str):
    cell = put_text(ws, row, column, text, WHITE_BOLD)
    cell.fill = HEADER_FILL
    cell.alignment = CENTER
    cell.border = BOX
    return cell


def _figure_cells(ws: Worksheet, row: int, column: int, figure: Figure) -> None:
    """Target, actual, achievement; a milestone's target and state in words (never its score of 100)."""
    if figure.target_label:
        put_text(ws, row, column, figure.target_label).border = BOX
    else:
        put_number(ws, row, column, figure.target).border = BOX
    if figure.state_label:
        put_text(ws, row, column + 1, figure.state_label).border = BOX
    else:
        put_number(ws, row, column + 1, figure.actual).border = BOX
    put_percent(ws, row, column + 2, figure.shown_achievement).border = BOX


def _overview(ws: Worksheet, summary: Summary) -> None:
    ws.title = sheet_title(_("Overview"))
    _heading(ws, summary, summary.title)
    years = summary.plan.years
    if summary.demo:
        put_text(ws, 3, 1, summary.demo_warning, Font(bold=True, color="B02A37"))
    row = 4
    put_text(ws, row, 1, _("Achievement by pillar"), BOLD)
    row += 1
    _header_cell(ws, row, 1, _("Pillar"))
    _header_cell(ws, row, 2, _("Name"))
    column = 3
    for year in years:
        _header_cell(ws, row, column, _("%(year)s achievement") % {"year": year})
        _header_cell(ws, row, column + 1, _("Indicators"))
        column += 2
    _header_cell(ws, row, column, _("Plan to date"))
    _header_cell(ws, row, column + 1, _("Indicators"))
    header_row = row
    for pillar in summary.pillars:
        row += 1
        put_number(ws, row, 1, pillar.number).border = BOX
        put_text(ws, row, 2, pillar.name).alignment = WRAP
        column = 3
        for figure in [*(pillar.years[y] for y in years), pillar.to_date]:
            put_percent(ws, row, column, figure.achievement).border = BOX
            put_number(ws, row, column + 1, figure.indicators).border = BOX
            column += 2
    row += 1
    put_text(
        ws,
        row,
        1,
        _(
            "A pillar's achievement is the mean of its targeted indicators' achievements, each capped at 100 %, "
            "over the indicators due in that year; “Indicators” gives how many stand behind each mean."
        ),
        MUTED,
    )

    row += 2
    counted = _("in %(year)s") % {"year": summary.year} if summary.year else _("plan to date")
    put_text(ws, row, 1, _("Indicators by status (%(period)s)") % {"period": counted}, BOLD)
    row += 1
    _header_cell(ws, row, 1, _("Status"))
    _header_cell(ws, row, 2, _("Indicators"))
    for status in Status.ORDER:
        row += 1
        put_text(ws, row, 1, Status.label(status), status_font(status)).border = BOX
        put_number(ws, row, 2, summary.status_counts[status]).border = BOX

    row += 2
    put_text(ws, row, 1, _("Data quality"), BOLD)
    quality = summary.quality
    for label, value in [
        (_("Indicators without data"), len(quality.no_data)),
        (_("Entries verified"), quality.entries.get("verified", 0)),
        (_("Entries submitted, awaiting verification"), quality.entries.get("submitted", 0)),
        (_("Entries returned for correction"), quality.entries.get("returned", 0)),
        (_("Entries in draft"), quality.entries.get("draft", 0)),
        (_("Agencies with a semester without reports"), len(quality.gaps)),
    ]:
        row += 1
        put_text(ws, row, 2, label)
        put_number(ws, row, 3, value)
    if not summary.has_data:
        row += 1
        put_text(ws, row, 2, _("No data yet: no verified entry has been recorded."), MUTED)

    ws.column_dimensions["A"].width = 9
    ws.column_dimensions["B"].width = 32
    for column in range(3, 3 + 2 * (len(years) + 1)):  # 12 columns for a five-year plan: 143 units in all
        ws.column_dimensions[get_column_letter(column)].width = 8 if column % 2 else 9  # "Indicators" on a line
    ws.row_dimensions[header_row].height = 44  # "2021 achievement" on three lines
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    # several tables one under the other: none has its header repeated over the others
    finish_sheet(ws, title_rows=None, last_column=2 + 2 * (len(years) + 1))


def _highlights_sheet(ws: Worksheet, summary: Summary) -> None:
    """The highlights, a table that may run over pages, on a sheet of their own that repeats their header."""
    _heading(ws, summary, _("Highlights from verified entries"))
    header_row = 4
    labels = [_("Code"), _("Narrative"), _("Period"), _("Agency"), _("Kecamatan")]
    for column, label in enumerate(labels, 1):
        _header_cell(ws, header_row, column, label)
    row = header_row
    for pillar in summary.pillars:
        for highlight in pillar.highlights:
            row += 1
            put_text(ws, row, 1, highlight.code).border = BOX
            narrative = put_text(ws, row, 2, highlight.narrative)
            narrative.border, narrative.alignment = BOX, WRAP
            for column, value in enumerate([str(highlight.period), highlight.agency, highlight.kecamatan], 3):
                cell = put_text(ws, row, column, value)
                cell.border, cell.alignment = BOX, WRAP
    if row == header_row:
        put_text(ws, row + 1, 2, _("No data yet"), MUTED)
    for column, width in enumerate([9, 60, 9, 14, 14], 1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    finish_sheet(ws, title_rows=(header_row, header_row), last_column=len(labels))


# Printed on A4 landscape, LibreOffice fits about 104 units of column width on a page at 100 % (its
# default font is wider than Excel's Calibri, which fits about 140): a sheet fitted to the page's width
# keeps 11-point text at 8 points or more up to 143 units; wider tables are cut into pages.
DETAIL_COLUMNS = 4  # code, indicator, unit, agency
DETAIL_WIDTHS = [9, 36, 10, 12]
FIGURE_WIDTH = 9
STATUS_WIDTH = 9
YEARS_PER_PAGE = 3  # the by-year sheet prints code, indicator and three years (9 columns) on each A4 page
KECAMATAN_PER_PAGE = 8
BROKEN_SCALE = 80  # the pages of a cut table: 11-point text printed at 8.8 points


def _pillar_sheet(ws: Worksheet, summary: Summary, pillar: PillarSummary) -> None:
    """The pillar's indicators with their unit and agency, the report's year and the plan to date, and their
    status: 12 columns, 139 units wide, that print on one A4 width at 8 points or more (every year of the
    plan is on the pillar's by-year sheet)."""
    _heading(ws, summary, f"{_('Pillar')} {pillar.number}. {pillar.name}")
    periods = ([summary.year] if summary.year else []) + [None]
    statuses = ([summary.year] if summary.year else []) + [None]
    labels = [_("Code"), _("Indicator"), _("Unit"), _("Agency")]
    last = _pillar_table(ws, summary, pillar, labels=labels, periods=periods)
    column = DETAIL_COLUMNS + 3 * len(periods) + 1
    for year in statuses:
        title = _("Status %(year)s") % {"year": year} if year else _("Status to date")
        ws.merge_cells(start_row=4, start_column=column, end_row=5, end_column=column)
        _header_cell(ws, 4, column, title)
        column += 1
    for row, item in last["rows"]:
        column = DETAIL_COLUMNS + 3 * len(periods) + 1
        for year in statuses:
            figure = item.rollup.years[year] if year else item.to_date
            put_text(ws, row, column, Status.label(figure.status), status_font(figure.status)).border = BOX
            column += 1
    _fill_groups(ws, last["groups"], column - 1)
    widths = DETAIL_WIDTHS + [FIGURE_WIDTH] * (3 * len(periods)) + [STATUS_WIDTH] * len(statuses)
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(row=6, column=3)
    finish_sheet(ws, title_rows=(4, 5), last_column=column - 1)


def _years_sheet(ws: Worksheet, summary: Summary, pillar: PillarSummary) -> None:
    """Every year of the plan and the plan to date, Target / Actual / % each: printed at full size, three
    years to a page, the code and indicator repeated on every page."""
    years = summary.plan.years
    _heading(
        ws, summary, _("Pillar %(number)s. %(name)s, year by year") % {"number": pillar.number, "name": pillar.name}
    )
    periods = [*years, None]
    last = _pillar_table(ws, summary, pillar, labels=[_("Code"), _("Indicator")], periods=periods)
    last_column = 2 + 3 * len(periods)
    _fill_groups(ws, last["groups"], last_column)
    widths = DETAIL_WIDTHS[:2] + [FIGURE_WIDTH] * (3 * len(periods))
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(row=6, column=3)
    breaks = [2 + 3 * YEARS_PER_PAGE * page for page in range(1, -(-len(periods) // YEARS_PER_PAGE))]
    finish_sheet(
        ws, title_rows=(4, 5), last_column=last_column, title_columns=2, page_breaks=breaks, scale=BROKEN_SCALE
    )


def _pillar_table(ws: Worksheet, summary: Summary, pillar: PillarSummary, *, labels: list[str], periods: list) -> dict:
    """The header (rows 4 and 5), the program and activity rows and, under each activity, its indicators: the
    first `labels` columns, then Target / Actual / % for each period (a year, or None: the plan to date).

    Returns the rows written: each indicator's row, and the group rows to shade across the whole table."""
    group_row, header_row = 4, 5
    for column, label in enumerate(labels, 1):
        ws.merge_cells(start_row=group_row, start_column=column, end_row=header_row, end_column=column)
        _header_cell(ws, group_row, column, label)
    column = len(labels) + 1
    for year in periods:
        ws.merge_cells(start_row=group_row, start_column=column, end_row=group_row, end_column=column + 2)
        _header_cell(ws, group_row, column, str(year) if year else _("Plan to date"))
        for offset, label in enumerate([_("Target"), _("Actual"), "%"]):
            _header_cell(ws, header_row, column + offset, label)
        column += 3

    row = header_row
    rows, groups = [], []
    for program, activities in pillar.programs:
        row += 1
        put_text(ws, row, 1, program.code, BOLD)
        put_text(ws, row, 2, program.name, BOLD).alignment = WRAP
        groups.append((row, GROUP_FILL))
        for activity in activities:
            row += 1
            put_text(ws, row, 1, activity.code, MUTED)
            put_text(ws, row, 2, activity.name, MUTED).alignment = WRAP
            groups.append((row, ACTIVITY_FILL))
            for item in activity.rows:
                row += 1
                _indicator_row(ws, row, item, len(labels), periods)
                rows.append((row, item))
    if not pillar.rows:
        put_text(ws, row + 1, 2, _("No indicators"), MUTED)
    put_text(
        ws,
        row + 2,
        1,
        _(
            "Coverage: places reached so far against the cumulative target. Milestones: the state at the end of "
            "each year, scored 0 % (not started), 50 % (in progress) or 100 % (achieved); counted in the pillar "
            "means only in their due year. Levels: the latest number reported, against the level to hold. "
            "Percentages: Σ numerator ÷ Σ denominator."
        ),
        MUTED,
    )
    return {"rows": rows, "groups": groups}


def _fill_groups(ws: Worksheet, groups: list, last_column: int) -> None:
    for row, fill in groups:
        for column in range(1, last_column + 1):
            ws.cell(row=row, column=column).fill = fill


def _indicator_row(ws: Worksheet, row: int, item: IndicatorRow, fixed: int, periods: list) -> None:
    """Code and indicator (and, with the pillar sheet's four fixed columns, unit and agency), then each period's
    figures."""
    put_text(ws, row, 1, item.code).border = BOX
    put_text(ws, row, 2, item.indicator).alignment = WRAP
    ws.cell(row=row, column=2).border = BOX
    if fixed == DETAIL_COLUMNS:
        unit = put_text(ws, row, 3, item.unit)
        unit.border, unit.alignment = BOX, WRAP
        agency = put_text(ws, row, 4, item.agency)
        agency.border, agency.alignment = BOX, WRAP
    column = fixed + 1
    for year in periods:
        _figure_cells(ws, row, column, item.rollup.years[year] if year else item.to_date)
        column += 3


def _sex_sheet(ws: Worksheet, summary: Summary) -> None:
    if summary.year is None:
        _heading(ws, summary, _("Sex and age split, plan to date"))
        note = _("Counted over verified entries of every period up to the data cut-off; blank: not recorded.")
    else:
        _heading(ws, summary, _("Sex and age split, %(year)s") % {"year": summary.year})
        note = _("Counted over the verified entries of %(year)s; blank: not recorded.") % {"year": summary.year}
    header_row = 4
    labels = [_("Code"), _("Indicator"), _("Men / boys"), _("Women / girls"), _("Children (under 18)"), _("Adults")]
    for column, label in enumerate(labels, 1):
        _header_cell(ws, header_row, column, label)
    row = header_row
    for item in summary.rows:
        if not summary.sex_split(item.rollup):
            continue
        row += 1
        put_text(ws, row, 1, item.code).border = BOX
        put_text(ws, row, 2, item.indicator).alignment = WRAP
        for column, part in enumerate(("male", "female", "child", "adult"), 3):
            put_number(ws, row, column, summary.sex_split(item.rollup).get(part)).border = BOX
    if row == header_row:
        put_text(ws, row + 1, 2, _("No data yet: no verified entry records a sex or age split."), MUTED)
    put_text(
        ws,
        max(row, header_row + 1) + 2,
        1,
        note,
        MUTED,
    )
    for column, width in enumerate([10, 70, 14, 14, 18, 12], 1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    finish_sheet(ws, title_rows=(header_row, header_row), last_column=len(labels))


def _kecamatan_sheet(ws: Worksheet, summary: Summary) -> None:
    if summary.year is None:
        _heading(ws, summary, _("Kecamatan breakdown, plan to date"))
        note = _("Verified entries of every period up to the data cut-off; blank: nothing recorded in the kecamatan.")
    else:
        _heading(ws, summary, _("Kecamatan breakdown, %(year)s") % {"year": summary.year})
        note = _("Verified entries of %(year)s; blank: nothing recorded in the kecamatan.") % {"year": summary.year}
    header_row = 4
    _header_cell(ws, header_row, 1, _("Code"))
    _header_cell(ws, header_row, 2, _("Indicator"))
    _header_cell(ws, header_row, 3, _("Measure"))
    for offset, kecamatan in enumerate(summary.kecamatan):
        _header_cell(ws, header_row, 4 + offset, kecamatan.name)
        ws.column_dimensions[get_column_letter(4 + offset)].width = FIGURE_WIDTH
    row = header_row
    figures = summary.kecamatan_figures
    for item in summary.rows:
        indicator = item.rollup.indicator
        cells = {k.id: figures.get((indicator.id, k.id)) for k in summary.kecamatan}
        if not any(cells.values()):
            continue
        row += 1
        measure = kecamatan_label(indicator)  # the rollup's figure per kecamatan, or (None) only entries
        put_text(ws, row, 1, item.code).border = BOX
        put_text(ws, row, 2, item.indicator).alignment = WRAP
        label = put_text(ws, row, 3, measure or _("Entries"))
        label.border, label.alignment = BOX, WRAP
        for offset, kecamatan in enumerate(summary.kecamatan):
            found = cells[kecamatan.id]
            if found:
                put_number(ws, row, 4 + offset, found.value if measure else found.entries)
            ws.cell(row=row, column=4 + offset).border = BOX
    if row == header_row:
        put_text(ws, row + 1, 2, _("No data yet: no verified entry names a kecamatan."), MUTED)
    put_text(
        ws,
        max(row, header_row + 1) + 2,
        1,
        note,
        MUTED,
    )
    ws.column_dimensions["A"].width = 9
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 10
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4)
    # code, indicator and measure, then eight kecamatan to a printed page (53 + 72 units at 80 %)
    breaks = list(range(3 + KECAMATAN_PER_PAGE, 3 + len(summary.kecamatan), KECAMATAN_PER_PAGE))
    finish_sheet(
        ws,
        title_rows=(header_row, header_row),
        last_column=3 + len(summary.kecamatan),
        title_columns=3,
        page_breaks=breaks,
        scale=BROKEN_SCALE,
    )


def render(summary: Summary) -> bytes:
    with translation.override(summary.language):
        workbook = Workbook()
        _overview(workbook.active, summary)
        _highlights_sheet(workbook.create_sheet(sheet_title(_("Highlights"))), summary)
        for pillar in summary.pillars:
            _pillar_sheet(workbook.create_sheet(sheet_title(f"{_('Pillar')} {pillar.number}")), summary, pillar)
            by_year = sheet_title(_("Pillar %(number)s by year") % {"number": pillar.number})
            _years_sheet(workbook.create_sheet(by_year), summary, pillar)
        _sex_sheet(workbook.create_sheet(sheet_title(_("Sex and age"))), summary)
        _kecamatan_sheet(workbook.create_sheet(sheet_title(_("Kecamatan"))), summary)
        if summary.completeness is not None:
            ws = workbook.create_sheet(sheet_title(_("Completeness")))
            completeness_files.write_sheet(ws, summary.completeness)
            finish_sheet(ws, title_rows=(1, 1), last_column=len(completeness_files.COLUMNS))
        workbook.properties.title = summary.title
        workbook.properties.creator = "TPPO Monitor"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
