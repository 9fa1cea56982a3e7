"""`manage.py completeness`: the CSV and XLSX read back, with the numbers worked out by hand.

Disnakertrans has 10 indicators due in each semester of 2021 (see indicators/tests/test_completeness.py),
Disdukcapil 1, Bapelitbang 1 (its milestone, not yet achieved).
"""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from indicators.models import EntryStatus
from indicators.tests.factories import entry
from indicators.tests.test_completeness import dated


def rows_of(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.fixture
def reports_2021(plan):
    dated(entry("1.a.1.1", "2021S2", value=5, status=EntryStatus.SUBMITTED), "2022-01-05")  # on time
    dated(entry("1.a.1.2", "2021S2", value=5), "2022-03-01")  # late
    dated(entry("4.a.4.1", "2021S1", value=40), "2021-07-10")  # Disdukcapil, on time
    return plan


@pytest.mark.django_db
def test_csv(reports_2021, tmp_path):
    out = tmp_path / "c.csv"
    call_command("completeness", "--year", "2021", "--format", "csv", "--output", str(out), "--as-of", "2026-11-30")
    rows = rows_of(out)
    assert list(rows[0]) == ["agency", "period", "expected", "received", "on_time", "rate_pct"]
    by_key = {(r["agency"], r["period"]): r for r in rows}
    assert len(rows) == 6 * 2  # six agencies answer for indicators, two semesters
    assert by_key[("Disnakertrans", "2021S2")] == {
        "agency": "Disnakertrans",
        "period": "2021S2",
        "expected": "10",
        "received": "2",
        "on_time": "1",
        "rate_pct": "20.0",
    }
    assert by_key[("Disnakertrans", "2021S1")]["received"] == "0"
    assert by_key[("Disdukcapil", "2021S1")]["rate_pct"] == "100.0"
    assert by_key[("Disdukcapil", "2021S2")]["rate_pct"] == "0.0"


@pytest.mark.django_db
def test_xlsx_and_an_agency_with_nothing_due(reports_2021, tmp_path):
    dated(entry("4.c.1.1", "2020S2", milestone_status="achieved"), "2021-01-05")  # Bapelitbang: done in 2020
    out = tmp_path / "c.xlsx"
    call_command("completeness", "--year", "2021", "--format", "xlsx", "--output", str(out), "--as-of", "2026-11-30")
    sheet = openpyxl.load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["agency", "period", "expected", "received", "on_time", "rate_pct"]
    table = {(r[0], r[1]): r[2:] for r in values[1:]}
    assert table[("Bapelitbang", "2021S1")] == [0, 0, 0, None]  # nothing due: no rate at all
    assert table[("Disnakertrans", "2021S2")] == [10, 2, 1, 0.2]


@pytest.mark.django_db
def test_bad_input(plan, tmp_path):
    with pytest.raises(CommandError, match="outside the plan"):
        call_command("completeness", "--year", "2031", "--format", "csv", "--output", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="choose csv or xlsx"):
        call_command("completeness", "--year", "2021", "--format", "pdf", "--output", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()
