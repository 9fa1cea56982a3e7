"""The summary rows, the CSV and the XLSX against hand-worked numbers (see summary_fixtures)."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from indicators.figures.rollup import Status, compute
from indicators.models import Indicator
from reports.files import summary_csv, summary_xlsx
from reports.files.summary import build, make_summary
from reports.tests.summary_fixtures import END, INJECTIONS

YEAR_2021_TARGET = 12  # by-year sheet, column L: code, indicator + three groups (2018–2020) of 3 + 1


def read_csv(content: bytes) -> dict[str, dict]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM that Excel needs for UTF-8
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    return {row["code"]: row for row in rows}


def read_xlsx(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def find_row(ws, code: str) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == code:
            return row
    raise AssertionError(f"{code} not on {ws.title}")


@pytest.mark.django_db
def test_summary_rows_carry_the_hand_worked_figures(entries):
    summary = make_summary(entries, 2021, "en", END)
    row = next(r for r in summary.rows if r.code == "1.a.1.1")
    assert (row.year_target, row.year_actual, row.year_achievement_pct) == (1000, 700, 70)
    assert (row.to_date_actual, row.to_date_achievement_pct) == (700, 14)
    assert row.plan_target == 5000
    assert row.status == Status.OFF_TRACK
    assert (row.program, row.activity, row.pillar) == ("1.a", "1.a.1", 1)
    pillar1 = summary.pillars[0]
    # 1.a.1.1 at 70 % and 1.b.2.1 at 2 ÷ 20 = 10 %, over the 10 indicators due in 2021: (70 + 10) ÷ 10
    assert pillar1.figure.indicators == 10
    assert pillar1.figure.achievement == 8
    # pillar 4: 4.a.1.1 is achieved, but due in 2018 (with 4.a.1.3), so neither is in the 2021 mean
    assert (summary.pillars[3].years[2018].indicators, summary.pillars[3].years[2021].indicators) == (5, 3)
    counts = summary.status_counts
    assert counts[Status.ON_TRACK] == 1  # 4.a.1.1
    assert counts[Status.OFF_TRACK] == 3  # 1.a.1.1, 2.b.1.3, 1.b.2.1
    assert counts[Status.UNTARGETED] == 1  # 2.b.1.2
    assert counts[Status.NO_DATA] == 47 - 5
    assert summary.cut_off.isoformat() == "2022-12-31"
    assert [h.narrative for h in summary.pillars[1].highlights] == ["@SUM(A1)", "-2+3", "+SUM(A1:A2)"]
    assert summary.quality.entries["submitted"] == 1
    assert len(summary.quality.no_data) == 42


@pytest.mark.django_db
def test_csv_has_the_header_and_hand_worked_values_with_dot_decimals(entries):
    rows = read_csv(build(entries, 2021, "csv", "id", END))
    assert list(next(iter(rows.values())).keys()) == summary_csv.COLUMNS
    assert len(rows) == 47
    count = rows["1.a.1.1"]
    assert count["year"] == "2021"
    assert (count["plan_target"], count["year_target"], count["year_actual"]) == ("5000", "1000", "700")
    assert (count["year_achievement_pct"], count["to_date_actual"], count["to_date_achievement_pct"]) == (
        "70",
        "700",
        "14",
    )
    assert count["status"] == "off_track"
    coverage = rows["1.b.2.1"]
    assert (coverage["year_target"], coverage["year_actual"], coverage["year_achievement_pct"]) == ("20", "2", "10")
    percent = rows["2.b.1.3"]
    assert (percent["year_actual"], percent["year_achievement_pct"]) == ("20", "40")
    milestone = rows["4.a.1.1"]
    assert milestone["to_date_achievement_pct"] == milestone["year_achievement_pct"] == "100"
    # a milestone's state in words, never a score in an actual column
    assert milestone["year_actual"] == milestone["to_date_actual"] == ""
    assert (milestone["year_state"], milestone["to_date_state"]) == ("achieved", "achieved")
    assert milestone["year_state_label"] == "Tercapai"  # Indonesian file
    # no achievement without an actual: a milestone without a state, an indicator without data
    assert rows["1.b.1.1"]["year_state"] == "" and rows["1.b.1.1"]["year_achievement_pct"] == ""
    assert rows["3.a.1.1"]["status"] == "no_data" and rows["3.a.1.1"]["year_actual"] == ""
    assert rows["3.a.1.1"]["year_achievement_pct"] == rows["3.a.1.1"]["to_date_achievement_pct"] == ""
    for row in rows.values():
        if row["year_actual"] == "" and row["year_state"] == "":
            assert row["year_achievement_pct"] == ""
        if row["to_date_actual"] == "" and row["to_date_state"] == "":
            assert row["to_date_achievement_pct"] == ""


@pytest.mark.django_db
def test_csv_neutralises_formulas_and_keeps_awkward_text(entries):
    awkward = 'Sosialisasi "aman", café –\nbaris kedua'
    Indicator.objects.filter(code="1.a.1.2").update(text_id=awkward)
    rows = read_csv(build(entries, 2021, "csv", "id", END))
    assert rows["1.a.1.2"]["indicator"] == awkward
    assert rows["2.b.1.2"]["narrative"] == "'@SUM(A1)"  # the latest narrative, defused
    assert rows["2.b.1.2"]["status"] == "untargeted"
    assert summary_csv.text("=1+2") == "'=1+2"
    assert summary_csv.text("-2+3") == "'-2+3"
    assert summary_csv.text("Kefamenanu") == "Kefamenanu"


@pytest.mark.django_db
def test_whole_plan_csv_leaves_the_year_columns_empty(entries):
    rows = read_csv(build(entries, None, "csv", "en", END))
    count = rows["1.a.1.1"]
    assert count["year"] == count["year_target"] == count["year_actual"] == ""
    assert (count["to_date_actual"], count["to_date_achievement_pct"]) == ("700", "14")
    assert count["indicator"].startswith("5,000 officials")  # the English text


@pytest.mark.django_db
def test_xlsx_sheets_numbers_percentages_and_frozen_headers(entries):
    book = read_xlsx(build(entries, 2021, "xlsx", "en", END))
    pillars = [name for n in range(1, 5) for name in (f"Pillar {n}", f"Pillar {n} by year")]
    assert book.sheetnames == ["Overview", "Highlights", *pillars, "Sex and age", "Kecamatan", "Completeness"]
    ws = book["Pillar 1 by year"]
    assert ws.freeze_panes == "C6"
    assert ws.cell(row=4, column=YEAR_2021_TARGET).value == "2021"
    assert [ws.cell(row=5, column=YEAR_2021_TARGET + i).value for i in range(3)] == ["Target", "Actual", "%"]
    row = find_row(ws, "1.a.1.1")
    target, actual, achievement = (ws.cell(row=row, column=YEAR_2021_TARGET + i) for i in range(3))
    assert (target.value, actual.value) == (1000, 700)
    assert target.data_type == "n" and actual.data_type == "n"
    assert achievement.value == pytest.approx(0.70)
    assert achievement.number_format == "0.0%"
    to_date = YEAR_2021_TARGET + 2 * 3  # after 2021 and 2022: the plan-to-date group
    assert ws.cell(row=4, column=to_date).value == "Plan to date"
    assert ws.cell(row=row, column=to_date + 1).value == 700
    assert ws.cell(row=row, column=to_date + 2).value == pytest.approx(0.14)
    # the pillar sheet: code, indicator, unit, agency, then 2021, the plan to date and both statuses
    pillar = book["Pillar 1"]
    assert [pillar.cell(row=4, column=c).value for c in (1, 2, 3, 4, 5, 8, 11, 12)] == [
        *["Code", "Indicator", "Unit", "Agency", "2021", "Plan to date", "Status 2021", "Status to date"]
    ]
    line = find_row(pillar, "1.a.1.1")
    assert [pillar.cell(row=line, column=c).value for c in range(3, 13)] == [
        *["people", "Disnakertrans", 1000, 700, pytest.approx(0.70), 5000, 700, pytest.approx(0.14)],
        *["Off track", "Off track"],
    ]
    # program and activity group rows precede the indicator
    assert ws.cell(row=row - 1, column=1).value == "1.a.1" and ws.cell(row=row - 2, column=1).value == "1.a"
    coverage = find_row(ws, "1.b.2.1")
    assert ws.cell(row=coverage, column=YEAR_2021_TARGET).value == 20
    assert ws.cell(row=coverage, column=YEAR_2021_TARGET + 2).value == pytest.approx(0.10)
    # a milestone in words, every year: 4.a.1.1 achieved in 2021, nothing reported before
    by_year = book["Pillar 4 by year"]
    milestone = find_row(by_year, "4.a.1.1")
    cells = [by_year.cell(row=milestone, column=YEAR_2021_TARGET + i).value for i in range(3)]
    assert cells == ["Achieved", "Achieved", pytest.approx(1.0)]
    cells_2018 = [by_year.cell(row=milestone, column=YEAR_2021_TARGET - 9 + i).value for i in range(3)]
    assert cells_2018 == ["Achieved", None, None]  # no state reported: no achievement shown

    overview = book["Overview"]
    assert overview.cell(row=6, column=1).value == 1  # pillar 1, its 2021 achievement in column I
    assert overview.cell(row=5, column=9).value == "2021 achievement"
    assert overview.cell(row=6, column=9).value == pytest.approx(0.08)
    assert overview.cell(row=6, column=9).number_format == "0.0%"
    assert overview.cell(row=6, column=10).value == 10

    kecamatan = book["Kecamatan"]
    assert len([c for c in kecamatan[4][3:] if c.value]) == 24  # every kecamatan of TTU
    row = find_row(kecamatan, "1.a.1.1")
    headers = [c.value for c in kecamatan[4]]
    assert kecamatan.cell(row=row, column=headers.index("Insana") + 1).value == 400
    sex = book["Sex and age"]
    row = find_row(sex, "1.a.1.1")
    assert [sex.cell(row=row, column=c).value for c in (3, 4)] == [150, 250]


@pytest.mark.django_db
def test_xlsx_narratives_never_become_formulas(entries):
    book = read_xlsx(build(entries, 2021, "xlsx", "en", END))
    found = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value}"
                if cell.value in INJECTIONS:
                    assert cell.data_type == "s"
                    found.append(cell.value)
    assert set(found) == set(INJECTIONS) - {"=1+2"}  # the three latest are the pillar's highlights; "@SUM…" twice


@pytest.mark.django_db
def test_csv_xlsx_and_dashboard_rollup_agree(entries):
    summary = make_summary(entries, 2021, "en", END)
    csv_rows = read_csv(summary_csv.render(summary))
    book = read_xlsx(summary_xlsx.render(summary))
    rollup = compute(entries, as_of=END)  # what the dashboard shows
    checked = 0
    for pillar in rollup.pillars:
        ws = book[f"Pillar {pillar.pillar.number} by year"]
        for item in pillar.indicators:
            figure = item.years[2021]
            row = csv_rows[item.code]
            xrow = find_row(ws, item.code)
            cells = [ws.cell(row=xrow, column=YEAR_2021_TARGET + i).value for i in range(3)]
            if figure.target_state:  # a milestone: its target and state in words
                with translation.override("en"):
                    assert cells[:2] == [figure.target_label, figure.state_label or None]
                assert (row["year_actual"], row["year_state"]) == ("", figure.state)
                if figure.state:
                    assert Decimal(row["year_achievement_pct"]) == figure.achievement
                    assert cells[2] == pytest.approx(float(figure.achievement) / 100)
                else:  # no state reported: neither file shows an achievement
                    assert row["year_achievement_pct"] == "" and cells[2] is None
                checked += 1
                continue
            for text, cell, value in zip(
                (row["year_target"], row["year_actual"], row["year_achievement_pct"]),
                cells,
                (figure.target, figure.actual, figure.shown_achievement),  # no achievement without an actual
                strict=True,
            ):
                if value is None:
                    assert text == "" and cell is None
                else:
                    assert Decimal(text) == round(value, 2)
                    expected = float(value) / 100 if cell is cells[2] else float(value)
                    assert cell == pytest.approx(expected)
            assert row["status"] == figure.status
            checked += 1
    assert checked == 47


@pytest.mark.django_db
def test_plan_without_entries_still_builds(plan):
    rows = read_csv(build(plan, 2019, "csv", "en", END))
    assert {row["status"] for row in rows.values()} == {"no_data"}
    book = read_xlsx(build(plan, None, "xlsx", "en", END))
    texts = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "No data yet: no verified entry has been recorded." in texts
    assert "No data yet: no verified entry names a kecamatan." in texts


@pytest.mark.django_db
def test_xlsx_breakdowns_cover_the_reports_year_only(entries):
    from indicators.tests.factories import entry

    # a 2019 entry with a split, in Insana: in the whole-plan file, not in the 2021 one
    entry("1.a.1.1", "2019S1", value=100, male=60, female=40, kecamatan="53.03.08")
    year = read_xlsx(build(entries, 2021, "xlsx", "en", END))
    whole = read_xlsx(build(entries, None, "xlsx", "en", END))
    for book, men, women, insana in ((year, 150, 250, 400), (whole, 150 + 60, 250 + 40, 400 + 100)):
        sex = book["Sex and age"]
        row = find_row(sex, "1.a.1.1")
        assert [sex.cell(row=row, column=c).value for c in (3, 4)] == [men, women]
        kecamatan = book["Kecamatan"]
        headers = [c.value for c in kecamatan[4]]
        assert kecamatan.cell(row=find_row(kecamatan, "1.a.1.1"), column=headers.index("Insana") + 1).value == insana
    assert year["Sex and age"]["A1"].value == "Sex and age split, 2021"
    assert whole["Sex and age"]["A1"].value == "Sex and age split, plan to date"
