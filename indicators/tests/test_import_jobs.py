"""The import as a job: its page and JSON status, who sees them, a dead worker, the plan's imports and undo."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import make_user, rad_url, run_queued_jobs
from indicators.jobs.progress import Progress
from indicators.models import EntryStatus, ImportReceipt, Job, JobState, ProgressEntry
from indicators.tests.import_helpers import xlsx
from indicators.tests.plan_helpers import make_plan, make_regency
from tptto_monitor.lib import queue

ROWS = [
    {"code": "1.a.1.1", "period": "2021S1", "kecamatan": "53.03.08", "value": 320, "male": 150, "female": 170},
    {"code": "1.a.1.1", "period": "2021S2", "value": 40},
    {"code": "1.a.1.1", "period": "2022S1", "value": 7},
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def confirmed(client, rows=ROWS, name="backlog.xlsx") -> Job:
    """Upload, confirm (a job queued), and return the job: nothing run yet."""
    client.cookies["django_language"] = "en"
    upload = client.post(rad_url("indicators:import"), {"file": SimpleUploadedFile(name, xlsx(rows))})
    token = re.search(r"/import/([0-9a-f-]{36})/", upload.url)[1]
    response = client.post(rad_url("indicators:import_confirm", token))
    job = Job.objects.get(token=token)
    assert response.status_code == 302 and response.url == f"/rad/rad-ttu-2018-2022/jobs/{job.pk}/"
    return job


def imported(client) -> Job:
    job = confirmed(client)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == JobState.DONE
    return job


@pytest.mark.django_db
def test_job_page_shows_the_queue_then_the_outcome_with_the_status_address(client_for, personas):
    client = client_for(personas["officer_a"])
    job = confirmed(client)
    page = client.get(rad_url("indicators:job", job.pk)).content.decode()
    assert f'data-status-url="/rad/rad-ttu-2018-2022/jobs/{job.pk}.json"' in page
    assert "No worker is running: the job waits until one starts." in page  # no worker beat in this test
    assert '<meta http-equiv="refresh" content="5">' in page  # inside <noscript>: pages without script reload
    assert "<script>" not in page and "js/job." in page  # a static script polls; nothing inline (CSP)

    queue.beat("worker-1")
    assert client.get(rad_url("indicators:job_json", job.pk)).json() == {
        "state": "queued",
        "done": 0,
        "total": 0,
        "message": "Waiting for a worker.",
    }
    run_queued_jobs()
    page = client.get(rad_url("indicators:job", job.pk)).content.decode()
    assert "3 of 3 rows" in page and "http-equiv" not in page
    assert rad_url("indicators:import_entries", job.pk) in page


@pytest.mark.django_db
def test_json_reads_the_progress_a_running_job_writes_through_the_jobs_cache(client_for, personas):
    """The work's transaction is open: the rows done so far come from the cache, not from the job's row."""
    client = client_for(personas["officer_a"])
    job = confirmed(client)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, worker_id="worker-1", started_at=timezone.now())
    queue.beat("worker-1")
    Progress(job)(1200, 5000, "Checking the rows", force=True)
    assert client.get(rad_url("indicators:job_json", job.pk)).json() == {
        "state": "running",
        "done": 1200,
        "total": 5000,
        "message": "Checking the rows",
    }


@pytest.mark.django_db
def test_a_running_job_whose_worker_stopped_beating_is_failed_with_the_reason(client_for, personas, settings):
    from django_tasks_db.models import DBTaskResult

    settings.WORKER_HEARTBEAT_SECONDS = 15  # dead one minute after the last beat
    client = client_for(personas["officer_a"])
    job = confirmed(client)
    two_minutes_ago = timezone.now() - datetime.timedelta(minutes=2)
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING")
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, worker_id="gone", started_at=two_minutes_ago)
    status = client.get(rad_url("indicators:job_json", job.pk)).json()
    assert status["state"] == "failed"
    assert status["message"].startswith("The worker running this job stopped before it finished")
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    # the upload is still kept: the owner may start it again, and a worker then imports it
    page = client.get(rad_url("indicators:job", job.pk)).content.decode()
    assert rad_url("indicators:job_retry", job.pk) in page
    client.post(rad_url("indicators:job_retry", job.pk))
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.state, job.attempts, ProgressEntry.objects.count()) == ("done", 1, 3)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("officer_b", 404), ("verifier", 403), ("reviewer", 403)])
def test_who_sees_an_officers_job(client_for, personas, who, status):
    job = confirmed(client_for(personas["officer_a"]))
    client = client_for(personas[who])
    for name in ("indicators:job", "indicators:job_json"):
        assert client.get(rad_url(name, job.pk)).status_code == status


@pytest.mark.django_db
def test_job_of_another_regency_is_not_found(client_for, personas):
    job = confirmed(client_for(personas["officer_a"]))
    make_regency()
    make_plan()
    belu_admin = make_user("belu_admin", "administrator", region="53.04")
    client = client_for(belu_admin)
    assert client.get(rad_url("indicators:job", job.pk)).status_code == 404
    assert client.get(rad_url("indicators:job_json", job.pk)).status_code == 404
    # nor under Belu's own plan's address
    assert client.get(f"/rad/rad-belu-2019-2023/jobs/{job.pk}.json").status_code == 404


@pytest.mark.django_db
def test_imports_page_lists_who_when_file_rows_and_status(client_for, personas):
    job = imported(client_for(personas["officer_a"]))
    confirmed(client_for(personas["admin"]), rows=ROWS[:1], name="admin.xlsx")  # queued, not run
    officer = client_for(personas["officer_a"])
    page = officer.get(rad_url("indicators:imports")).content.decode()
    assert "backlog.xlsx" in page and "admin.xlsx" not in page  # an officer sees her own
    assert re.search(r'<td class="text-end">3</td>\s*<td>Done</td>', page)
    admin_page = client_for(personas["admin"]).get(rad_url("indicators:imports")).content.decode()
    assert "backlog.xlsx" in admin_page and "admin.xlsx" in admin_page and "Waiting for a worker" in admin_page
    entries = officer.get(rad_url("indicators:import_entries", job.pk)).content.decode()
    for entry in ProgressEntry.objects.all():
        assert entry.import_receipt == job.receipt
        assert rad_url("indicators:entry", entry.pk) in entries


@pytest.mark.django_db
def test_undo_removes_the_entries_with_a_history_line_and_only_once(client_for, personas):
    client = client_for(personas["officer_a"])
    job = imported(client)
    ProgressEntry.objects.filter(value=40).update(status=EntryStatus.SUBMITTED)
    ProgressEntry.objects.filter(value=7).update(status=EntryStatus.RETURNED, return_reason="Which kecamatan?")
    ids = list(ProgressEntry.objects.values_list("pk", flat=True))

    done = client.post(rad_url("indicators:import_undo", job.pk), follow=True)
    assert "The import was undone: 3 entries were removed." in str(list(done.context["messages"])[0])
    assert not ProgressEntry.objects.exists()
    removed = ProgressEntry.history.filter(id__in=ids, history_type="-")
    assert sorted(removed.values_list("id", "history_user__username", "history_change_reason")) == [
        (pk, "officer_a", "Import undone") for pk in sorted(ids)
    ]
    receipt = ImportReceipt.objects.get()
    assert (receipt.undone_by, receipt.saved) == (personas["officer_a"], 3)

    again = client.post(rad_url("indicators:import_undo", job.pk), follow=True)
    assert "This import was already undone." in str(list(again.context["messages"])[0])
    assert ProgressEntry.history.filter(history_type="-").count() == 3


@pytest.mark.django_db
def test_undo_is_refused_with_a_count_while_entries_are_verified(client_for, personas):
    client = client_for(personas["officer_a"])
    job = imported(client)
    ProgressEntry.objects.exclude(value=7).update(status=EntryStatus.VERIFIED)
    refused = client.post(rad_url("indicators:import_undo", job.pk), follow=True)
    message = str(list(refused.context["messages"])[0])
    assert message == "Nothing was undone: 2 entries of this import are verified. Reopen them first."
    assert ProgressEntry.objects.count() == 3
    assert ImportReceipt.objects.get().undone_at is None


@pytest.mark.django_db
def test_undo_of_another_users_or_regencys_import_is_refused(client_for, personas):
    job = imported(client_for(personas["officer_a"]))
    admin = client_for(personas["admin"])  # sees every import of the plan, undoes none of another's
    admin.cookies["django_language"] = "en"
    refused = admin.post(rad_url("indicators:import_undo", job.pk), follow=True)
    assert "Only the person who imported the file can undo the import." in str(list(refused.context["messages"])[0])
    assert client_for(personas["officer_b"]).post(rad_url("indicators:import_undo", job.pk)).status_code == 404
    make_regency()
    belu_officer = make_user("belu_officer", "officer", region="53.04")
    assert client_for(belu_officer).post(rad_url("indicators:import_undo", job.pk)).status_code == 404
    assert ProgressEntry.objects.count() == 3


@pytest.mark.django_db
def test_the_count_of_rows_has_its_plural_forms(client_for, personas):
    """The job page says "1 of 1 row", not "1 of 1 rows": it says the count by the total's plural form, and
    gives the page's script (static/js/job.js, which redraws the count) the sentence's forms to pick from."""
    client = client_for(personas["officer_a"])
    job = confirmed(client, rows=ROWS[:1])
    run_queued_jobs()
    page = client.get(rad_url("indicators:job", job.pk)).content.decode()
    assert re.search(r'id="job-count">1 of 1 row</span>', page)
    assert 'data-count-one="%(done)s of %(total)s row"' in page
    assert 'data-count-other="%(done)s of %(total)s rows"' in page
    client.cookies["django_language"] = "id"
    page = client.get(rad_url("indicators:job", job.pk)).content.decode()
    assert re.search(r'id="job-count">1 dari 1 baris</span>', page)
    assert 'data-count-other="%(done)s dari %(total)s baris"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "The import was undone: 1 entry was removed."), ("id", "Impor dibatalkan: 1 entri dihapus.")],
)
def test_undoing_an_import_of_one_row_says_so_in_the_singular(client_for, personas, language, said):
    client = client_for(personas["officer_a"])
    job = confirmed(client, rows=ROWS[:1])
    run_queued_jobs()
    client.cookies["django_language"] = language
    done = client.post(rad_url("indicators:import_undo", job.pk), follow=True)
    assert str(list(done.context["messages"])[0]) == said


@pytest.mark.django_db
def test_the_imports_and_job_pages_take_as_many_queries_for_three_imports_as_for_one(client_for, personas):
    """The pages read the jobs with their receipts, users and plan together: no query per import (each job's link
    read its plan, one query a row, before)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas["officer_a"])
    first = imported(client)

    def counted(url) -> int:
        client.get(url)  # warm, as the other counts: a first request reads what every request then finds
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [
        rad_url("indicators:imports"),
        rad_url("indicators:job", first.pk),
        rad_url("indicators:job_json", first.pk),
    ]
    one = [counted(url) for url in urls]
    for value in (11, 12):  # other files (the same file again would be refused as already imported)
        confirmed(client, [{"code": "1.a.1.1", "period": "2020S1", "value": value}], name=f"more-{value}.xlsx")
        run_queued_jobs()
    assert Job.objects.filter(state=JobState.DONE).count() == 3
    assert [counted(url) for url in urls] == one
