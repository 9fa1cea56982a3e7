"""The cockpit's parts of the summary PDF: reporting completeness, and the rules between
indicators in the data-quality section. Numbers come from `indicators.figures.completeness` and
`indicators.figures.rules`; each coloured cell also states its numbers (colour is never the only signal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table

from tptto_monitor.lib.numbers import format_number

if TYPE_CHECKING:  # reports.files.summary imports the renderers
    from reports.files.summary import Summary

BAND_COLOURS = {
    "good": colors.HexColor("#d1e7dd"),
    "fair": colors.HexColor("#fff3cd"),
    "poor": colors.HexColor("#f8d7da"),
    "none": colors.HexColor("#f1f3f5"),
    "not-begun": colors.HexColor("#f1f3f5"),
}


def _cell_text(cell) -> str:
    if cell.state == "not_begun":
        return _("not begun")
    if not cell.expected:
        return _("nothing due")
    rate = format_number(cell.rate, 0)
    return f"{rate} %<br/>{len(cell.received)}/{len(cell.expected)} ({len(cell.on_time)})"


def completeness_section(summary: Summary, s: dict, *, text, table_style, width: float) -> list:
    result = summary.completeness
    if result is None or not result.agencies:
        return []
    parts = [Paragraph(text(_("Reporting completeness")), s["h2"])]
    parts.append(
        Paragraph(
            text(
                _(
                    "Per agency and semester: the share of its due indicators received (with a submitted or verified "
                    "entry), then received/due and, in brackets, how many by the deadline."
                )
            ),
            s["small"],
        )
    )
    head = [Paragraph(text(_("Agency")), s["cell_head"])]
    for period in result.periods:
        deadline = result.deadlines[period].strftime("%d.%m.%Y")
        head.append(Paragraph(f"{period}<br/>{text(_('due'))} {deadline}", s["cell_head"]))
    rows = [head]
    style = []
    for r, (agency, cells) in enumerate(result.rows(), start=1):
        row = [Paragraph(text(agency.short_name), s["cell"])]
        for c, cell in enumerate(cells, start=1):
            row.append(Paragraph(_cell_text(cell), s["cell"]))
            style.append(("BACKGROUND", (c, r), (c, r), BAND_COLOURS[cell.band]))
        rows.append(row)
    first = 32 * mm
    other = (width - first) / len(result.periods)
    parts.append(Table(rows, colWidths=[first] + [other] * len(result.periods), repeatRows=1, style=table_style(style)))
    return parts


def rules_section(summary: Summary, s: dict, *, text, table_style, width: float) -> list:
    if not summary.rules:
        return []
    parts = [Paragraph(text(_("Rules between indicators")), s["h2"])]
    rows = [
        [
            Paragraph(text(_("Rule")), s["cell_head"]),
            Paragraph(text(_("Semesters in which it is broken")), s["cell_head"]),
        ]
    ]
    for result in summary.rules:
        broken = [row for row in result.broken if summary.year is None or row.period.year == summary.year]
        detail = ", ".join(
            f"{row.period} ({format_number(row.left)} &gt; {format_number(row.right or 0)})" for row in broken
        )
        rows.append(
            [
                Paragraph(text(f"{result.left.code} ≤ {result.right.code}"), s["cell"]),
                Paragraph(detail or text(_("none")), s["cell"]),
            ]
        )
    parts.append(Table(rows, colWidths=[40 * mm, width - 40 * mm], repeatRows=1, style=table_style()))
    return parts
