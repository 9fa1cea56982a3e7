"""DHIS2 dataValueSets: the export (official values only, DHIS2's own layout), the import
(all or nothing, every bad value named) and the round trip through both."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from indicators.intake.dhis2 import Dhis2FileError, _pieces, import_values
from indicators.models import EntryStatus, ProgressEntry
from indicators.models.exchange import Dhis2Mapping
from indicators.tests.factories import entry
from reports.exchange import dhis2 as dhis2_export
from reports.files import summary

AS_OF = datetime.date(2023, 1, 1)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):  # the messages below are asserted in English
        yield  # after the plan: every figure final, whatever today is


def year_csv(plan) -> bytes:
    return summary.build(plan, 2021, "csv", "id", AS_OF)


@pytest.fixture
def year_2021(plan):
    """Verified entries of 2021 of every kind, and a submitted one that must stay out of the export.

    Only 2021 holds data, so that a database holding just this year's file has the same
    plan-to-date figures as this one (the year's summary shows them too).
    """
    entry("1.a.1.1", "2021S1", value=10, male=4, female=6, kecamatan="53.03.08")
    entry("1.a.1.1", "2021S1", value=5, kecamatan="53.03.08")
    entry("1.a.1.1", "2021S2", value=7, child=7)
    entry("1.a.1.1", "2021S2", value=99, status=EntryStatus.SUBMITTED)  # not official
    entry("2.b.1.3", "2021S1", numerator=3, denominator=4)
    entry("2.b.1.3", "2021S1", numerator=1, denominator=4)
    entry("1.b.2.1", "2021S1", kecamatan="53.03.01")
    entry("1.b.2.1", "2021S2", kecamatan="53.03.01")
    entry("1.b.1.1", "2021S2", milestone_status="in_progress", date="2021-08-01")
    entry("1.b.1.1", "2021S2", milestone_status="achieved", date="2021-11-30")
    entry("2.b.1.2", "2021S1", narrative="Rapat sinergi di Kefamenanu", date="2021-02-01")
    entry("2.b.1.2", "2021S1", narrative="Sinergi tercapai", date="2021-05-01")
    entry("4.a.5.1", "2021S1", value=1, date="2021-02-01")
    entry("4.a.5.1", "2021S1", value=2, date="2021-04-01")
    return plan


def _values(payload: bytes) -> list[tuple]:
    body = json.loads(payload)
    return [
        (v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"], v["value"]) for v in body["dataValues"]
    ]


@pytest.mark.django_db
def test_json_export_by_code(year_2021):
    entry("1.a.1.1", "2020S2", value=40)  # another year: not in 2021's file
    payload = dhis2_export.build(year_2021, 2021, "json", complete_date=datetime.date(2023, 1, 5))
    body = json.loads(payload)
    # dhis2-core's DataValueSet: the data set and the day it was complete; the id schemes are the
    # import's query parameters, never in the payload
    assert list(body) == ["dataSet", "completeDate", "dataValues"]
    assert (body["dataSet"], body["completeDate"]) == ("rad-ttu-2018-2022", "2023-01-05")
    assert {v["attributeOptionCombo"] for v in body["dataValues"]} == {"default"}
    assert _values(payload) == [
        # 10 + 5 at Kefamenanu in S1, sexes only where recorded (4 men, 6 women)
        ("1.a.1.1", "2021S1", "53.03.08", "default", "15"),
        ("1.a.1.1.SEX", "2021S1", "53.03.08", "L", "4"),
        ("1.a.1.1.SEX", "2021S1", "53.03.08", "P", "6"),
        # S2 without a kecamatan: the regency; the submitted 99 is left out
        ("1.a.1.1", "2021S2", "53.03", "default", "7"),
        ("1.a.1.1.AGE", "2021S2", "53.03", "ANAK", "7"),
        # milestone: the latest status of the semester, achieved = 100
        ("1.b.1.1", "2021S2", "53.03", "default", "100"),
        # coverage: reached in both semesters
        ("1.b.2.1", "2021S1", "53.03.01", "default", "1"),
        ("1.b.2.1", "2021S2", "53.03.01", "default", "1"),
        # qualitative: the latest narrative
        ("2.b.1.2", "2021S1", "53.03", "default", "Sinergi tercapai"),
        # percent: Σ numerator 3 + 1, Σ denominator 4 + 4
        ("2.b.1.3.NUM", "2021S1", "53.03", "default", "4"),
        ("2.b.1.3.DEN", "2021S1", "53.03", "default", "8"),
        # level: the latest count of secretariat staff in the semester (2, not 1 + 2)
        ("4.a.5.1", "2021S1", "53.03", "default", "2"),
    ]


@pytest.mark.django_db
def test_csv_export_in_dhis2_column_order(year_2021):
    rows = list(csv.reader(io.StringIO(dhis2_export.build(year_2021, 2021, "csv").decode())))
    assert rows[0] == [
        "dataElement",
        "period",
        "orgUnit",
        "categoryOptionCombo",
        "attributeOptionCombo",
        "value",
        "storedBy",
        "lastUpdated",
        "comment",
        "followUp",
    ]
    assert rows[1][:6] == ["1.a.1.1", "2021S1", "53.03.08", "default", "default", "15"]
    assert len(rows) == 13


@pytest.mark.django_db
def test_uid_export_needs_every_identifier_mapped(year_2021):
    with pytest.raises(dhis2_export.UnmappedError, match="1.a.1.1.SEX"):
        dhis2_export.build(year_2021, 2021, "json", "uid")
    uid = iter(f"A{n:010d}" for n in range(1, 100))
    for kind, codes in {
        "dataElement": [
            "1.a.1.1",
            "1.a.1.1.SEX",
            "1.a.1.1.AGE",
            "1.b.1.1",
            "1.b.2.1",
            "2.b.1.2",
            "2.b.1.3.NUM",
            "2.b.1.3.DEN",
            "4.a.5.1",
        ],
        "orgUnit": ["53.03", "53.03.08", "53.03.01"],
        "categoryOptionCombo": ["L", "P", "ANAK"],
    }.items():
        for code in codes:
            Dhis2Mapping.objects.create(kind=kind, code=code, uid=next(uid))
    values = _values(dhis2_export.build(year_2021, 2021, "json", "uid"))
    # 1.a.1.1 → A0000000001, 53.03.08 → A0000000011, L → A0000000013; the default combo is DHIS2's own uid
    assert values[0] == ("A0000000001", "2021S1", "A0000000011", "HllvX50cXC0", "15")
    assert values[1] == ("A0000000002", "2021S1", "A0000000011", "A0000000013", "4")


def _reimport(plan, payload: bytes, user) -> int:
    ProgressEntry.objects.all().delete()
    result = import_values(payload, plan=plan, user=user, status=EntryStatus.VERIFIED)
    assert result.ok, [str(p) for p in result.problems]
    return result.saved


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_keeps_the_years_summary(year_2021, personas, fmt):
    before = year_csv(year_2021)
    payload = dhis2_export.build(year_2021, 2021, fmt)
    _reimport(year_2021, payload, personas["admin"])
    assert year_csv(year_2021) == before
    # and exporting again gives the same file
    assert dhis2_export.build(year_2021, 2021, fmt) == payload


@pytest.mark.django_db
def test_round_trip_of_splits_that_do_not_fit_one_entry(plan, personas):
    # 15 people: sexes known for 10 of them, ages for 12 of them (different entries)
    entry("1.a.1.1", "2021S1", value=10, male=4, female=6)
    entry("1.a.1.1", "2021S1", value=5)
    entry("1.a.1.1", "2021S1", value=12, child=3, adult=9, date="2021-06-01")
    entry("1.a.1.1", "2021S1", value=3, male=3, female=0, child=0, adult=3, date="2021-06-02")
    before = year_csv(plan)
    payload = dhis2_export.build(plan, 2021, "json")
    _reimport(plan, payload, personas["admin"])
    assert year_csv(plan) == before
    assert dhis2_export.build(plan, 2021, "json") == payload


def test_pieces_add_up():
    # V=15, men 4, women 6, children 3, adults 9 (worked by hand with the north-west corner rule):
    # rows men 4 | women 6 | unknown 5; columns children 3 | adults 9 | unknown 3
    assert _pieces({"value": 15, "male": 4, "female": 6, "child": 3, "adult": 9}) == [
        {"value": 3, "male": 3, "child": 3},
        {"value": 1, "male": 1, "adult": 1},
        {"value": 6, "female": 6, "adult": 6},
        {"value": 2, "adult": 2},
        {"value": 3},
    ]
    # a split that fits the number stays one entry
    assert _pieces({"value": 10, "male": 4, "female": 6}) == [{"value": 10, "male": 4, "female": 6}]


BAD = {
    "dataValues": [
        {"dataElement": "1.a.1.1", "period": "2021S1", "orgUnit": "53.03.08", "value": "12"},
        {"dataElement": "9.z.9.9", "period": "2021S1", "orgUnit": "53.03", "value": "1"},
        {"dataElement": "1.a.1.1", "period": "2021", "orgUnit": "53.03", "value": "1"},
        {"dataElement": "1.a.1.1", "period": "2031S1", "orgUnit": "53.03", "value": "1"},
        {"dataElement": "1.a.1.1", "period": "2021S2", "orgUnit": "53.04.01", "value": "1"},
        {"dataElement": "1.a.1.1", "period": "2021S2", "orgUnit": "53.03", "value": "tiga"},
        {"dataElement": "1.b.1.1", "period": "2021S2", "orgUnit": "53.03", "value": "37"},
        {"dataElement": "1.b.2.1", "period": "2021S2", "orgUnit": "53.03", "value": "1"},
        {
            "dataElement": "1.a.1.1.SEX",
            "period": "2021S1",
            "orgUnit": "53.03.08",
            "categoryOptionCombo": "X",
            "value": "1",
        },
        {"dataElement": "1.a.1.1", "period": "2021S1", "orgUnit": "53.03.08", "value": "12"},
    ]
}


@pytest.mark.django_db
def test_import_names_every_bad_value_and_saves_nothing(plan, personas):
    result = import_values(json.dumps(BAD).encode(), plan=plan, user=personas["admin"])
    named = [(p.where, p.field) for p in result.problems]
    assert named == [
        ("value 2", "dataElement"),
        ("value 3", "period"),
        ("value 4", "period"),
        ("value 5", "orgUnit"),
        ("value 6", "value"),
        ("value 7", "value"),
        ("value 8", "orgUnit"),
        ("value 9", "categoryOptionCombo"),
        ("value 10", ""),  # repeats value 1
    ]
    assert ProgressEntry.objects.count() == 0


@pytest.mark.django_db
def test_parts_larger_than_the_number(plan, personas):
    data = {
        "dataValues": [
            {"dataElement": "1.a.1.1", "period": "2021S1", "orgUnit": "53.03", "value": "5"},
            {
                "dataElement": "1.a.1.1.SEX",
                "period": "2021S1",
                "orgUnit": "53.03",
                "categoryOptionCombo": "L",
                "value": "6",
            },
        ]
    }
    result = import_values(json.dumps(data).encode(), plan=plan, user=personas["admin"])
    assert [str(p) for p in result.problems] == [
        "value 1, value 2, value: The men and women (6) exceed the number (5)."
    ]
    assert ProgressEntry.objects.count() == 0


@pytest.mark.django_db
def test_commands_round_trip_and_dry_run(year_2021, personas, tmp_path, capsys):
    out = tmp_path / "ttu-2021.json"
    call_command("export_dhis2", "--year", "2021", "--format", "json", "--output", str(out))
    before = year_csv(year_2021)
    ProgressEntry.objects.all().delete()
    call_command("import_dhis2", str(out), "--dry-run", "--user", "admin")
    assert ProgressEntry.objects.count() == 0
    call_command("import_dhis2", str(out), "--status", "verified", "--user", "admin")
    assert year_csv(year_2021) == before
    assert set(ProgressEntry.objects.values_list("verified_by__username", flat=True)) == {"admin"}
    # importing the same file again is refused: the entries exist
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_dhis2", str(out), "--status", "verified", "--user", "admin")


@pytest.mark.django_db
def test_export_command_refuses_a_year_outside_the_plan(plan, tmp_path):
    with pytest.raises(CommandError, match="2030"):
        call_command("export_dhis2", "--year", "2030", "--output", str(tmp_path / "x.json"))


@pytest.mark.django_db
def test_import_refuses_a_person_of_another_regency_and_a_plan_not_open(plan, personas, tmp_path):
    """The spreadsheet import refused both; the DHIS2 import recorded Belu's entries as made and verified by
    TTU's administrator (`import_dhis2 --rad rad-belu-… --user admin`), and filled a closed plan."""
    from indicators.tests.plan_helpers import make_plan
    from programs.models import Plan

    belu = make_plan("rad-belu-2019-2023")
    data = json.dumps(
        {"dataValues": [{"dataElement": "1.a.1.1", "period": "2021S1", "orgUnit": "53.04", "value": "3"}]}
    ).encode()
    with pytest.raises(Dhis2FileError, match="admin cannot import into the plan “rad-belu-2019-2023”"):
        import_values(data, plan=belu, user=personas["admin"], status=EntryStatus.VERIFIED)
    path = tmp_path / "belu.json"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="another regency"):
        call_command("import_dhis2", str(path), "--rad", belu.code, "--user", "admin")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CLOSED)
    plan.refresh_from_db()
    ttu = json.dumps(
        {"dataValues": [{"dataElement": "1.a.1.1", "period": "2021S1", "orgUnit": "53.03", "value": "3"}]}
    ).encode()
    with pytest.raises(Dhis2FileError, match="closed"):
        import_values(ttu, plan=plan, user=personas["admin"])
    assert ProgressEntry.objects.count() == 0
