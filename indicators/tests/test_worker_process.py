"""Real worker processes (`manage.py db_worker`) on the test's database: an import done, and one killed midway.

The test's data is committed (a transactional test), so a worker started as a process of its own reads it
through DATABASE_URL, as a worker on another machine would; it writes its heartbeat and the job's progress
into the same jobs cache folder as this process reads (JOBS_CACHE_DIR), and beats every second here.
"""

import os
import signal
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import rad_url
from indicators.jobs import progress
from indicators.models import ImportReceipt, Job, ProgressEntry
from indicators.tests.worker_helpers import start_worker, stop, wait_until
from tptto_monitor.bench.imports import backlog_rows, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def confirm(client, rows: list[dict]) -> Job:
    upload = client.post(rad_url("indicators:import"), {"file": SimpleUploadedFile("backlog.xlsx", xlsx(rows))})
    assert upload.status_code == 302, upload
    client.post(upload["Location"] + "confirm/")
    return Job.objects.get()


@pytest.fixture
def officer_client(client_for, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WORKER_HEARTBEAT_SECONDS = 1  # as the workers started here: dead after 4 s without a beat
    client = client_for(personas["admin"])
    client.cookies["django_language"] = "en"
    return client


def test_a_worker_process_runs_the_import_while_the_page_follows_it(officer_client, plan, settings, jobs_cache_folder):
    job = confirm(officer_client, backlog_rows(plan, 300))
    status = officer_client.get(rad_url("indicators:job_json", job.pk)).json()
    assert (status["state"], status["message"]) == (
        "queued",
        "No worker is running: the job waits until one starts. Tell the administrator.",
    )
    worker = start_worker(settings, jobs_cache_folder)
    try:
        final = wait_until(
            lambda: (s := officer_client.get(rad_url("indicators:job_json", job.pk)).json())["state"] == "done" and s,
            120,
            "the job done",
            worker,
        )
    finally:
        stop(worker)
    assert (final["done"], final["total"]) == (300, 300)
    assert ProgressEntry.objects.filter(import_receipt__job=job).count() == 300


def test_a_worker_killed_while_saving_leaves_nothing_and_the_job_says_why(
    officer_client, plan, settings, jobs_cache_folder
):
    """SIGKILL once the 5,000 rows are checked and being written: the transaction dies with the process."""
    job = confirm(officer_client, backlog_rows(plan, 5000))
    worker = start_worker(settings, jobs_cache_folder)
    try:
        wait_until(
            lambda: (progress.read(job) or {}).get("message") == "Saving the entries", 180, "the saving step", worker
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        stop(worker)
    assert worker.returncode == -signal.SIGKILL
    assert not ProgressEntry.objects.exists()
    assert not ProgressEntry.history.exists()
    assert not ImportReceipt.objects.exists()
    # no heartbeat for four beats (4 s here): the job's page finds its worker dead and fails the job
    time.sleep(4.5)
    status = officer_client.get(rad_url("indicators:job_json", job.pk)).json()
    assert status["state"] == "failed"
    assert status["message"].startswith("The worker running this job stopped before it finished")
    # started again, a new worker imports the whole file, once
    officer_client.post(rad_url("indicators:job_retry", job.pk))
    worker = start_worker(settings, jobs_cache_folder)
    try:
        wait_until(lambda: Job.objects.get().state == "done" or None, 180, "the retried job done", worker)
    finally:
        stop(worker)
    assert ProgressEntry.objects.count() == 5000
    assert Job.objects.get().attempts == 2
