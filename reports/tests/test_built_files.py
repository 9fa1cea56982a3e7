"""The analysis dataset built ahead by a task after a burst of writes, and served from its file."""

import datetime
import threading
import time

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import rad_url, run_queued_jobs
from programs.models import Plan
from reports.built import dataset_files, store
from reports.exchange import dataset
from tptto_monitor.lib.queue import jobs_cache


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BUILD_FILES_AHEAD = True


def builds_queued():
    return DBTaskResult.objects.filter(task_path="reports.built.dataset_files.build_plan_files", status="READY")


def refuse_to_build(monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("the dataset was built in the request")

    monkeypatch.setattr(dataset, "build", refused)


@pytest.mark.django_db
def test_a_burst_of_writes_queues_one_build_a_minute_later(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            Plan.bump_data_version(plan.pk)
    [build] = builds_queued()
    assert build.args_kwargs["args"] == [plan.pk]
    wait = (build.run_after - timezone.now()).total_seconds()
    assert 55 < wait <= 60


@pytest.mark.django_db
def test_the_worker_builds_the_files_and_the_download_reads_them(
    plan, personas, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Plan.bump_data_version(plan.pk)
    builds_queued().update(run_after=timezone.now() - datetime.timedelta(seconds=1))  # the minute has passed
    run_queued_jobs()
    plan.refresh_from_db()
    built = {
        (fmt, language): store.read(plan, "dataset", fmt, language)
        for fmt in ("csv", "xlsx")
        for language in ("id", "en")
    }
    assert all(built.values())
    assert built["csv", "en"] == dataset.build(plan, "csv", timezone.localdate(), "en")

    refuse_to_build(monkeypatch)
    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = "en"
    response = client.get(rad_url("reports:dataset", "xlsx"))
    assert response.status_code == 200 and response.content == built["xlsx", "en"]


@pytest.mark.django_db
def test_after_a_write_the_old_file_is_not_served(plan, personas, client_for):
    dataset_files.build_plan_files.call(plan.pk)
    plan.refresh_from_db()
    old = store.name(plan, "dataset", "csv", "id")
    Plan.bump_data_version(plan.pk)
    plan.refresh_from_db()
    assert store.read(plan, "dataset", "csv", "id") is None
    response = client_for(personas["reviewer"]).get(rad_url("reports:dataset", "csv"))
    assert response.status_code == 200
    assert store.read(plan, "dataset", "csv", "id") == response.content  # kept for the next download
    assert store.name(plan, "dataset", "csv", "id") != old


@pytest.mark.django_db
def test_a_download_waits_for_the_build_of_its_version(plan, personas, client_for, monkeypatch):
    jobs_cache().set(f"building:{plan.pk}:{plan.data_version}", 1, 60)
    refuse_to_build(monkeypatch)

    def build_elsewhere():
        time.sleep(0.5)
        store.write(plan, "dataset", "csv", "id", b"built by the worker")

    worker = threading.Thread(target=build_elsewhere)
    worker.start()
    started = time.monotonic()
    response = client_for(personas["reviewer"]).get(rad_url("reports:dataset", "csv"))
    worker.join()
    assert response.status_code == 200 and response.content == b"built by the worker"
    assert time.monotonic() - started >= 0.5
