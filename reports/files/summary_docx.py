"""The annual report as an editable Word document (DOCX), built with python-docx.

Government offices finish their annual report in a word processor: this file is the start of it. It
holds what the PDF holds for the Bupati (the cover, the message in sentences, the off-track indicators,
the pillar and status tables, each pillar's indicators) and, under each pillar, the secretariat's
narrative of the year. Built-in styles only (Title, Heading 1–3, List Bullet, Table Grid), so that the
office's own template and the navigation pane work on it; A4 with page numbers in the footer.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from indicators.figures.rollup import Figure, Status
from reports.files.sentences import pct
from tptto_monitor.lib.numbers import format_number

if TYPE_CHECKING:  # reports.files.summary imports the renderers
    from docx.document import Document as DocumentType
    from docx.table import Table, _Cell

    from reports.files.summary import IndicatorRow, PillarSummary, Summary

NAVY = RGBColor(0x0B, 0x3D, 0x62)
HEADER_SHADE = "DCE6F0"
LANGUAGE_TAGS = {"id": "id-ID", "en": "en-GB"}


def _setup(doc: DocumentType, summary: Summary) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    # the proofing language of the text, so that the word processor checks Indonesian as Indonesian
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), LANGUAGE_TAGS[summary.language])
    normal.element.get_or_add_rPr().append(language)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(f"{summary.short_title} · ")
    _page_number(footer)
    properties = doc.core_properties
    properties.title = summary.title
    properties.subject = summary.plan.name
    properties.author = _("TPPO Task Force, %(regency)s") % {"regency": summary.plan.region.name}
    properties.language = LANGUAGE_TAGS[summary.language]


def _page_number(paragraph) -> None:
    """A PAGE field: the word processor fills in each page's number."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _shade(cell: _Cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _table(doc: DocumentType, head: list[str], rows: list[list[str]], widths: list[float], right: set[int]) -> Table:
    """A grid table with a shaded header row repeated on every page; `right`: the columns of numbers."""
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for index, label in enumerate(head):
        cell = header.cells[index]
        cell.text = ""
        run = cell.paragraphs[0].add_run(label)
        run.bold = True
        _shade(cell, HEADER_SHADE)
    for values in rows:
        cells = table.add_row().cells
        for index, value in enumerate(values):
            cells[index].text = value
            if index in right:
                cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.autofit = False
    for index, width in enumerate(widths):  # the grid's widths, which LibreOffice reads, and each cell's (Word)
        table.columns[index].width = Cm(width)
    for row in table.rows:
        for index, width in enumerate(widths):
            row.cells[index].width = Cm(width)
            for paragraph in row.cells[index].paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    doc.add_paragraph()
    return table


def _figure_text(row: IndicatorRow, value: Decimal | None, words: str) -> str:
    if words:
        return words
    if value is None:
        return "–"
    return f"{format_number(value)} {row.unit}".strip()


def _cover(doc: DocumentType, summary: Summary) -> None:
    band = doc.add_paragraph()
    band.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = band.add_run(_("Task Force for the Prevention and Handling of TPPO"))
    run.bold, run.font.color.rgb = True, NAVY
    band.add_run("\n" + summary.plan.region.name)
    for _line in range(4):
        doc.add_paragraph()
    title = doc.add_paragraph(summary.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (
        summary.plan.name,
        _("Reporting period: %(period)s") % {"period": summary.period_label}
        if summary.year
        else _("Reporting period: the whole plan, %(period)s") % {"period": summary.period_label},
        _("Data cut-off: %(cut_off)s. Generated on %(generated)s by TPPO Monitor.")
        % {"cut_off": summary.cut_off.isoformat(), "generated": summary.generated_at.strftime("%Y-%m-%d %H:%M")},
        _("Official figures count verified entries only. No personal data of victims is included."),
    ):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if summary.demo:
        warning = doc.add_paragraph().add_run(summary.demo_warning)
        warning.bold, warning.font.color.rgb = True, RGBColor(0xB0, 0x2A, 0x37)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _executive_summary(doc: DocumentType, summary: Summary) -> None:
    period = str(summary.year) if summary.year else _("plan to date")
    doc.add_heading(_("Executive summary"), level=1)
    for line in summary.sentences:
        doc.add_paragraph(line, style="List Bullet")
    if not summary.has_data:
        doc.add_paragraph(_("No data yet: no verified entry has been recorded."))

    off_track = summary.off_track
    doc.add_heading(_("Indicators off track, %(period)s (%(count)s)") % {"period": period, "count": len(off_track)}, 2)
    if off_track:
        rows = [
            [
                row.code,
                row.indicator,
                row.agency,
                _figure_text(row, row.figure.target, row.figure.target_label),
                _figure_text(row, row.figure.actual, row.figure.state_label),
                pct(row.figure.shown_achievement),
            ]
            for row in off_track
        ]
        head = [_("Code"), _("Indicator"), _("Agency"), _("Target"), _("Actual"), _("Achievement")]
        _table(doc, head, rows, [1.6, 6.0, 2.6, 2.1, 2.1, 2.6], right={3, 4, 5})
    else:
        doc.add_paragraph(_("No indicator is off track."))

    doc.add_heading(_("Achievement by pillar"), level=2)
    head = [_("Pillar"), _("Achievement %(period)s") % {"period": period}, _("Indicators behind the mean")]
    if summary.year:
        head.append(_("Achievement, plan to date"))
    rows = []
    for pillar in summary.pillars:
        line = [
            f"{pillar.number}. {pillar.name}",
            pct(pillar.figure.achievement),
            format_number(pillar.figure.indicators),
        ]
        if summary.year:
            line.append(pct(pillar.to_date.achievement))
        rows.append(line)
    widths = [7.0, 3.3, 3.3, 3.4] if summary.year else [9.0, 4.0, 4.0]
    _table(doc, head, rows, widths, right=set(range(1, len(head))))
    doc.add_paragraph(
        _(
            "A pillar's achievement is the mean of its targeted indicators' achievements, each capped at "
            "100 %, over the indicators due in the period; the number of indicators behind each mean is given."
        )
    )

    doc.add_heading(_("Indicators by status, %(period)s") % {"period": period}, level=2)
    counts = summary.status_counts
    rows = [[Status.label(status), format_number(counts[status])] for status in Status.ORDER]
    _table(doc, [_("Status"), _("Indicators")], rows, [6.0, 3.0], right={1})


def _pillar_section(doc: DocumentType, summary: Summary, pillar: PillarSummary) -> None:
    period = str(summary.year) if summary.year else _("plan to date")
    # a page break of its own would leave an empty page after a full one
    doc.add_heading(f"{_('Pillar')} {pillar.number}. {pillar.name}", level=1).paragraph_format.page_break_before = True
    figure = pillar.figure
    if figure.achievement is None:
        line = _("Achievement %(period)s: no targeted indicator is due.") % {"period": period}
    else:
        line = _("Achievement %(period)s: %(achievement)s, the mean of %(count)s targeted indicators.") % {
            "period": period,
            "achievement": pct(figure.achievement),
            "count": figure.indicators,
        }
    doc.add_paragraph(line)
    rows = [_indicator_line(row, row.figure) for row in pillar.rows]
    head = [_("Code"), _("Indicator"), _("Target"), _("Actual"), _("Achievement"), _("Status")]
    _table(doc, head, rows, [1.5, 5.9, 2.2, 2.2, 2.4, 2.6], right={2, 3, 4})
    if summary.year is not None:
        _narrative(doc, summary, pillar)


def _indicator_line(row: IndicatorRow, figure: Figure) -> list[str]:
    text = row.indicator
    if row.narrative:
        text += f"\n{row.narrative[:300]}"
    return [
        row.code,
        text,
        _figure_text(row, figure.target, figure.target_label),
        _figure_text(row, figure.actual, figure.state_label),
        pct(figure.shown_achievement),
        Status.label(figure.status),
    ]


def _narrative(doc: DocumentType, summary: Summary, pillar: PillarSummary) -> None:
    doc.add_heading(_("The secretariat's narrative, %(year)s") % {"year": summary.year}, level=2)
    narrative = pillar.narrative
    if narrative is None or narrative.is_empty:
        doc.add_paragraph(_("No narrative has been written for this year."))
        return
    for part, label in summary.narrative_labels:
        doc.add_heading(label, level=3)
        written = getattr(narrative, part).strip()
        for paragraph in written.replace("\r\n", "\n").split("\n\n") if written else []:
            doc.add_paragraph(paragraph.strip())
        if not written:
            doc.add_paragraph().add_run(_("Not written yet.")).italic = True


def _method(doc: DocumentType, summary: Summary) -> None:
    doc.add_heading(_("How the figures are computed"), level=1).paragraph_format.page_break_before = True
    legend = _(
        "On track: at least 85 % of the target due so far; behind: 50–85 %; off track: under 50 %; "
        "no data: no verified entry yet; no target: the indicator is tracked without a target."
    )
    for line in [*summary.method, legend]:
        doc.add_paragraph(line)


def render(summary: Summary) -> bytes:
    with translation.override(summary.language):
        doc = Document()
        _setup(doc, summary)
        _cover(doc, summary)
        _executive_summary(doc, summary)
        for pillar in summary.pillars:
            _pillar_section(doc, summary, pillar)
        _method(doc, summary)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
