"""`manage.py import_progress`: same rules as the web import, non-zero exit on any bad row."""

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from indicators.models import ProgressEntry
from indicators.tests.import_helpers import csv_bytes, xlsx

GOOD = [
    {"code": "1.a.1.2", "period": "2020S1", "value": 400},
    {"code": "2.a.1.2", "period": "2019S2", "value": 1, "kecamatan": "53.03.05"},
]


def run(path, *args):
    with translation.override("en"):
        out = io.StringIO()
        call_command("import_progress", str(path), *args, stdout=out)
        return out.getvalue()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "x")


@pytest.mark.django_db
def test_good_file_saves_as_submitted_to_each_indicators_agency(plan, superuser, tmp_path):
    path = tmp_path / "backlog.xlsx"
    path.write_bytes(xlsx(GOOD))
    out = run(path)
    assert "row 2: OK (1.a.1.2)" in out
    assert "row 3: OK (2.a.1.2)" in out
    brochures = ProgressEntry.objects.get(indicator__code="1.a.1.2")
    assert (brochures.agency.code, brochures.status, brochures.created_by) == ("disnakertrans", "submitted", superuser)
    assert brochures.submitted_by == superuser
    assert brochures.verified_by is None
    assert ProgressEntry.objects.get(indicator__code="2.a.1.2").agency.code == "dinsos"


@pytest.mark.django_db
def test_agency_and_verified_status(plan, superuser, tmp_path):
    path = tmp_path / "backlog.csv"
    path.write_bytes(csv_bytes(GOOD))
    run(path, "--agency", "sekretariat", "--status", "verified")
    assert set(ProgressEntry.objects.values_list("agency__code", "status", "verified_by")) == {
        ("sekretariat", "verified", superuser.pk)
    }


@pytest.mark.django_db
def test_user_option_names_who_imports(plan, personas, tmp_path):
    path = tmp_path / "backlog.csv"
    path.write_bytes(csv_bytes(GOOD))
    run(path, "--user", "admin", "--status", "verified")
    assert {e.verified_by for e in ProgressEntry.objects.all()} == {personas["admin"]}


@pytest.mark.django_db
def test_dry_run_saves_nothing(plan, superuser, tmp_path):
    path = tmp_path / "backlog.xlsx"
    path.write_bytes(xlsx(GOOD))
    out = run(path, "--dry-run")
    assert "Dry run" in out
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
def test_bad_row_exits_non_zero_and_saves_nothing(plan, superuser, tmp_path):
    path = tmp_path / "backlog.xlsx"
    path.write_bytes(xlsx([*GOOD, {"code": "1.a.1.2", "period": "2020S1", "value": -3}]))
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="1 of 3 rows have errors"):
        call_command("import_progress", str(path), stdout=out)
    assert "row 4: ERROR value" in out.getvalue()
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
def test_exit_code_is_non_zero_from_the_shell(plan, superuser, tmp_path):
    from django.core.management import ManagementUtility

    path = tmp_path / "backlog.csv"
    path.write_bytes(csv_bytes([{"code": "nope", "period": "2020S1"}]))
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "import_progress", str(path)]).execute()
    assert exit_info.value.code != 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [["--agency", "nope"], ["--status", "draft"], ["--user", "ghost"]],
)
def test_bad_options_are_refused(plan, superuser, tmp_path, args):
    path = tmp_path / "backlog.csv"
    path.write_bytes(csv_bytes(GOOD))
    with pytest.raises(CommandError):
        call_command("import_progress", str(path), *args)
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
def test_extra_column_fails_the_whole_file(plan, superuser, tmp_path):
    path = tmp_path / "backlog.csv"
    path.write_bytes(csv_bytes(GOOD, header=["code", "period", "value", "kecamatan", "remarks"]))
    with translation.override("en"), pytest.raises(CommandError, match="remarks"):
        call_command("import_progress", str(path))


@pytest.mark.django_db
def test_without_a_superuser_the_command_explains(plan, tmp_path):
    path = tmp_path / "backlog.csv"
    path.write_bytes(csv_bytes(GOOD))
    with translation.override("en"), pytest.raises(CommandError, match="superuser"):
        call_command("import_progress", str(path))


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["import_progress", "import_dhis2"])
def test_only_a_verifier_imports_verified_entries(plan, personas, tmp_path, command):
    """`--status verified --user officer_a` recorded an officer as the verifier of entries she imported
    (her own agency's among them): nobody verifies her own work, and an officer verifies nothing."""
    if command == "import_progress":
        path = tmp_path / "backlog.csv"
        path.write_bytes(csv_bytes(GOOD))
    else:
        path = tmp_path / "backlog.json"
        value = {"dataElement": "1.a.1.2", "period": "2020S1", "orgUnit": "53.03", "value": "400"}
        path.write_text(json.dumps({"dataValues": [value]}))
    with translation.override("en"), pytest.raises(CommandError, match="officer_a cannot verify"):
        call_command(command, str(path), "--user", "officer_a", "--status", "verified", stdout=io.StringIO())
    assert not ProgressEntry.objects.exists()
    # submitted, as the officer she is, it goes in
    with translation.override("en"):
        call_command(command, str(path), "--user", "officer_a", "--status", "submitted", stdout=io.StringIO())
    assert set(ProgressEntry.objects.values_list("status", "submitted_by__username")) == {("submitted", "officer_a")}
