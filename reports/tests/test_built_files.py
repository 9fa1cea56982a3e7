"""The analysis dataset and the annual summaries built ahead by a task after a burst of writes, and served from
their files."""

import csv
import datetime
import io
import os
import threading
import time

import docx as docx_reader
import openpyxl
import pypdf
import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import rad_url, run_queued_jobs
from indicators.figures import rollup
from indicators.tests.factories import entry
from programs.models import Plan
from reports.built import dataset_files, store, summary_files
from reports.exchange import dataset
from reports.files import summary
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


# --- the annual summaries, built by the same task ------------------------------------------------------------


def refuse_to_make_summaries(monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("the summary was made in the request")

    monkeypatch.setattr(summary, "make_summary", refused)
    monkeypatch.setattr(summary, "build", refused)


@pytest.mark.django_db
def test_the_tasks_build_every_summary_from_one_rollup(plan, monkeypatch):
    """The build queues a task per year and one for the whole plan, after the jobs people wait for (priority
    -10 < 0); they make 6 summaries × 4 formats × 2 languages from one rollup of the plan."""
    computed = []
    real = rollup.compute
    monkeypatch.setattr(rollup, "compute", lambda *a, **k: computed.append(a) or real(*a, **k))
    monkeypatch.setattr(summary, "compute", lambda *a, **k: pytest.fail("a rollup of its own"))
    entry("1.a.1.1", "2021S1", value=700)
    plan.refresh_from_db()
    dataset_files.build_plan_files.call(plan.pk)
    queued = DBTaskResult.objects.filter(task_path="reports.built.summary_files.build_plan_summary", status="READY")
    assert sorted(str(task.args_kwargs["args"][2]) for task in queued) == [
        "2018", "2019", "2020", "2021", "2022", "None"
    ]  # fmt: skip
    assert {task.priority for task in queued} == {-10}
    run_queued_jobs()
    assert len(computed) == 1
    kinds = [f"summary-{year}" for year in (2018, 2019, 2020, 2021, 2022)] + ["summary-plan"]
    for kind in kinds:
        for fmt in summary.RENDERERS:
            for language in ("id", "en"):
                assert store.read(plan, kind, fmt, language), (kind, fmt, language)
    # 6 summaries × 4 formats × 2 languages, and the 4 dataset files
    assert len(default_storage.listdir(f"built/{plan.pk}")[1]) == 6 * 4 * 2 + 4


@pytest.mark.django_db
def test_a_summary_task_of_an_old_version_builds_nothing(plan):
    old = str(plan.data_version)
    Plan.bump_data_version(plan.pk)
    assert summary_files.build_plan_summary.call(plan.pk, old, 2021) == "stale"
    assert not default_storage.exists(f"built/{plan.pk}")


@pytest.mark.django_db
def test_the_builds_come_after_an_import_waiting(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Plan.bump_data_version(plan.pk)
    [build] = builds_queued()
    assert build.priority == -10  # the jobs' tasks have the default, 0: the worker takes them first


@pytest.mark.django_db
def test_a_summary_download_reads_the_built_file(plan, personas, client_for, monkeypatch):
    entry("1.a.1.1", "2021S1", value=700)
    plan.refresh_from_db()
    dataset_files.build_plan_files.call(plan.pk)
    run_queued_jobs()
    refuse_to_make_summaries(monkeypatch)
    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = "en"

    xlsx = client.get(rad_url("reports:year_summary", 2021, "xlsx"))
    assert xlsx.status_code == 200 and xlsx.content == store.read(plan, "summary-2021", "xlsx", "en")
    overview = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert overview["A1"].value == "Annual report on the implementation of the RAD of the TPPO Task Force, " + (
        f"{plan.region.name} — 2021"
    )

    pdf = client.get(rad_url("reports:plan_summary", "pdf"))
    assert pdf.status_code == 200 and pdf.content == store.read(plan, "summary-plan", "pdf", "en")
    text = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "2018–2022" in text

    csv_file = client.get(rad_url("reports:year_summary", 2021, "csv"))
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    [row] = [row for row in rows if row and row[0] == "1.a.1.1"]
    assert "700" in row

    client.cookies["django_language"] = "id"
    docx = client.get(rad_url("reports:year_summary", 2020, "docx"))
    assert docx.status_code == 200 and docx.content == store.read(plan, "summary-2020", "docx", "id")
    assert docx_reader.Document(io.BytesIO(docx.content)).paragraphs


@pytest.mark.django_db
def test_a_summary_download_waits_for_the_build_of_its_version(plan, personas, client_for, monkeypatch):
    """The task building the plan's 2021 summaries is under way (its mark): the download waits for it."""
    jobs_cache().set(f"building:{plan.pk}:{plan.data_version}:summary-2021", 1, 60)
    refuse_to_make_summaries(monkeypatch)

    def build_elsewhere():
        time.sleep(0.5)
        store.write(plan, "summary-2021", "pdf", "id", b"%PDF built by the worker")

    worker = threading.Thread(target=build_elsewhere)
    worker.start()
    started = time.monotonic()
    response = client_for(personas["reviewer"]).get(rad_url("reports:year_summary", 2021, "pdf"))
    worker.join()
    assert response.status_code == 200 and response.content == b"%PDF built by the worker"
    assert time.monotonic() - started >= 0.5


@pytest.mark.django_db
def test_a_download_before_its_task_runs_builds_the_file_and_the_task_leaves_it(plan, personas, client_for):
    """The build queued the summaries' tasks; a download of the 2021 CSV comes before they run: it builds that
    file at once (nothing is building it), and the 2021 task then renders the other seven files only."""
    dataset_files.build_plan_files.call(plan.pk)
    first = client_for(personas["reviewer"]).get(rad_url("reports:year_summary", 2021, "csv"))
    stored = default_storage.path(store.name(plan, "summary-2021", "csv", "id"))
    written = os.path.getmtime(stored)
    assert summary_files.build_plan_summary.call(plan.pk, str(plan.data_version), 2021) == str(plan.data_version)
    assert os.path.getmtime(stored) == written and store.read(plan, "summary-2021", "csv", "id") == first.content
    assert all(store.read(plan, "summary-2021", fmt, lang) for fmt in summary.RENDERERS for lang in ("id", "en"))


@pytest.mark.django_db
def test_a_summary_with_no_build_coming_is_built_once_and_kept(plan, personas, client_for, monkeypatch):
    client = client_for(personas["reviewer"])
    first = client.get(rad_url("reports:year_summary", 2021, "csv"))
    assert first.status_code == 200
    assert store.read(plan, "summary-2021", "csv", "id") == first.content
    refuse_to_make_summaries(monkeypatch)
    assert client.get(rad_url("reports:year_summary", 2021, "csv")).content == first.content


@pytest.mark.django_db
def test_a_built_file_outlives_midnight_until_the_calendar_moves(plan, monkeypatch):
    """The file of a data version is good for every day with the same calendar point (completeness.calendar_point):
    an ordinary midnight leaves it in place; the day a semester begins makes another one."""

    def on(day):
        monkeypatch.setattr(store.timezone, "localdate", lambda: datetime.date.fromisoformat(day))

    on("2021-03-01")
    store.write(plan, "dataset", "csv", "id", b"built on the first of March")
    on("2021-05-20")  # eleven weeks later: 2021S1 still open, 2020S2's deadline long passed, no other change
    assert store.read(plan, "dataset", "csv", "id") == b"built on the first of March"
    on("2021-07-01")  # 2021S2 begins: statuses may move
    assert store.read(plan, "dataset", "csv", "id") is None
    store.prune(plan)  # a build of the new point deletes the files of the old one
    on("2021-05-20")
    assert store.read(plan, "dataset", "csv", "id") is None
