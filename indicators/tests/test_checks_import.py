"""Data checks on import: flagged rows shown in the preview, saved only with an explanation,
which is kept with each flagged entry; the checks cost the same few queries for any file size.

History: 1.a.1.1 of Disnakertrans received 100 in 2019S1 and 140 in 2019S2 (median 120, so a
semester total above 360 is flagged); 1.b.2.1 reached Insana (53.03.08) in 2019.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from conftest import rad_url, run_queued_jobs
from indicators.intake.progress import import_file
from indicators.models import EntryStatus, EntryWarning, Job, ProgressEntry
from indicators.tests.factories import entry
from indicators.tests.import_helpers import csv_bytes, xlsx

ROWS = [
    {"code": "1.a.1.1", "period": "2021S1", "value": 200, "date": "2021-02-01"},  # fine
    {"code": "1.a.1.1", "period": "2021S1", "value": 200, "date": "2021-03-01"},  # 400 with the row above
    {"code": "1.b.2.1", "period": "2021S1", "kecamatan": "53.03.08"},  # Insana again
]


@pytest.fixture
def history(plan):
    entry("1.a.1.1", "2019S1", value=100)
    entry("1.a.1.1", "2019S2", value=140, status=EntryStatus.SUBMITTED)
    entry("1.b.2.1", "2019S1", kecamatan="53.03.08")
    return plan


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_flagged_rows_need_an_explanation(history, personas):
    admin = personas["admin"]
    before = ProgressEntry.objects.count()
    result = import_file(csv_bytes(ROWS), plan=history, user=admin)
    assert result.ok and result.needs_comment and result.saved == 0
    assert [[w.kind for w in row.warnings] for row in result.rows] == [[], ["outlier"], ["place_reached"]]
    assert ProgressEntry.objects.count() == before

    result = import_file(csv_bytes(ROWS), plan=history, user=admin, warning_comment="Checked with the office.")
    assert result.saved == 3
    warnings = EntryWarning.objects.select_related("entry__indicator").order_by("entry__indicator__code")
    assert [(w.entry.indicator.code, w.kind, w.comment) for w in warnings] == [
        ("1.a.1.1", "outlier", "Checked with the office."),
        ("1.b.2.1", "place_reached", "Checked with the office."),
    ]
    assert warnings[0].figures == {"period": "2021S1", "total": 400, "median": "120"}


@pytest.mark.django_db
def test_checks_do_not_query_per_row(history, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(rows):
        with CaptureQueriesContext(connection) as captured:
            import_file(csv_bytes(rows), plan=history, user=personas["admin"], dry_run=True)
        return [q["sql"] for q in captured.captured_queries if "indicators_target" in q["sql"]]

    small = [{"code": "1.a.1.1", "period": "2021S1", "value": 1, "date": "2021-01-01"}]
    large = [{"code": "1.a.1.1", "period": "2021S1", "value": 1, "date": f"2021-01-{d:02d}"} for d in range(1, 29)]
    assert len(queries(small)) == len(queries(large)) == 1  # the targets once, whatever the rows


@pytest.mark.django_db
def test_web_preview_shows_flags_and_confirm_needs_the_explanation(history, client_for, personas):
    client = client_for(personas["officer_a"])
    client.cookies["django_language"] = "en"
    rows = ROWS[:2]  # Disnakertrans's only
    response = client.post(rad_url("indicators:import"), {"file": SimpleUploadedFile("b.xlsx", xlsx(rows))})
    preview = client.get(response.url)
    body = preview.content.decode()
    assert "The data checks flagged 1 row (see below)." in body
    assert "adds up to 400, more than 3× the median" in body
    confirm = response.url + "confirm/"
    response = client.post(confirm, {"warning_comment": "  "})
    run_queued_jobs()
    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.state, job.message) == ("failed", "Nothing was saved: explain the values the data checks flagged.")
    assert not ProgressEntry.objects.filter(year=2021).exists()
    # the same confirmation with the explanation starts the same job again
    response = client.post(confirm, {"warning_comment": "Two job fairs."})
    assert response.url == job.get_absolute_url()
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.attempts) == ("done", 2, 2, 2)
    assert EntryWarning.objects.get().comment == "Two job fairs."


@pytest.mark.django_db
def test_command_needs_explain_warnings(history, personas, tmp_path, capsys):
    path = tmp_path / "b.csv"
    path.write_bytes(csv_bytes(ROWS))
    with pytest.raises(CommandError, match="2 rows are flagged"):
        call_command("import_progress", str(path), "--user", "admin")
    assert "row 3: WARNING With this entry, 2021S1 adds up to 400" in capsys.readouterr().out
    call_command("import_progress", str(path), "--user", "admin", "--explain-warnings", "Checked.")
    assert EntryWarning.objects.filter(comment="Checked.").count() == 2
