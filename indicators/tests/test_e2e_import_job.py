"""In headless Chromium: an import's job page follows a real worker from the queue to the outcome.

The page polls its JSON status with static/js/job.js: the bar and "done of total rows" move while the
worker checks the rows, and the page shows the outcome once the job is done. With SCREENSHOTS=<folder>
the page is saved while waiting, while running and when done, at 1280 and 412 px.
"""

import os
import re
from pathlib import Path

import pytest

from conftest import ensure_role_groups, make_user, sign_in
from indicators.models import Job, ProgressEntry
from indicators.tests.worker_helpers import start_worker, stop
from programs.models import Agency
from tptto_monitor.bench.imports import backlog_rows, xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROWS = 3000


def shoot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width in (1280, 412):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/import-job-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_job_page_shows_the_queue_the_progress_and_the_outcome(
    browser_page, plan, settings, tmp_path, jobs_cache_folder
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WORKER_HEARTBEAT_SECONDS = 1
    ensure_role_groups()  # a browser test's database is flushed, the roles with it
    make_user("admin", "administrator", Agency.objects.get(code="sekretariat", region__code="53.03"), is_staff=True)
    backlog = tmp_path / "backlog.xlsx"
    backlog.write_bytes(xlsx(backlog_rows(plan, ROWS)))
    page = browser_page
    sign_in(page, "admin")
    page.goto(page.base_url + "/rad/rad-ttu-2018-2022/import/")
    page.set_input_files("#id_file", str(backlog))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_selector(f"text=Import {ROWS} entries", timeout=60_000)
    page.click(f"text=Import {ROWS} entries")
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    assert page.locator("#job-state").inner_text() == "Waiting for a worker"
    assert "No worker is running" in page.locator("#job-message").inner_text()
    shoot(page, "queued")

    worker = start_worker(settings, jobs_cache_folder)
    try:
        # the script redraws from the JSON: rows checked of the total (on an idle machine the worker may finish
        # between two polls, so the bar is caught moving or already full)
        page.wait_for_function(
            "() => Number(document.querySelector('[role=progressbar]').getAttribute('aria-valuenow')) > 0",
            timeout=120_000,
            polling=50,
        )
        if page.locator("#job-state").inner_text() == "Running":
            assert re.fullmatch(rf"\d+ of {ROWS} rows", page.locator("#job-count").inner_text())
            shoot(page, "running")
        page.wait_for_selector("#job-state:text('Done')", timeout=180_000)
    finally:
        stop(worker)
    assert page.locator("#job-count").inner_text() == f"{ROWS} of {ROWS} rows"
    assert f"Imported {ROWS} entries as drafts" in page.locator("#job-message").inner_text()
    assert page.locator(f"text=See the {ROWS} imported entries").is_visible()
    shoot(page, "done")
    assert ProgressEntry.objects.count() == ROWS
    assert Job.objects.get().state == "done"
