"""The downloadable import template (XLSX with an instructions sheet, or CSV).

The columns and the rules they describe are those of `indicators.intake.progress`.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.intake.progress import COLUMNS, COMMON_COLUMNS, KIND_COLUMNS
from indicators.models import Indicator, Kind
from programs.models import Agency, Plan, Region
from programs.periods import Period
from tptto_monitor.lib import cells


def template_indicators(plan: Plan, agency: Agency | None) -> list[Indicator]:
    indicators = Indicator.objects.filter(plan=plan).select_related("agency")
    if agency is not None:
        indicators = indicators.filter(agency=agency)
    return list(indicators)


def example_period(plan: Plan) -> str:
    """The latest semester of the plan that has begun, as a hint in the template."""
    today = timezone.localdate()
    year = min(plan.end_year, today.year)
    semester = 2 if year < today.year or today.month > 6 else 1
    return str(Period(year, semester)) if year >= plan.start_year else ""


def template_rows(plan: Plan, agency: Agency | None) -> list[list[str]]:
    period = example_period(plan)
    rows = []
    for indicator in template_indicators(plan, agency):
        row = dict.fromkeys(COLUMNS, "")
        row["code"] = indicator.code
        row["period"] = period
        rows.append([row[column] for column in COLUMNS])
    return rows


def column_help() -> list[tuple[str, str]]:
    kinds = dict(Kind.choices)
    return [
        ("code", _("Indicator code of the plan, e.g. 1.a.2.1 (required).")),
        ("period", _("Semester of the work, e.g. 2021S1 (January–June) or 2021S2 (July–December); required.")),
        (
            "kecamatan",
            _("Kemendagri code (53.03.08) or name (Insana) of the kecamatan; required for %(kind)s indicators.")
            % {"kind": kinds[Kind.COVERAGE]},
        ),
        ("value", _("The number (whole, 0 or more): count, coverage, periodic and tracked indicators.")),
        ("male", _("Of the number: men and boys. With female, must add up to value.")),
        ("female", _("Of the number: women and girls. With male, must add up to value.")),
        ("child", _("Of the number: children under 18. With adult, must add up to value.")),
        ("adult", _("Of the number: adults. With child, must add up to value.")),
        ("numerator", _("Percentage indicators: how many met the condition (not more than denominator).")),
        ("denominator", _("Percentage indicators: how many were counted (more than 0).")),
        ("status", _("Milestones only: not_started, in_progress or achieved.")),
        ("date", _("Day the work took place, as 2021-03-31, inside the period; empty: the period's last day.")),
        ("narrative", _("What happened; required for qualitative indicators. Never name a victim or witness.")),
    ]


def build_template(plan: Plan, agency: Agency | None, fmt: str) -> bytes:
    """The import template for an agency's indicators (all indicators when agency is None)."""
    rows = template_rows(plan, agency)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows([[cells.text(cell) for cell in row] for row in rows])
        # A BOM so that Excel opens the UTF-8 file with the right characters.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(fmt)
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Entries")[:31]
    cells.append_row(sheet, list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        cells.append_row(sheet, row)
    for letter in "ABCDEFGHIJKLM":
        # Text cells, so that Excel keeps 53.03.08 and 2021S1 as typed.
        for cell in sheet[letter]:
            cell.number_format = "@"
        sheet.column_dimensions[letter].width = 14
    sheet.column_dimensions["M"].width = 60
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(_("Instructions")[:31])
    bold = Font(bold=True)
    cells.append_row(guide, [_("How to fill in the first sheet")])
    guide["A1"].font = bold
    cells.append_row(
        guide,
        [_("One row per piece of work. Only the first sheet is read; this sheet is ignored. Do not rename columns.")],
    )
    cells.append_row(
        guide,
        [
            _(
                "If any row has an error, nothing is saved: the preview names every bad row and column. "
                "Fix them and upload again."
            )
        ],
    )
    cells.append_row(guide, [])
    cells.append_row(guide, [_("Column"), _("Meaning")])
    for cell in guide[guide.max_row]:
        cell.font = bold
    for name, text in column_help():
        cells.append_row(guide, [name, text])
    cells.append_row(guide, [])
    cells.append_row(guide, [_("Columns each kind of indicator uses (leave the others empty)")])
    guide[f"A{guide.max_row}"].font = bold
    for kind, label in Kind.choices:
        used = [column for column in COLUMNS if column in COMMON_COLUMNS | KIND_COLUMNS[kind]]
        cells.append_row(guide, [str(label), ", ".join(used)])
    cells.append_row(guide, [])
    cells.append_row(guide, [_("Indicators in this template"), _("Kind"), _("Indicator")])
    for cell in guide[guide.max_row]:
        cell.font = bold
    for indicator in template_indicators(plan, agency):
        cells.append_row(guide, [indicator.code, indicator.get_kind_display(), indicator.text])
    cells.append_row(guide, [])
    cells.append_row(guide, [_("Kecamatan code"), _("Name")])
    for cell in guide[guide.max_row]:
        cell.font = bold
    for place in Region.objects.filter(parent=plan.region, level=Region.Level.KECAMATAN).order_by("code"):
        cells.append_row(guide, [place.code, place.name])
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 90
    guide.column_dimensions["C"].width = 90

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
