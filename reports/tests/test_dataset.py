"""The analysis dataset: tidy rows from the rollup's figures, as CSV and XLSX read back, and
who may download it."""

import csv
import datetime
import io

import openpyxl
import pandas as pd
import pytest
from django.core.management import call_command

from conftest import rad_url
from indicators.models import EntryStatus
from indicators.tests.factories import entry
from reports.exchange import dataset

AS_OF = datetime.date(2023, 1, 1)


@pytest.fixture
def data(plan):
    entry("1.a.1.1", "2021S1", value=10, male=4, female=6, kecamatan="53.03.08")
    entry("1.a.1.1", "2021S2", value=5)
    entry("1.a.1.1", "2021S2", value=7, status=EntryStatus.SUBMITTED, kecamatan="53.03.01")
    entry("1.b.1.1", "2022S1", milestone_status="in_progress")
    return plan


def _pick(frame, **where):
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return rows


@pytest.mark.django_db
def test_rows_follow_the_rollup(data):
    frame = dataset.dataframe(data, AS_OF, "en")
    assert list(frame.columns) == dataset.COLUMNS
    people = _pick(frame, indicator_code="1.a.1.1", area_level="kabupaten", disaggregation="total")
    year = _pick(people, period="2021", official=True).iloc[0]
    # 2021 official: 10 + 5 = 15 of the year's 1,000 people, 2 entries
    assert (year["target"], year["value"], year["entries"], year["kind"], year["unit"]) == (
        1000,
        15,
        2,
        "count",
        "people",
    )
    # with the submitted 7: 22 in 3 entries
    assert tuple(_pick(people, period="2021", official=False).iloc[0][["value", "entries"]]) == (22, 3)
    # semesters: S1 10 of half the year's target, S2 5
    assert tuple(_pick(people, period="2021S1", official=True).iloc[0][["target", "value"]]) == (500, 10)
    assert _pick(people, period="2021S2", official=True).iloc[0]["value"] == 5
    # a year without reports is a row with no value
    assert pd.isna(_pick(people, period="2019", official=True).iloc[0]["value"])
    # the plan to date: 15 of 5,000
    assert tuple(_pick(people, period="2018-2022", official=True).iloc[0][["period_type", "target", "value"]]) == (
        "plan",
        5000,
        15,
    )
    # sexes where recorded: 4 men and 6 women in 2021; no age split was recorded
    split = _pick(frame, indicator_code="1.a.1.1", period="2021", official=True, area_level="kabupaten")
    assert dict(zip(split["disaggregation"], split["value"], strict=True)) == {"total": 15, "male": 4, "female": 6}
    # kecamatan: Kefamenanu (53.03.08) 10 officially; Insana's 7 only with submitted entries
    places = _pick(frame, indicator_code="1.a.1.1", period="2021", area_level="kecamatan")
    assert sorted(zip(places["area_code"], places["official"], places["value"], strict=True)) == [
        ("53.03.01", False, 7),
        ("53.03.08", False, 10),
        ("53.03.08", True, 10),
    ]
    assert set(places["target"].isna()) == {True}
    sop = _pick(frame, indicator_code="1.b.1.1", period="2022", official=True, area_level="kabupaten").iloc[0]
    assert (sop["value"], sop["text"]) == (50, "In progress")


@pytest.mark.django_db
def test_every_regency_period_is_there(data):
    frame = dataset.dataframe(data, AS_OF)
    totals = _pick(frame, area_level="kabupaten", disaggregation="total")
    # 47 indicators × (plan + 5 years + 10 semesters) × official or not
    assert len(totals) == 47 * 16 * 2


@pytest.mark.django_db
def test_csv_and_xlsx_read_back(data):
    text = dataset.build(data, "csv", AS_OF, "en").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(
        r for r in rows if r["indicator_code"] == "1.a.1.1" and r["period"] == "2021" and r["official"] == "True"
    )
    # whole numbers as whole numbers (not pandas' 1000.0); the area code stays a code
    assert (row["area_code"], row["target"], row["value"], row["entries"]) == ("53.03", "1000", "15", "2")
    assert not [r for r in rows for c in ("target", "value") if r[c].endswith(".0")]
    workbook = openpyxl.load_workbook(io.BytesIO(dataset.build(data, "xlsx", AS_OF, "en")), read_only=True)
    sheet = workbook["dataset"]
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == dataset.COLUMNS
    assert len(cells) == len(rows) + 1
    first = dict(zip(cells[0], cells[1], strict=True))
    assert (first["indicator_code"], first["period"], first["official"], first["target"]) == (
        "1.a.1.1",
        "2018-2022",
        True,
        5000,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona, status",
    [("reviewer", 200), ("executive", 200), ("verifier", 200), ("admin", 200), ("officer_a", 403), ("outsider", 403)],
)
def test_download_by_role(client_for, personas, persona, status):
    response = client_for(personas[persona]).get(rad_url("reports:dataset", "csv"))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"] == 'attachment; filename="rad-ttu-2018-2022-dataset.csv"'
        assert response.content.decode("utf-8-sig").startswith(",".join(dataset.COLUMNS))


@pytest.mark.django_db
def test_download_unknown_format(client_for, personas):
    assert client_for(personas["reviewer"]).get(rad_url("reports:dataset", "pdf")).status_code == 404
    # another plan's address: no such plan
    assert client_for(personas["reviewer"]).get(rad_url("reports:dataset", "csv", rad="rad-x")).status_code == 404


@pytest.mark.django_db
def test_command(data, tmp_path):
    out = tmp_path / "dataset.xlsx"
    call_command("export_dataset", "--format", "xlsx", "--output", str(out), "--language", "en")
    sheet = openpyxl.load_workbook(out, read_only=True)["dataset"]
    assert next(sheet.iter_rows(values_only=True)) == tuple(dataset.COLUMNS)
