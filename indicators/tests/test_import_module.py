"""Spreadsheet import: a good file saves every row; one bad row saves nothing and is named."""

import datetime

import pytest
from django.utils import translation

from indicators.intake.progress import ImportFileError, import_file, read_rows
from indicators.models import EntryStatus, ProgressEntry
from indicators.tests.import_helpers import csv_bytes, xlsx
from programs.models import Agency, Region

COUNT_ROW = {
    "code": "1.a.1.1",
    "period": "2021S1",
    "kecamatan": "Insana",
    "value": 320,
    "male": 150,
    "female": 170,
    "date": "2021-03-15",
    "narrative": "Sosialisasi migrasi aman di balai desa.",
}


def officer_import(personas, plan, data, **kwargs):
    officer = personas["officer_a"]
    return import_file(
        data,
        plan=plan,
        user=officer,
        agency=officer.staff_profile.agency,
        agency_must_match=True,
        **kwargs,
    )


@pytest.mark.django_db
def test_a_good_xlsx_saves_every_row_as_drafts(plan, personas):
    rows = [
        COUNT_ROW,
        {"code": "1.b.1.1", "period": "2020S2", "status": "in_progress"},
        {"code": "2.d.1.1", "period": "2019s2", "kecamatan": "53.03.05", "value": 12, "child": 2, "adult": 10},
    ]
    result = officer_import(personas, plan, xlsx(rows))

    assert result.ok, [row.errors for row in result.rows]
    assert [row.row for row in result.rows] == [2, 3, 4]
    assert result.saved == 3
    disnakertrans = Agency.objects.get(code="disnakertrans")
    count = ProgressEntry.objects.get(indicator__code="1.a.1.1")
    assert (count.year, count.semester, count.date) == (2021, 1, datetime.date(2021, 3, 15))
    assert count.kecamatan.code == "53.03.08"
    assert (count.value, count.male, count.female, count.child, count.adult) == (320, 150, 170, None, None)
    assert count.narrative == "Sosialisasi migrasi aman di balai desa."
    assert count.status == EntryStatus.DRAFT
    assert count.agency == disnakertrans
    assert count.created_by == personas["officer_a"]
    assert count.is_demo is False

    milestone = ProgressEntry.objects.get(indicator__code="1.b.1.1")
    assert milestone.milestone_status == "in_progress"
    assert milestone.date == datetime.date(2020, 12, 31)  # empty date: last day of the period
    assert milestone.kecamatan is None
    assert milestone.value is None

    tracked = ProgressEntry.objects.get(indicator__code="2.d.1.1")
    assert (tracked.year, tracked.semester, tracked.kecamatan.name) == (2019, 2, "Kota Kefamenanu")
    assert (tracked.value, tracked.child, tracked.adult) == (12, 2, 10)
    # the audit trail has a creation record for each imported entry
    assert ProgressEntry.history.filter(history_type="+").count() == 3


@pytest.mark.django_db
def test_administrator_import_covers_every_kind_and_each_indicators_agency(plan, personas):
    admin = personas["admin"]
    rows = [
        {"code": "1.b.2.1", "period": "2018S2", "kecamatan": "biboki tanpah"},
        {"code": "2.b.1.3", "period": "2022S1", "numerator": 18, "denominator": 24, "date": "2022-05-02"},
        {"code": "2.c.1.1", "period": "2020S1", "value": 1},
        {"code": "3.d.1.1", "period": "2021S2", "narrative": "Rapat koordinasi APH berjalan rutin."},
        {"code": "2.a.1.2", "period": "2019S1", "value": 1},
    ]
    result = import_file(xlsx(rows), plan=plan, user=admin, status=EntryStatus.VERIFIED)

    assert result.ok, [row.errors for row in result.rows]
    assert ProgressEntry.objects.count() == 5
    coverage = ProgressEntry.objects.get(indicator__code="1.b.2.1")
    assert coverage.kecamatan.code == "53.03.22"  # 'Biboki Tan Pah'
    assert coverage.agency.code == "sekretariat"
    percent = ProgressEntry.objects.get(indicator__code="2.b.1.3")
    assert (percent.numerator, percent.denominator, percent.value) == (18, 24, None)
    qualitative = ProgressEntry.objects.get(indicator__code="3.d.1.1")
    assert qualitative.narrative == "Rapat koordinasi APH berjalan rutin."
    assert qualitative.date == datetime.date(2021, 12, 31)
    safe_house = ProgressEntry.objects.get(indicator__code="2.a.1.2")
    assert safe_house.agency.code == "dinsos"
    assert all(e.status == "verified" and e.verified_by == admin and e.verified_at for e in ProgressEntry.objects.all())
    assert all(e.submitted_by == admin for e in ProgressEntry.objects.all())


@pytest.mark.django_db
def test_dry_run_saves_nothing(plan, personas):
    result = officer_import(personas, plan, xlsx([COUNT_ROW]), dry_run=True)
    assert result.ok
    assert result.saved == 0
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
def test_csv_with_and_without_bom_and_any_column_order(plan, personas):
    header = ["Narrative", " PERIOD ", "code", "value", "kecamatan", "female", "male", "date"]
    for bom in (True, False):
        ProgressEntry.objects.all().delete()
        result = officer_import(personas, plan, csv_bytes([COUNT_ROW], header=header, bom=bom))
        assert result.ok, result.rows[0].errors
        entry = ProgressEntry.objects.get()
        assert (entry.value, entry.male, entry.female, entry.kecamatan.code) == (320, 150, 170, "53.03.08")


@pytest.mark.django_db
def test_semicolon_csv_from_an_indonesian_excel(plan, personas):
    data = b"code;period;value\r\n1.a.1.2;2020S1;400\r\n"
    result = officer_import(personas, plan, data)
    assert result.ok
    assert ProgressEntry.objects.get().value == 400


BAD_ROWS = {
    "unknown code": ({"code": "9.z.9.9", "period": "2021S1", "value": 3}, "code"),
    "period before the plan": ({**COUNT_ROW, "period": "2017S2", "date": ""}, "period"),
    "period after the plan": ({**COUNT_ROW, "period": "2023S1", "date": ""}, "period"),
    "period in the future": ({**COUNT_ROW, "period": "2099S1", "date": ""}, "period"),
    "period not a period": ({**COUNT_ROW, "period": "2021-1"}, "period"),
    "year without semester": ({**COUNT_ROW, "period": "2021"}, "period"),
    "negative number": ({**COUNT_ROW, "value": -5, "male": None, "female": None}, "value"),
    "not a whole number": ({**COUNT_ROW, "value": "3.5", "male": None, "female": None}, "value"),
    "text for a number": ({**COUNT_ROW, "value": "banyak", "male": None, "female": None}, "value"),
    "sex split not adding up": ({**COUNT_ROW, "male": 100, "female": 170}, "male"),
    "age split not adding up": ({**COUNT_ROW, "child": 20, "adult": 200}, "child"),
    "unknown kecamatan name": ({**COUNT_ROW, "kecamatan": "Atambua"}, "kecamatan"),
    "kecamatan outside TTU": ({**COUNT_ROW, "kecamatan": "53.04.01"}, "kecamatan"),
    "date outside the period": ({**COUNT_ROW, "date": "2021-08-01"}, "date"),
    "not a date": ({**COUNT_ROW, "date": "15/03/2021"}, "date"),
    "column the kind does not use": ({**COUNT_ROW, "numerator": 3}, "numerator"),
    "status on a count": ({**COUNT_ROW, "status": "achieved"}, "status"),
    "count without a number": ({"code": "1.a.1.2", "period": "2021S1"}, "value"),
    "milestone without status": ({"code": "1.b.1.1", "period": "2021S1"}, "status"),
    "milestone with an unknown status": ({"code": "1.b.1.1", "period": "2021S1", "status": "done"}, "status"),
    "another agency's indicator": ({"code": "2.a.1.2", "period": "2021S1", "value": 1}, "code"),
    "empty code": ({"period": "2021S1", "value": 1, "narrative": "x"}, "code"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_one_bad_row_saves_nothing_and_names_row_and_column(plan, personas, case):
    bad, column = BAD_ROWS[case]
    good = {"code": "1.a.1.3", "period": "2020S2", "value": 4}
    result = officer_import(personas, plan, xlsx([good, bad, {**good, "value": 5}]))

    assert not result.ok
    assert result.saved == 0
    assert not ProgressEntry.objects.exists()
    assert [row.row for row in result.bad_rows] == [3]
    assert column in [name for name, _message in result.bad_rows[0].errors]
    assert all(message for _column, message in result.bad_rows[0].errors)


@pytest.mark.django_db
def test_administrator_rows_for_percent_coverage_and_qualitative_are_checked(plan, personas):
    rows = [
        {"code": "2.b.1.3", "period": "2022S1", "numerator": 30, "denominator": 24},
        {"code": "1.b.2.1", "period": "2018S2"},
        {"code": "3.d.1.1", "period": "2021S2"},
        {"code": "2.b.1.3", "period": "2022S1", "numerator": 3},
    ]
    result = import_file(xlsx(rows), plan=plan, user=personas["admin"])
    columns = [[name for name, _message in row.errors] for row in result.rows]
    assert "numerator" in columns[0]  # more than 100 %
    assert "kecamatan" in columns[1]  # coverage needs a place
    assert "narrative" in columns[2]  # qualitative needs a narrative
    assert "denominator" in columns[3]
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
def test_duplicate_of_an_existing_entry_is_refused(plan, personas):
    assert officer_import(personas, plan, xlsx([COUNT_ROW])).saved == 1
    result = officer_import(personas, plan, xlsx([COUNT_ROW]))
    assert not result.ok
    assert result.rows[0].errors[0][0] == ""
    with translation.override("en"):
        result = officer_import(personas, plan, xlsx([COUNT_ROW]))
    assert "identical entry already exists" in result.rows[0].errors[0][1]
    assert ProgressEntry.objects.count() == 1


@pytest.mark.django_db
def test_duplicate_within_the_file_names_the_first_row(plan, personas):
    with translation.override("en"):
        result = officer_import(personas, plan, xlsx([COUNT_ROW, {**COUNT_ROW, "narrative": "other words"}]))
    assert [row.row for row in result.bad_rows] == [3]
    assert "repeats row 2" in result.bad_rows[0].errors[0][1]
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
def test_same_numbers_on_another_day_are_not_duplicates(plan, personas):
    result = officer_import(personas, plan, xlsx([COUNT_ROW, {**COUNT_ROW, "date": "2021-04-15"}]))
    assert result.ok
    assert result.saved == 2


@pytest.mark.django_db
def test_extra_column_is_named(plan, personas):
    header = ["code", "period", "value", "Nama Korban"]
    with translation.override("en"), pytest.raises(ImportFileError, match="Nama Korban"):
        read_rows(xlsx([{"code": "1.a.1.2"}], header=header))
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
def test_missing_required_column_is_named(plan, personas):
    with translation.override("en"), pytest.raises(ImportFileError, match="“period” is missing"):
        read_rows(xlsx([{"code": "1.a.1.2", "value": 3}], header=["code", "value"]))


@pytest.mark.django_db
def test_value_under_a_column_without_a_name_is_refused(plan):
    data = b"code,period,value,\r\n1.a.1.2,2020S1,4,surprise\r\n"
    with pytest.raises(ImportFileError):
        read_rows(data)


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff\xfe\x00c\x00o\x00d\x00e", b"PK\x03\x04not really a zip", b"%PDF-1.7 binary \x00\x01"],
)
def test_files_that_are_not_csv_or_xlsx_are_refused(data):
    with pytest.raises(ImportFileError):
        read_rows(data)


@pytest.mark.django_db
def test_blank_rows_are_skipped_and_numbering_follows_the_sheet(plan, personas):
    rows = [{"code": "1.a.1.2", "period": "2020S1", "value": 4}, {}, {"code": "9.9.9.9", "period": "2020S1"}]
    result = officer_import(personas, plan, xlsx(rows))
    assert [row.row for row in result.rows] == [2, 4]
    assert [row.row for row in result.bad_rows] == [4]


@pytest.mark.django_db
def test_kecamatan_names_ignore_case_and_spaces(plan, personas):
    rows = [{**COUNT_ROW, "kecamatan": " KOTA  kefamenanu "}, {**COUNT_ROW, "kecamatan": "Kecamatan Insana Utara"}]
    result = officer_import(personas, plan, xlsx(rows))
    assert result.ok, [row.errors for row in result.rows]
    codes = sorted(ProgressEntry.objects.values_list("kecamatan__code", flat=True))
    assert codes == ["53.03.05", "53.03.09"]
    assert Region.objects.get(code="53.03.09").name == "Insana Utara"


@pytest.mark.django_db
def test_the_documented_example_imports(plan, personas, settings):
    doc = (settings.BASE_DIR / "docs" / "import-format.md").read_text(encoding="utf-8")
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    result = officer_import(personas, plan, example.encode())
    assert result.ok, [row.errors for row in result.rows]
    assert result.saved == 3
    assert ProgressEntry.objects.get(indicator__code="1.b.1.1").date == datetime.date(2020, 12, 31)


@pytest.mark.django_db
def test_a_level_is_imported_with_its_number_only(plan, personas):
    """2.a.1.2, safe houses at Dinas Sosial: a level carries how many there are now, nothing else."""
    officer = personas["officer_b"]
    rows = [
        {"code": "2.a.1.2", "period": "2019S2", "value": 1, "date": "2019-10-01"},
        {"code": "2.a.1.2", "period": "2020S2", "value": 2},
    ]
    result = import_file(
        xlsx(rows), plan=plan, user=officer, agency=officer.staff_profile.agency, agency_must_match=True
    )
    assert result.ok, [row.errors for row in result.rows]
    assert sorted(ProgressEntry.objects.values_list("year", "value")) == [(2019, 1), (2020, 2)]

    bad = [
        {"code": "2.a.1.2", "period": "2021S1"},  # no number
        {"code": "2.a.1.2", "period": "2021S1", "value": 1, "numerator": 1, "denominator": 2},  # not a level's
    ]
    result = import_file(
        xlsx(bad), plan=plan, user=officer, agency=officer.staff_profile.agency, agency_must_match=True
    )
    assert not result.ok and result.saved == 0
    assert [(row.row, sorted(name for name, _m in row.errors)) for row in result.bad_rows] == [
        (2, ["value"]),
        (3, ["denominator", "numerator"]),
    ]
    assert ProgressEntry.objects.count() == 2
