"""In headless Chromium: a superuser downloads the RAD TTU as a plan file and makes Belu's plan of it.

With SCREENSHOTS=<folder> the upload form, the preview with errors and the good preview are saved there at
1280 and 412 px wide (a desktop and a phone), to be looked at.
"""

import csv
import io
import os
import re
from pathlib import Path

import pytest

from conftest import make_user, sign_in
from indicators.tests.plan_helpers import make_regency
from indicators.tests.worker_helpers import start_worker, stop
from programs.models import Plan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 412)


def shoot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def download(page, fmt: str, tmp_path: Path) -> Path:
    """The RAD TTU as a plan file, through the page's form (its own years)."""
    page.select_option("#id_source-plan", "rad-ttu-2018-2022")
    page.check(f"input[name='source-format'][value='{fmt}']")
    with page.expect_download() as info:
        page.click("main form[method=get] button[type=submit]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def fill_details(page, path: Path) -> None:
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_regency", "53.04")
    page.fill("#id_start_year", "2018")
    page.fill("#id_end_year", "2022")
    page.fill("#id_slug", "rad-belu-2018-2022")
    page.fill("#id_name", "RAD TPPO Kabupaten Belu 2018–2022")
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_superuser_makes_belus_plan_from_the_exported_rad_ttu(
    browser_page, plan, settings, tmp_path, jobs_cache_folder
):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_regency()
    make_user("root", None, is_superuser=True, is_staff=True)
    page = browser_page
    sign_in(page, "root")
    page.goto(page.base_url + "/rad/")
    page.click("nav a[href='/plans/new/']")
    assert page.url.endswith("/plans/new/")
    shoot(page, "plan-upload-form")

    good = download(page, "xlsx", tmp_path)
    exported = download(page, "csv", tmp_path)
    reader = csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig")))
    rows = list(reader)
    rows[0]["kind"] = "amount"
    rows[1]["target"] = "-5"
    bad = tmp_path / "rad-belu-bad.csv"
    with bad.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, reader.fieldnames)
        writer.writeheader()
        writer.writerows(rows)

    fill_details(page, bad)
    assert "/plans/new/" in page.url and page.locator("#problems-summary").is_visible()
    assert page.locator("tr.table-danger").count() == 2
    assert not Plan.objects.filter(code="rad-belu-2018-2022").exists()
    shoot(page, "plan-upload-preview-errors")

    # the form under the errors still holds what was typed: only the file is chosen again
    assert page.input_value("#id_slug") == "rad-belu-2018-2022"
    page.set_input_files("#id_file", str(good))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("form[action$='/confirm/'] button").first.is_visible()
    page.click("main details summary >> nth=0")  # the first pillar opened: its programs, activities, indicators
    assert page.locator("main details[open] td.indicator-code").first.inner_text() == "1.a.1.1"
    shoot(page, "plan-upload-preview-ok")

    # TTU's agencies' names mention TTU: flagged, and the administrator confirms them for Belu
    assert "names another regency" in page.inner_text("main")
    page.check("#agencies-checked-bottom")
    page.click("form[action$='/confirm/'] button >> nth=-1")  # the button after the tree
    page.wait_for_url(re.compile(r"/plans/new/jobs/\d+/$"))  # the job's page: a worker creates the plan
    worker = start_worker(settings, jobs_cache_folder)
    try:
        page.wait_for_selector("#job-state:text('Done')", timeout=120_000)
    finally:
        stop(worker)
    shoot(page, "plan-upload-job-done")
    page.click("text=Open the new plan")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/rad/rad-belu-2018-2022/")
    new = Plan.objects.get(code="rad-belu-2018-2022")
    assert (new.region.code, new.status, new.indicators.count()) == ("53.04", "draft", 47)
    page.click("nav a[href='/rad/rad-belu-2018-2022/dashboard/']")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/rad/rad-belu-2018-2022/dashboard/")
    assert "RAD TPPO Kabupaten Belu 2018–2022" in page.content()
    shoot(page, "plan-upload-new-dashboard")
