"""Every kind in the files and on the dashboard: the XLSX kecamatan sheet shows exactly the dashboard's
kecamatan figures, levels are the latest number, milestones are words; and the workbook prints like the PDF."""

import csv
import io

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import RAD
from indicators.models import Indicator, Kind
from indicators.tests.factories import entry
from reports.files.summary import build
from reports.tests.chart_csv import chart_rows
from reports.tests.summary_fixtures import END
from tptto_monitor.lib.xlsx import NAVY

# one indicator of every kind, each with work in Insana (53.03.08) and some in Noemuti (53.03.04)
EVERY_KIND = {
    "1.a.1.1": Kind.COUNT,
    "1.b.2.1": Kind.COVERAGE,
    "2.b.1.3": Kind.PERCENT,
    "1.b.1.1": Kind.MILESTONE,
    "2.c.1.1": Kind.PERIODIC,
    "2.a.1.2": Kind.LEVEL,
    "2.d.1.1": Kind.TRACKED,
    "3.d.1.1": Kind.QUALITATIVE,
}


@pytest.fixture
def every_kind(plan):
    entry("1.a.1.1", "2019S1", value=300, kecamatan="53.03.08")
    entry("1.a.1.1", "2020S1", value=200, kecamatan="53.03.08")
    entry("1.a.1.1", "2020S1", value=100, kecamatan="53.03.04")
    entry("1.b.2.1", "2019S1", kecamatan="53.03.08")
    entry("1.b.2.1", "2020S2", kecamatan="53.03.08")
    entry("2.b.1.3", "2019S1", numerator=3, denominator=4, kecamatan="53.03.08")
    entry("2.b.1.3", "2020S1", numerator=1, denominator=16, kecamatan="53.03.08")
    entry("1.b.1.1", "2019S1", milestone_status="in_progress", kecamatan="53.03.08")  # the import allows a place
    entry("1.b.1.1", "2021S1", milestone_status="achieved", kecamatan="53.03.08")
    entry("2.c.1.1", "2019S1", value=1, kecamatan="53.03.04")
    entry("2.a.1.2", "2019S2", value=1, kecamatan="53.03.05")
    entry("2.a.1.2", "2021S2", value=2, kecamatan="53.03.05")
    entry("2.d.1.1", "2019S1", value=12, kecamatan="53.03.08")
    entry("3.d.1.1", "2019S1", narrative="Rapat koordinasi APH.", kecamatan="53.03.08")
    return plan


def dashboard_kecamatan(client, code: str) -> tuple[str, dict[str, str]]:
    """The indicator page's kecamatan table, as its CSV: (its last column's name, kecamatan code → value)."""
    body = client.get(f"{RAD}/dashboard/indicator/{code}/?csv=kecamatan", HTTP_ACCEPT_LANGUAGE="en").content
    rows = chart_rows(body)
    return rows[0][-1], {row[0]: row[-1] for row in rows[1:]}


@pytest.mark.django_db
def test_xlsx_kecamatan_sheet_equals_the_dashboards_kecamatan_figures_for_every_kind(every_kind, client_for, personas):
    assert {Indicator.objects.get(code=code).kind for code in EVERY_KIND} == set(Kind.values)
    client = client_for(personas["reviewer"])
    book = openpyxl.load_workbook(io.BytesIO(build(every_kind, None, "xlsx", "en", END)))
    sheet = book["Kecamatan"]
    names = [cell.value for cell in sheet[4]]
    codes = {r.name: r.code for r in every_kind.region.children.all()}
    compared = 0
    for code in EVERY_KIND:
        measure, figures = dashboard_kecamatan(client, code)
        row = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == code)
        assert sheet.cell(row=row, column=3).value == measure  # "Total", "Percentage", … or "Entries"
        for column, name in enumerate(names[3:], 4):
            cell = sheet.cell(row=row, column=column).value
            shown = figures[codes[name]]
            if cell is None:  # nothing recorded there: the dashboard shows 0 (or – for a percentage)
                assert shown in ("0", "0.0", ""), (code, name, shown)
            else:
                assert float(shown) == pytest.approx(float(cell)), (code, name)
                compared += 1
    # by hand: count Insana 500, Noemuti 100; coverage Insana 1; percent Insana (3 + 1) ÷ (4 + 16) = 20;
    # periodic Noemuti 1; tracked Insana 12; and entries only for the milestone (2), level (2) and narrative (1)
    assert compared == 9
    assert dashboard_kecamatan(client, "1.a.1.1")[1]["53.03.08"] == "500"  # whole numbers written whole
    assert dashboard_kecamatan(client, "2.b.1.3")[1]["53.03.08"] == "20"
    for code in ("1.b.1.1", "2.a.1.2", "3.d.1.1"):  # no figure per kecamatan: entries, and named so
        measure, figures = dashboard_kecamatan(client, code)
        assert measure == "Entries"
    assert dashboard_kecamatan(client, "1.b.1.1")[1]["53.03.08"] == "2"


@pytest.mark.django_db
def test_levels_are_the_latest_number_and_milestones_words_in_every_file(every_kind):
    rows = {
        r["code"]: r for r in csv.DictReader(io.StringIO(build(every_kind, 2020, "csv", "en", END).decode("utf-8-sig")))
    }
    level = rows["2.a.1.2"]
    # the safe house: 1 reported in 2019S2, 2 in 2021S2; in 2020 there is still 1, against the level 1
    assert (level["year_target"], level["year_actual"], level["year_achievement_pct"]) == ("1", "1", "100")
    assert (level["to_date_actual"], level["to_date_achievement_pct"]) == ("2", "200")  # never 1 + 2
    milestone = rows["1.b.1.1"]
    assert (milestone["year_actual"], milestone["year_state_label"], milestone["year_achievement_pct"]) == (
        "",
        "In progress",
        "50",
    )
    book = openpyxl.load_workbook(io.BytesIO(build(every_kind, 2020, "xlsx", "en", END)))
    row = next(r for r in book["Pillar 1 by year"].iter_rows() if r[0].value == "1.b.1.1")
    # target, actual, % for 2018–2022 and the plan to date, after code and text
    groups = [[c.value for c in row[2 + 3 * i : 5 + 3 * i]] for i in range(6)]
    assert groups == [
        ["Achieved", None, None],  # nothing reported by the end of 2018: no achievement shown
        ["Achieved", "In progress", 0.5],
        ["Achieved", "In progress", 0.5],
        ["Achieved", "Achieved", 1],
        ["Achieved", "Achieved", 1],
        ["Achieved", "Achieved", 1],
    ]


LIBREOFFICE_UNITS_PER_PAGE = 104  # column width units on A4 landscape at 100 % (measured: soffice → PDF)


def printed_points(ws) -> float:
    """The size 11-point text prints at: a sheet fitted to the page's width shrinks by page width ÷ table
    width; a sheet cut into pages prints at its scale, and each page (title columns and its own) must fit."""
    widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1)]
    if ws.sheet_properties.pageSetUpPr.fitToPage:
        return 11 * min(1.0, LIBREOFFICE_UNITS_PER_PAGE / sum(widths))
    scale = ws.page_setup.scale / 100
    titles = openpyxl.utils.column_index_from_string(ws.print_title_cols.split(":")[1].lstrip("$"))
    edges = [0, *sorted(b.id for b in ws.col_breaks.brk), len(widths)]
    for first, last in zip(edges, edges[1:], strict=False):
        page = sum(widths[:titles]) + sum(widths[max(first, titles) : last])
        assert page * scale <= LIBREOFFICE_UNITS_PER_PAGE, (ws.title, first, last, page)
    return 11 * scale


@pytest.mark.django_db
def test_every_sheet_prints_like_the_pdf(every_kind):
    Indicator.objects.filter(code="1.a.1.1").update(text_en="A long indicator text " * 12)  # 264 characters
    book = openpyxl.load_workbook(io.BytesIO(build(every_kind, 2021, "xlsx", "en", END)))
    title_rows = {
        "Overview": None,
        "Highlights": "$4:$4",
        "Pillar 1": "$4:$5",
        "Sex and age": "$4:$4",
        "Kecamatan": "$4:$4",
    }
    cut = {"Pillar 1 by year", "Pillar 2 by year", "Pillar 3 by year", "Pillar 4 by year", "Kecamatan"}
    for ws in book.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), ws.title  # 9: A4
        if ws.title in cut:  # cut into pages at 80 %, the code and indicator on each
            assert ws.sheet_properties.pageSetUpPr.fitToPage is False and setup.scale == 80, ws.title
            assert ws.col_breaks.brk and ws.print_title_cols in ("$A:$B", "$A:$C"), ws.title
        else:
            assert (setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
        assert ws.print_title_rows or ws.title == "Overview", ws.title  # the header rows on every printed page
        assert printed_points(ws) >= 8, ws.title
        if ws.title in title_rows:
            assert ws.print_title_rows == title_rows[ws.title]
    pillar = book["Pillar 1"]
    row = next(r for r in range(1, pillar.max_row + 1) if pillar.cell(row=r, column=1).value == "1.a.1.1")
    # 264 characters in a column 36 wide: 8 lines of 11-point text, about 15 points each
    assert pillar.row_dimensions[row].height >= 8 * 14.8
    # a note under the table is a paragraph across the table, wrapped, not a line running off the page
    note = next(
        r for r in range(row, pillar.max_row + 1) if str(pillar.cell(row=r, column=1).value).startswith("Coverage")
    )
    assert any(rng.min_row == note and rng.min_col == 1 and rng.max_col > 5 for rng in pillar.merged_cells.ranges)
    assert pillar.cell(row=note, column=1).alignment.wrap_text


@pytest.mark.django_db
def test_build_checks_its_arguments_and_the_csv_looks_up_no_highlights(plan, monkeypatch):
    from reports.files import summary

    for year, fmt, language in [(2017, "csv", "en"), (2021, "doc", "en"), (2021, "csv", "fr")]:
        with pytest.raises(ValueError):
            build(plan, year, fmt, language, END)

    def no_highlights(*args, **kwargs):
        raise AssertionError("the CSV prints no highlights, so it must not look them up")

    monkeypatch.setattr(summary, "highlights", no_highlights)
    assert build(plan, 2021, "csv", "en", END).startswith(b"\xef\xbb\xbfcode,")
    with pytest.raises(AssertionError, match="no highlights"):
        build(plan, 2021, "xlsx", "en", END)


def header_rows(ws) -> set[int]:
    """The rows of a sheet's table headers: white bold text on the navy fill."""
    return {cell.row for row in ws.iter_rows() for cell in row if cell.fill.fgColor.rgb == "00" + NAVY}


@pytest.mark.django_db
def test_each_sheet_prints_its_own_tables_header_and_no_other(every_kind):
    """Printed, the rows repeated at the top of every page are the header of the sheet's one table: a sheet
    of several tables (the overview: pillars, statuses, data quality) repeats none, and the highlights, a
    table of their own that runs over pages, get a sheet whose header they repeat (they were under the
    overview's pillar header on its second page)."""
    for number in range(12):  # twelve long narratives: the highlights run to a second page
        entry("1.a.1.1", "2021S1", value=1, narrative=f"Highlight {number}. " + "Sosialisasi di desa. " * 30)
    book = openpyxl.load_workbook(io.BytesIO(build(every_kind, 2021, "xlsx", "en", END)))
    pillars = {f"Pillar {n}": "$4:$5" for n in range(1, 5)} | {f"Pillar {n} by year": "$4:$5" for n in range(1, 5)}
    expected = {
        "Overview": None,
        "Highlights": "$4:$4",
        **pillars,
        "Sex and age": "$4:$4",
        "Kecamatan": "$4:$4",
        "Completeness": "$1:$1",
    }
    assert {ws.title: ws.print_title_rows for ws in book.worksheets} == expected
    for ws in book.worksheets:
        if ws.print_title_rows:  # every header row of the sheet is among its print titles
            first, last = (int(part.lstrip("$")) for part in ws.print_title_rows.split(":"))
            assert header_rows(ws) <= set(range(first, last + 1)), ws.title
    assert len(header_rows(book["Overview"])) > 1  # its tables' headers: none printed over another table
    highlights = book["Highlights"]
    assert [c.value for c in highlights[4]] == ["Code", "Narrative", "Period", "Agency", "Kecamatan"]
    assert sum(1 for r in highlights.iter_rows(min_row=5) if str(r[1].value).startswith("Highlight")) >= 3
