"""The summary as CSV: one flat row per indicator.

Encoding: UTF-8 with a byte-order mark. Excel (the office's tool) needs the
mark to read "é" or "–" correctly; Python reads it with `utf-8-sig`, and
LibreOffice and pandas skip it. The header row names stable, English column
identifiers so that scripts do not break when the reader's language changes;
the `*_label` columns carry the localised words.

Numbers are written with `.` as the decimal separator and no grouping, in
every language. Achievements are percentages (70.5 means 70.5 %), rounded to
two decimals. `narrative` is a qualitative indicator's latest narrative.
A milestone has no number in the `*_actual` columns: its state is in
`year_state` / `to_date_state` (not_started, in_progress, achieved) and, in
words, in the `*_state_label` columns; its achievement is 0, 50 or 100. For
the whole-plan summary the `year*` columns are empty.

Text that a spreadsheet would read as a formula (starting with = + - @, a tab
or a carriage return) gets a leading apostrophe; numbers are never touched.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from django.utils import translation

from tptto_monitor.lib.cells import FORMULA_STARTS, number, text  # noqa: F401 (the cells of this file)

if TYPE_CHECKING:  # reports.files.summary imports the renderers
    from reports.files.summary import Summary

COLUMNS = [
    "code",
    "pillar",
    "program",
    "activity",
    "indicator",
    "kind",
    "kind_label",
    "unit",
    "agency",
    "plan_target",
    "year",
    "year_target",
    "year_actual",
    "year_achievement_pct",
    "to_date_actual",
    "to_date_achievement_pct",
    "status",
    "status_label",
    "narrative",
    "year_state",
    "year_state_label",
    "to_date_state",
    "to_date_state_label",
]
# the columns that hold numbers (for the Excel (Indonesian settings) style: decimal comma there only)
NUMBER_COLUMNS = [
    *["plan_target", "year", "year_target", "year_actual", "year_achievement_pct"],
    *["to_date_actual", "to_date_achievement_pct"],
]


def render(summary: Summary) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    with translation.override(summary.language):
        for row in summary.rows:
            in_year = summary.year is not None
            writer.writerow(
                [
                    text(row.code),
                    row.pillar,
                    text(row.program),
                    text(row.activity),
                    text(row.indicator),
                    row.kind,
                    text(row.kind_label),
                    text(row.unit),
                    text(row.agency),
                    number(row.plan_target),
                    summary.year if in_year else "",
                    number(row.year_target) if in_year else "",
                    number(row.year_actual) if in_year and not row.figure.state else "",
                    number(row.year_achievement_pct) if in_year else "",
                    number(row.to_date_actual) if not row.to_date.state else "",
                    number(row.to_date_achievement_pct),
                    row.status,
                    text(row.status_label),
                    text(row.narrative),
                    row.figure.state if in_year else "",
                    text(row.figure.state_label) if in_year else "",
                    row.to_date.state,
                    text(row.to_date.state_label),
                ]
            )
    return out.getvalue().encode("utf-8-sig")
