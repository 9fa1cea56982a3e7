"""The plan file (docs/plan-format.md): a plan as one row per indicator, written as CSV or XLSX.

`export_plan` writes it; the rows are what `import_plan` will read back, so the columns live here once.
`shift` writes the plan as if it began that many years later (annual target columns and milestone
due years moved along): the starting point for another regency's plan of other years.
"""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.page import PageMargins

from indicators.models import Indicator, Kind
from programs.models import Plan
from tptto_monitor.lib.cells import number, text

COLUMNS = [
    "pillar",
    "pillar_name_id",
    "pillar_name_en",
    "program",
    "program_name_id",
    "program_name_en",
    "activity",
    "activity_name_id",
    "activity_name_en",
    "code",
    "text_id",
    "text_en",
    "kind",
    "unit_id",
    "unit_en",
    "target",
    # target_YYYY for each year of the plan go here
    "due_year",
    "agency",
    "agency_short_name",
    "agency_name_id",
    "agency_name_en",
    "agency_inferred",
    "note_id",
    "note_en",
    "standard_tag",
]


def columns(plan: Plan, shift: int = 0) -> list[str]:
    at = COLUMNS.index("target") + 1
    return COLUMNS[:at] + [f"target_{year + shift}" for year in plan.years] + COLUMNS[at:]


def rows(plan: Plan, shift: int = 0) -> list[dict]:
    """One dict per indicator, in code order; numbers as Decimal/int (or None), texts as stored."""
    indicators = (
        Indicator.objects.filter(plan=plan)
        .select_related("activity__program__pillar", "agency")
        .prefetch_related("targets")
        .order_by(*Indicator._meta.ordering)
    )
    out = []
    for ind in indicators:
        activity = ind.activity
        program = activity.program
        pillar = program.pillar
        targets = {t.year: t.value for t in ind.targets.all()}
        row = {
            "pillar": pillar.number,
            "pillar_name_id": pillar.name_id,
            "pillar_name_en": pillar.name_en,
            "program": program.letter,
            "program_name_id": program.name_id,
            "program_name_en": program.name_en,
            "activity": activity.number,
            "activity_name_id": activity.name_id,
            "activity_name_en": activity.name_en,
            "code": ind.code,
            "text_id": ind.text_id,
            "text_en": ind.text_en,
            "kind": ind.kind,
            "unit_id": ind.unit_id,
            "unit_en": ind.unit_en,
            "target": ind.plan_target,
            # an empty due year means the plan's last year (Indicator.milestone_due_year): written out, so the
            # file says when each milestone falls due and reads back inside the new plan's years
            "due_year": ind.milestone_due_year + shift if ind.kind == Kind.MILESTONE else None,
            "agency": ind.agency.code,
            "agency_short_name": ind.agency.short_name,
            "agency_name_id": ind.agency.name_id,
            "agency_name_en": ind.agency.name_en,
            "agency_inferred": "yes" if ind.agency_inferred else "",
            "note_id": ind.note_id,
            "note_en": ind.note_en,
            "standard_tag": ind.standard_tag,
        }
        for year in plan.years:
            row[f"target_{year + shift}"] = targets.get(year)
        out.append(row)
    return out


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, int):
        return str(value)
    return text(value)  # the summaries' guard: a text never starts a formula in a spreadsheet


def to_csv(plan: Plan, shift: int = 0) -> bytes:
    out = io.StringIO()
    names = columns(plan, shift)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows(plan, shift):
        writer.writerow([_cell_text(row[name]) for name in names])
    return out.getvalue().encode("utf-8-sig")  # the mark Excel needs to read "é" and "–" correctly


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def to_xlsx(plan: Plan, shift: int = 0) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = plan.code[:31]
    names = columns(plan, shift)
    ws.append(names)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows(plan, shift):
        # openpyxl writes a string starting with "=" as a formula: stored as text the same way as in the CSV
        ws.append([_xlsx_value(row[n]) if not isinstance(row[n], str) else text(row[n]) for n in names])
    ws.freeze_panes = "A2"
    # the print setup of the other sheets: A4 landscape, one page wide, the header on every page
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.8, footer=0.3)
    ws.oddFooter.right.text = "&P / &N"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
