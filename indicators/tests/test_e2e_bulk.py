"""In headless Chromium on a phone-wide page (412 px): a verifier filters the queue, ticks entries and
verifies them at once; an officer ticks every draft on her page with one box and submits them.

Screenshots go to SCREENSHOTS=dir when it is set.
"""

import os
from pathlib import Path

import pytest

from conftest import RAD, sign_in
from indicators.models import EntryStatus, ProgressEntry
from indicators.tests.entries_helpers import make_entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_verifier_ticks_and_verifies_entries_on_a_phone(browser_page, personas):
    page = browser_page
    page.set_viewport_size({"width": 412, "height": 915})
    officer = personas["officer_a"]
    entries = [
        make_entry("1.a.1.1", "2021S1", officer, status=EntryStatus.SUBMITTED, value=n + 1, submitted_by=officer)
        for n in range(3)
    ]
    other = make_entry("1.a.2.1", "2021S2", officer, status=EntryStatus.SUBMITTED, value=9, submitted_by=officer)
    sign_in(page, "verifier")
    page.goto(page.base_url + f"{RAD}/verification/")
    page.click("details.entry-filters summary")  # folded on a phone
    page.select_option("#id_indicator", "1.a.1.1")
    page.click("main form[method='get'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("input[name=entry]").count() == 3  # the filter left 1.a.2.1 out

    shot(page, "verification-412-filtered")
    # the page fits the phone's width: nothing but the table scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    page.check(f"#entry-{entries[0].pk}")
    page.check(f"#entry-{entries[2].pk}")
    assert page.is_visible("#select-all")  # shown by the page's script
    assert page.evaluate("document.getElementById('select-all').indeterminate")
    verify = page.locator("#batch button[value=verify]")
    verify.scroll_into_view_if_needed()
    box = verify.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 412  # the button is on the screen, not past its edge
    shot(page, "verification-412-ticked")
    verify.click()
    page.wait_for_load_state("networkidle")
    shot(page, "verification-412-done")

    statuses = dict(ProgressEntry.objects.values_list("pk", "status"))
    assert statuses == {
        entries[0].pk: "verified",
        entries[1].pk: "submitted",
        entries[2].pk: "verified",
        other.pk: "submitted",
    }
    assert "indicator=1.a.1.1" in page.url  # back to the same filter
    assert "2" in page.inner_text(".alert-success")
    assert page.locator("input[name=entry]").count() == 1  # what is left under the same filter


def test_officer_ticks_every_draft_with_one_box_and_submits(browser_page, personas):
    page = browser_page
    page.set_viewport_size({"width": 412, "height": 915})
    officer = personas["officer_a"]
    drafts = [make_entry("1.a.1.1", "2021S1", officer, value=n + 1) for n in range(4)]
    sign_in(page, "officer_a")
    page.goto(page.base_url + f"{RAD}/entries/drafts/")
    page.check("#select-all")
    assert page.locator("input[name=entry]:checked").count() == 4
    page.uncheck(f"#entry-{drafts[1].pk}")
    assert page.evaluate("document.getElementById('select-all').indeterminate")
    shot(page, "drafts-412-ticked")
    page.click("#submit-ticked")
    page.wait_for_load_state("networkidle")
    statuses = sorted(ProgressEntry.objects.values_list("status", flat=True))
    assert statuses == ["draft", "submitted", "submitted", "submitted"]
