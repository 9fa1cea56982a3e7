"""The summary as a printable A4 report, built with reportlab.

Cover, executive summary, one section per pillar (table and vector charts),
highlights from verified narratives, data quality and a note on method. The
charts are reportlab drawings of the same rollup figures as the tables, so
they stay sharp when printed. Text uses Bitstream Vera, which ships inside
reportlab and covers Indonesian and accents such as "é" and "–"; nothing is
needed from the system. Every text is escaped for reportlab's mini-markup.
"""

from __future__ import annotations

import io
import os
from decimal import Decimal
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import reportlab
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from indicators.figures.rollup import Status
from reports.files import cockpit_pdf
from tptto_monitor.lib.numbers import format_number

if TYPE_CHECKING:  # reports.files.summary imports the renderers
    from reports.files.summary import IndicatorRow, PillarSummary, Summary

FONT = "Vera"
FONT_BOLD = "Vera-Bold"
NAVY = colors.HexColor("#0b3d62")
LIGHT = colors.HexColor("#dce6f0")
FAINT = colors.HexColor("#f2f5f9")
GRID = colors.HexColor("#b7c3d0")
MUTED = colors.HexColor("#555555")
PILLAR_COLOURS = ["#0b3d62", "#2f7ebc", "#7fb3d5", "#e0a800", "#6c757d", "#198754"]
MARGIN = 18 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
NARRATIVE_CHARS = 600


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    faces = {FONT: "Vera.ttf", FONT_BOLD: "VeraBd.ttf", "Vera-Italic": "VeraIt.ttf", "Vera-BoldItalic": "VeraBI.ttf"}
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic="Vera-Italic", boldItalic="Vera-BoldItalic")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=4)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=7.8, leading=9.6, spaceAfter=0),
        "cell_right": ParagraphStyle("cell_right", base, fontSize=7.8, leading=9.6, spaceAfter=0, alignment=TA_RIGHT),
        "cell_head": ParagraphStyle(
            "cell_head", base, fontName=FONT_BOLD, fontSize=7.8, leading=9.6, spaceAfter=0, textColor=colors.white
        ),
        "message": ParagraphStyle("message", base, fontSize=10, leading=14, spaceAfter=0),
        "h1": ParagraphStyle(
            "h1", base, fontName=FONT_BOLD, fontSize=15, leading=19, textColor=NAVY, spaceBefore=6, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", base, fontName=FONT_BOLD, fontSize=11.5, leading=15, textColor=NAVY, spaceBefore=8, spaceAfter=4
        ),
        "cover_title": ParagraphStyle(
            "cover_title", base, fontName=FONT_BOLD, fontSize=22, leading=29, textColor=NAVY, alignment=TA_CENTER
        ),
        "cover_sub": ParagraphStyle("cover_sub", base, fontSize=12, leading=17, alignment=TA_CENTER),
        "cover_small": ParagraphStyle("cover_small", base, fontSize=9.5, leading=14, alignment=TA_CENTER),
    }


def text(value: str, limit: int | None = None) -> str:
    """Plain text made safe for a Paragraph: &, < and > escaped, line breaks kept."""
    value = (value or "").strip()
    if limit and len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def pct(value: Decimal | None) -> str:
    return "–" if value is None else f"{format_number(value, 1)} %"


class _Footer:
    """Draws the running header and the footer once the page count is known."""

    def __init__(self, summary: Summary):
        self.summary = summary

    def canvas_class(self):
        footer = self

        class NumberedCanvas(canvas.Canvas):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._pages = []

            def showPage(self):  # noqa: N802 (reportlab's name)
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                total = len(self._pages)
                for state in self._pages:
                    self.__dict__.update(state)
                    footer.draw(self, total)
                    super().showPage()
                super().save()

        return NumberedCanvas

    def draw(self, c: canvas.Canvas, total: int) -> None:
        summary = self.summary
        page = c.getPageNumber()
        c.saveState()
        c.setStrokeColor(GRID)
        c.setLineWidth(0.5)
        c.line(MARGIN, 14 * mm, PAGE_WIDTH - MARGIN, 14 * mm)
        c.setFont(FONT, 7.5)
        c.setFillColor(MUTED)
        c.drawString(
            MARGIN,
            10 * mm,
            _("Generated %(generated)s · data cut-off %(cut_off)s · verified entries only")
            % {"generated": summary.generated_at.strftime("%Y-%m-%d %H:%M"), "cut_off": summary.cut_off.isoformat()},
        )
        c.drawRightString(
            PAGE_WIDTH - MARGIN, 10 * mm, _("Page %(page)s of %(pages)s") % {"page": page, "pages": total}
        )
        if page > 1:
            c.drawString(MARGIN, PAGE_HEIGHT - 11 * mm, summary.short_title)
            c.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 11 * mm, summary.plan.region.name)
            c.line(MARGIN, PAGE_HEIGHT - 12.5 * mm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 12.5 * mm)
        c.restoreState()


def _cover_band(c: canvas.Canvas, doc) -> None:
    region = doc.summary.plan.region.name
    c.saveState()
    c.setFillColor(NAVY)
    c.rect(0, PAGE_HEIGHT - 38 * mm, PAGE_WIDTH, 38 * mm, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont(FONT_BOLD, 11)
    c.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 18 * mm, _("Task Force for the Prevention and Handling of TPPO"))
    c.setFont(FONT, 10)
    # "Kabupaten …" or "Kota …", as Kemendagri names it
    c.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 25 * mm, region)
    c.restoreState()


def _table_style(extra: list | None = None) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 7.8),
            ("BACKGROUND", (0, 0), (-1, 0), NAVY),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            *(extra or []),
        ]
    )


def _cover(summary: Summary, s: dict) -> list:
    plan = summary.plan
    parts = [
        Spacer(1, 45 * mm),
        Paragraph(text(summary.title), s["cover_title"]),
        Spacer(1, 10 * mm),
        Paragraph(text(plan.name), s["cover_sub"]),
        Spacer(1, 6 * mm),
        Paragraph(
            text(
                _("Reporting period: %(period)s") % {"period": summary.period_label}
                if summary.year
                else _("Reporting period: the whole plan, %(period)s") % {"period": summary.period_label}
            ),
            s["cover_sub"],
        ),
        Spacer(1, 30 * mm),
        Paragraph(
            text(
                _("Data cut-off: %(cut_off)s. Generated on %(generated)s by TPPO Monitor.")
                % {"cut_off": summary.cut_off.isoformat(), "generated": summary.generated_at.strftime("%Y-%m-%d %H:%M")}
            ),
            s["cover_small"],
        ),
        Paragraph(
            text(_("Official figures count verified entries only. No personal data of victims is included.")),
            s["cover_small"],
        ),
    ]
    if not summary.has_data:
        parts += [Spacer(1, 8 * mm), Paragraph(f"<b>{text(_('No data yet'))}</b>", s["cover_sub"])]
    if summary.demo:
        parts += [
            Spacer(1, 8 * mm),
            Paragraph(f"<font color='#b02a37'><b>{text(summary.demo_warning)}</b></font>", s["cover_sub"]),
        ]
    return parts


def _percent_axis(chart) -> None:
    """The value axis of an achievement chart: 0 to 100 % in steps of 25, with a faint grid."""
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d %%"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e3e8ee")


def _pillar_years_chart(summary: Summary) -> Drawing:
    """Grouped bars: each pillar's achievement for every year of the plan."""
    years = summary.plan.years
    drawing = Drawing(TEXT_WIDTH, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 28
    chart.width, chart.height = TEXT_WIDTH - 150, 62 * mm - 45
    chart.data = [
        [float(p.years[y].achievement) if p.years[y].achievement is not None else 0 for y in years]
        for p in summary.pillars
    ] or [[0] * len(years)]
    chart.categoryAxis.categoryNames = [str(y) for y in years]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    _percent_axis(chart)
    chart.barSpacing = 1
    chart.groupSpacing = 8
    for index in range(len(summary.pillars)):
        chart.bars[index].fillColor = colors.HexColor(PILLAR_COLOURS[index % len(PILLAR_COLOURS)])
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = TEXT_WIDTH - 110, 62 * mm - 20
    legend.fontName = FONT
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.columnMaximum = 8
    legend.colorNamePairs = [
        (colors.HexColor(PILLAR_COLOURS[i % len(PILLAR_COLOURS)]), f"{_('Pillar')} {p.number}")
        for i, p in enumerate(summary.pillars)
    ]
    drawing.add(legend)
    drawing.add(
        String(
            30, 6, _("Mean achievement of the pillar's due indicators, each capped at 100 %"), fontName=FONT, fontSize=7
        )
    )
    return drawing


def _indicator_chart(pillar: PillarSummary, period: str) -> Drawing | None:
    """Horizontal bars: each targeted indicator's achievement (capped at 100), coloured by status."""
    rows = [row for row in pillar.rows if row.is_targeted]
    if not rows:
        return None
    rows = list(reversed(rows))  # reportlab draws the first category at the bottom
    bar = 11
    height = len(rows) * bar + 48
    drawing = Drawing(TEXT_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 48, 30
    chart.width, chart.height = TEXT_WIDTH - 110, len(rows) * bar
    chart.data = [[float(row.figure.capped) for row in rows]]
    chart.categoryAxis.categoryNames = [row.code for row in rows]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    _percent_axis(chart)
    chart.barWidth = bar * 0.7
    chart.bars.strokeColor = None
    for index, row in enumerate(rows):
        chart.bars[(0, index)].fillColor = colors.HexColor(Status.COLOURS[row.status])
    drawing.add(chart)
    for index, row in enumerate(rows):
        y = chart.y + index * bar + bar / 2 - 2.5
        shown = row.figure.shown_achievement
        label = pct(shown) if shown is not None else row.status_label
        drawing.add(String(chart.x + chart.width + 4, y, label, fontName=FONT, fontSize=6.5))
    drawing.add(
        String(
            chart.x,
            4,
            _("Achievement %(period)s per indicator (bars stop at 100 %%; the label gives the full value)")
            % {"period": period},
            fontName=FONT,
            fontSize=7,
        )
    )
    return drawing


def _status_legend(s: dict) -> Table:
    cells = []
    for status in Status.ORDER:
        cells += ["", Paragraph(text(Status.label(status)), s["cell"])]
    table = Table([cells], colWidths=[4 * mm, 24 * mm] * len(Status.ORDER))
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 2)]
    for index, status in enumerate(Status.ORDER):
        style.append(("BACKGROUND", (2 * index, 0), (2 * index, 0), colors.HexColor(Status.COLOURS[status])))
    table.setStyle(TableStyle(style))
    return table


def _executive_summary(summary: Summary, s: dict) -> list:
    period = str(summary.year) if summary.year else _("plan to date")
    parts = [Paragraph(text(_("Executive summary")), s["h1"])]
    parts += _key_messages(summary, s)
    parts += _off_track(summary, s, period)
    intro = _(
        "This report sets out the progress of the Regional Action Plan against trafficking in persons for "
        "%(period)s. Every figure counts verified entries recorded up to %(cut_off)s."
    ) % {"period": summary.period_label, "cut_off": summary.cut_off.isoformat()}
    parts.append(Paragraph(text(intro), s["body"]))
    if summary.demo:
        parts.append(Paragraph(f"<font color='#b02a37'><b>{text(summary.demo_warning)}</b></font>", s["body"]))
    if not summary.has_data:
        parts.append(Paragraph(f"<b>{text(_('No data yet: no verified entry has been recorded.'))}</b>", s["body"]))

    head = [_("Pillar"), _("Achievement %(period)s") % {"period": period}, _("Indicators behind the mean")]
    if summary.year:
        head.append(_("Achievement, plan to date"))
    rows = [[Paragraph(text(h), s["cell_head"]) for h in head]]
    for pillar in summary.pillars:
        line = [
            Paragraph(f"<b>{pillar.number}.</b> {text(pillar.name)}", s["cell"]),
            Paragraph(pct(pillar.figure.achievement), s["cell_right"]),
            Paragraph(format_number(pillar.figure.indicators), s["cell_right"]),
        ]
        if summary.year:
            line.append(Paragraph(pct(pillar.to_date.achievement), s["cell_right"]))
        rows.append(line)
    widths = (
        [TEXT_WIDTH - 105 * mm, 35 * mm, 35 * mm, 35 * mm] if summary.year else [TEXT_WIDTH - 70 * mm] + [35 * mm] * 2
    )
    parts += [Table(rows, colWidths=widths, repeatRows=1, style=_table_style()), Spacer(1, 3 * mm)]
    parts.append(
        Paragraph(
            text(
                _(
                    "A pillar's achievement is the mean of its targeted indicators' achievements, each capped at "
                    "100 %, over the indicators due in the period; the number of indicators behind each mean is given."
                )
            ),
            s["small"],
        )
    )

    counts = summary.status_counts
    parts.append(Paragraph(text(_("Indicators by status, %(period)s") % {"period": period}), s["h2"]))
    status_rows = [[Paragraph(text(_("Status")), s["cell_head"]), Paragraph(text(_("Indicators")), s["cell_head"])]]
    style = []
    for index, status in enumerate(Status.ORDER, 1):
        status_rows.append(
            [
                Paragraph(text(Status.label(status)), s["cell"]),
                Paragraph(format_number(counts[status]), s["cell_right"]),
            ]
        )
        style.append(("LINEBEFORE", (0, index), (0, index), 4, colors.HexColor(Status.COLOURS[status])))
    parts.append(Table(status_rows, colWidths=[60 * mm, 30 * mm], style=_table_style(style), hAlign="LEFT"))
    parts.append(Spacer(1, 2 * mm))
    parts.append(
        Paragraph(
            text(
                _(
                    "On track: at least 85 % of the target due so far; behind: 50–85 %; off track: under 50 %; "
                    "no data: no verified entry yet; no target: the indicator is tracked without a target."
                )
            ),
            s["small"],
        )
    )
    parts.append(
        KeepTogether([Paragraph(text(_("Achievement by pillar and year")), s["h2"]), _pillar_years_chart(summary)])
    )
    return parts


def _key_messages(summary: Summary, s: dict) -> list:
    """The message in sentences (reports.files.sentences), set apart in a shaded box."""
    lines = [Paragraph(f"• {text(line)}", s["message"]) for line in summary.sentences]
    box = Table([[line] for line in lines], colWidths=[TEXT_WIDTH])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), FAINT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, NAVY),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [box, Spacer(1, 4 * mm)]


def _off_track(summary: Summary, s: dict, period: str) -> list:
    rows = summary.off_track
    title = _("Indicators off track, %(period)s (%(count)s)") % {"period": period, "count": len(rows)}
    parts = [Paragraph(text(title), s["h2"])]
    if not rows:
        return [*parts, Paragraph(text(_("No indicator is off track.")), s["body"])]
    head = [_("Code"), _("Indicator"), _("Agency"), _("Target"), _("Actual"), _("Achievement")]
    table = [[Paragraph(text(h), s["cell_head"]) for h in head]]
    for row in rows:
        table.append(
            [
                Paragraph(text(row.code), s["cell"]),
                Paragraph(text(row.indicator, 160), s["cell"]),
                Paragraph(text(row.agency), s["cell"]),
                _figure_cell(row, row.figure.target, s, row.figure.target_label),
                _figure_cell(row, row.figure.actual, s, row.figure.state_label),
                Paragraph(pct(row.figure.shown_achievement), s["cell_right"]),
            ]
        )
    widths = [15 * mm, TEXT_WIDTH - 115 * mm, 30 * mm, 21 * mm, 21 * mm, 28 * mm]
    parts.append(Table(table, colWidths=widths, repeatRows=1, style=_table_style()))
    return [*parts, Spacer(1, 4 * mm)]


def _figure_cell(row: IndicatorRow, value: Decimal | None, s: dict, words: str = "") -> Paragraph:
    """A number with its unit, or (a milestone's target and state) words."""
    if words:
        return Paragraph(text(words), s["cell_right"])
    if value is None:
        return Paragraph("–", s["cell_right"])
    unit = f"<br/><font size=6 color='#555555'>{text(row.unit)}</font>" if row.unit else ""
    return Paragraph(format_number(value) + unit, s["cell_right"])


def _pillar_section(summary: Summary, pillar: PillarSummary, s: dict) -> list:
    period = str(summary.year) if summary.year else _("plan to date")
    parts = [Paragraph(text(f"{_('Pillar')} {pillar.number}. {pillar.name}"), s["h1"])]
    if pillar.figure.achievement is None:
        line = _("Achievement %(period)s: no targeted indicator is due.") % {"period": period}
    else:
        line = _("Achievement %(period)s: %(achievement)s, the mean of %(count)s targeted indicators.") % {
            "period": period,
            "achievement": pct(pillar.figure.achievement),
            "count": pillar.figure.indicators,
        }
    parts.append(Paragraph(text(line), s["body"]))
    if not any(row.to_date.entries for row in pillar.rows):
        parts.append(Paragraph(f"<b>{text(_('No data yet'))}</b>", s["body"]))
    elif (chart := _indicator_chart(pillar, period)) is not None:
        parts += [chart, _status_legend(s), Spacer(1, 4 * mm)]

    head = [_("Code"), _("Indicator"), _("Target"), _("Actual"), _("Achievement"), _("Status")]
    rows = [[Paragraph(text(h), s["cell_head"]) for h in head]]
    style = []
    for program, _activities in pillar.programs:
        rows.append(
            [Paragraph(f"<b>{text(program.code)}</b>", s["cell"]), Paragraph(f"<b>{text(program.name)}</b>", s["cell"])]
        )
        style += [
            ("SPAN", (1, len(rows) - 1), (-1, len(rows) - 1)),
            ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), LIGHT),
        ]
        for row in program.rows:
            label = text(row.indicator)
            if row.narrative:
                label += f"<br/><font size=6.8 color='#555555'><i>{text(row.narrative, 300)}</i></font>"
            rows.append(
                [
                    Paragraph(text(row.code), s["cell"]),
                    Paragraph(label, s["cell"]),
                    _figure_cell(row, row.figure.target, s, row.figure.target_label),
                    _figure_cell(row, row.figure.actual, s, row.figure.state_label),
                    Paragraph(pct(row.figure.shown_achievement), s["cell_right"]),
                    Paragraph(
                        f"<font color='{Status.COLOURS[row.status]}'><b>{text(row.status_label)}</b></font>", s["cell"]
                    ),
                ]
            )
    widths = [15 * mm, TEXT_WIDTH - 102 * mm, 19 * mm, 21 * mm, 25 * mm, 22 * mm]
    parts.append(Table(rows, colWidths=widths, repeatRows=1, style=_table_style(style)))
    if summary.year is not None:
        parts += _narrative(summary, pillar, s)
    return parts


def _narrative(summary: Summary, pillar: PillarSummary, s: dict) -> list:
    """The secretariat's words on the pillar's year: achievements, obstacles, follow-up."""
    title = Paragraph(text(_("The secretariat's narrative, %(year)s") % {"year": summary.year}), s["h2"])
    narrative = pillar.narrative
    if narrative is None or narrative.is_empty:
        return [title, Paragraph(text(_("No narrative has been written for this year.")), s["small"])]
    parts = [title]
    for part, label in summary.narrative_labels:
        written = getattr(narrative, part).strip()
        parts.append(Paragraph(f"<b>{text(label)}</b>", s["body"]))
        parts.append(Paragraph(text(written) if written else f"<i>{text(_('Not written yet.'))}</i>", s["body"]))
    return [KeepTogether(parts[:3]), *parts[3:]]


def _highlights(summary: Summary, s: dict) -> list:
    parts = [Paragraph(text(_("Highlights")), s["h1"])]
    parts.append(Paragraph(text(_("The latest narratives of verified entries, a few per pillar.")), s["small"]))
    for pillar in summary.pillars:
        block = [Paragraph(text(f"{_('Pillar')} {pillar.number}. {pillar.name}"), s["h2"])]
        if not pillar.highlights:
            block.append(Paragraph(text(_("No data yet")), s["body"]))
        for item in pillar.highlights:
            where = " · ".join(x for x in [item.code, str(item.period), item.agency, item.kecamatan] if x)
            block.append(Paragraph(f"<b>{text(where)}</b><br/>{text(item.narrative, NARRATIVE_CHARS)}", s["body"]))
        parts.append(KeepTogether(block[:2]))
        parts += block[2:]
    return parts


def _data_quality(summary: Summary, s: dict) -> list:
    quality = summary.quality
    period = str(summary.year) if summary.year else _("plan to date")
    parts = [Paragraph(text(_("Data quality")), s["h1"])]
    parts.append(Paragraph(text(_("Entries on the whole plan by workflow status")), s["h2"]))
    rows = [[Paragraph(text(_("Status")), s["cell_head"]), Paragraph(text(_("Entries")), s["cell_head"])]]
    for key, label in [
        ("verified", _("Verified (the only entries counted in the figures)")),
        ("submitted", _("Submitted, awaiting verification")),
        ("returned", _("Returned for correction")),
        ("draft", _("Draft")),
    ]:
        rows.append(
            [Paragraph(text(label), s["cell"]), Paragraph(format_number(quality.entries.get(key, 0)), s["cell_right"])]
        )
    parts.append(Table(rows, colWidths=[80 * mm, 30 * mm], style=_table_style(), hAlign="LEFT"))

    parts.append(
        Paragraph(
            text(
                _("Indicators without data, %(period)s (%(count)s)") % {"period": period, "count": len(quality.no_data)}
            ),
            s["h2"],
        )
    )
    if quality.no_data:
        rows = [
            [
                Paragraph(text(_("Code")), s["cell_head"]),
                Paragraph(text(_("Indicator")), s["cell_head"]),
                Paragraph(text(_("Agency")), s["cell_head"]),
            ]
        ]
        for row in quality.no_data:
            rows.append(
                [
                    Paragraph(text(row.code), s["cell"]),
                    Paragraph(text(row.indicator, 160), s["cell"]),
                    Paragraph(text(row.agency), s["cell"]),
                ]
            )
        parts.append(
            Table(rows, colWidths=[14 * mm, TEXT_WIDTH - 49 * mm, 35 * mm], repeatRows=1, style=_table_style())
        )
    else:
        parts.append(Paragraph(text(_("Every indicator has verified data.")), s["body"]))

    parts.append(Paragraph(text(_("Agencies without a report in an elapsed semester")), s["h2"]))
    if quality.gaps:
        rows = [
            [
                Paragraph(text(_("Agency")), s["cell_head"]),
                Paragraph(text(_("Semesters without a submitted or verified entry")), s["cell_head"]),
            ]
        ]
        for gap in quality.gaps:
            rows.append(
                [
                    Paragraph(text(gap.agency), s["cell"]),
                    Paragraph(text(", ".join(str(p) for p in gap.periods)), s["cell"]),
                ]
            )
        parts.append(Table(rows, colWidths=[50 * mm, TEXT_WIDTH - 50 * mm], repeatRows=1, style=_table_style()))
    else:
        parts.append(Paragraph(text(_("Every agency reported in every elapsed semester.")), s["body"]))

    cockpit = {"text": text, "table_style": _table_style, "width": TEXT_WIDTH}
    parts += cockpit_pdf.completeness_section(summary, s, **cockpit)
    parts += cockpit_pdf.rules_section(summary, s, **cockpit)

    parts.append(CondPageBreak(50 * mm))
    parts.append(Paragraph(text(_("How the figures are computed")), s["h2"]))
    for line in summary.method:
        parts.append(Paragraph(text(line), s["small"]))
    return parts


def render(summary: Summary) -> bytes:
    _register_fonts()
    with translation.override(summary.language):
        s = _styles()
        out = io.BytesIO()
        doc = BaseDocTemplate(
            out,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=summary.title,
            author=_("TPPO Task Force, %(regency)s") % {"regency": summary.plan.region.name},
            subject=summary.plan.name,
            creator="TPPO Monitor",
        )
        doc.summary = summary  # for the cover band
        frame = Frame(MARGIN, MARGIN, TEXT_WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="body")
        doc.addPageTemplates([PageTemplate("cover", [frame], onPage=_cover_band), PageTemplate("body", [frame])])
        story = [*_cover(summary, s), NextPageTemplate("body"), PageBreak()]
        story += _executive_summary(summary, s)
        for pillar in summary.pillars:
            story += [PageBreak(), *_pillar_section(summary, pillar, s)]
        story += [PageBreak(), *_highlights(summary, s), PageBreak(), *_data_quality(summary, s)]
        doc.build(story, canvasmaker=_Footer(summary).canvas_class())
        return out.getvalue()
