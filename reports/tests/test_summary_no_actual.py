"""No actual, no achievement: an indicator with a target and nothing reported shows an empty actual and no
achievement in every format of the summary (the CSV's empty cell, "–" in the PDF and DOCX, an empty cell in
the XLSX), never 0 % beside an empty actual. Files read back as a reader's tools read them."""

import re
import shutil
import subprocess

import pytest

from conftest import RAD, rad_url
from reports.files.summary import build
from reports.tests.chart_csv import chart_rows
from reports.tests.summary_fixtures import END, entries  # noqa: F401 (the fixture)
from reports.tests.test_summary_docx import docx_text
from reports.tests.test_summary_files import YEAR_2021_TARGET, find_row, read_csv, read_xlsx

# 1.a.1.2 (5,000 brochures, 1,000 a year) has no entry at all; 1.a.1.1 has 700 of its 1,000 in 2021 (70 %).
NOTHING, SOMETHING = "1.a.1.2", "1.a.1.1"


@pytest.mark.django_db
def test_csv_leaves_the_achievement_empty(entries):  # noqa: F811
    rows = read_csv(build(entries, 2021, "csv", "en", END))
    assert (rows[NOTHING]["year_target"], rows[NOTHING]["year_actual"]) == ("1000", "")
    assert rows[NOTHING]["year_achievement_pct"] == rows[NOTHING]["to_date_achievement_pct"] == ""
    assert rows[SOMETHING]["year_achievement_pct"] == "70"


@pytest.mark.django_db
def test_xlsx_leaves_the_achievement_cells_empty(entries):  # noqa: F811
    book = read_xlsx(build(entries, 2021, "xlsx", "en", END))
    pillar = book["Pillar 1"]  # code, indicator, unit, agency, then 2021 and the plan to date (Target, Actual, %)
    row = find_row(pillar, NOTHING)
    assert [pillar.cell(row=row, column=c).value for c in range(5, 11)] == [1000, None, None, 5000, None, None]
    assert pillar.cell(row=find_row(pillar, SOMETHING), column=7).value == pytest.approx(0.70)
    by_year = book["Pillar 1 by year"]  # every year from 2018, then the plan to date
    row = find_row(by_year, NOTHING)
    achievements = [by_year.cell(row=row, column=c).value for c in range(5, YEAR_2021_TARGET + 3 * 3, 3)]
    assert achievements == [None] * 6  # 2018 … 2022 and the plan to date
    assert by_year.cell(row=row, column=YEAR_2021_TARGET).value == 1000


@pytest.mark.django_db
def test_docx_shows_a_dash(entries):  # noqa: F811
    _paragraphs, tables = docx_text(build(entries, 2021, "docx", "en", END))
    lines = {row[0]: row for table in tables for row in table if row[0] in (NOTHING, SOMETHING)}
    # code, indicator, target, actual, achievement, status
    assert lines[NOTHING][2:] == ["1,000 brochures", "–", "–", "No data"]
    assert lines[SOMETHING][4] == "70 %"


@pytest.mark.django_db
def test_pdf_shows_a_dash(entries, tmp_path):  # noqa: F811
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    source = tmp_path / "summary.pdf"
    source.write_bytes(build(entries, 2021, "pdf", "en", END))
    text = subprocess.run(
        [pdftotext, "-layout", str(source), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    lines = [line.split() for line in text.splitlines()]
    table = [line for line in lines if line[:1] == [NOTHING] and len(line) > 4 and line[-2:] == ["No", "data"]]
    chart = [line for line in lines if line[:1] == [NOTHING] and len(line) <= 4]  # the bar's code and label
    # the pillar table's row: code, the indicator's first words, target, actual, achievement, status
    assert [row[-5:] for row in table] == [["1,000", "–", "–", "No", "data"]]
    assert chart == [[NOTHING, "No", "data"]]  # the bar is labelled with the status, not 0 %
    counted = [line for line in lines if line[:1] == [SOMETHING] and "track" in line]  # the off-track list has none
    assert [row[-5:] for row in counted] == [["700", "70", "%", "Off", "track"]]


@pytest.mark.django_db
def test_the_pages_show_a_dash_too(entries, client_for, personas):  # noqa: F811
    """The same rule on the pages: the indicator's dashboard card, the pillar's indicator table (its CSV),
    the indicator's page across plans and the figures beside its entries."""
    reviewer = client_for(personas["reviewer"])
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    body = reviewer.get(f"{RAD}/dashboard/indicator/{NOTHING}/?year=2021", **en).content.decode()
    assert re.search(r"Achievement</div><div class=\"fs-4\">–</div>", body)
    rows = {
        r[0]: r
        for r in chart_rows(reviewer.get(f"{RAD}/dashboard/pillar/1/?year=2021&csv=pillar-indicators", **en).content)
    }
    # code, indicator, target, actual, achievement, status (2021), actual, achievement, status (to date)
    assert (rows[NOTHING][3:5], rows[NOTHING][6:8]) == (["", ""], ["", ""])
    assert rows[SOMETHING][4] == "70"
    body = reviewer.get(rad_url("indicators:indicator", NOTHING), **en).content.decode()
    assert not re.search(r"(?<![\d.,])0(\.0)? %", body)
    officer = client_for(personas["officer_a"])
    body = officer.get(rad_url("indicators:indicator_entries", NOTHING), **en).content.decode()
    assert re.search(r"Achievement</dt><dd class=\"col-6\">–</dd>", body)
