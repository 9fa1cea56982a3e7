"""In headless Chromium: an officer records and submits progress, a verifier verifies it."""

import re

import pytest

from conftest import RAD, sign_in
from indicators.models import EntryStatus, ProgressEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_out(page) -> None:
    page.click("nav .dropdown-toggle")  # the account's menu, under the person's name
    page.click("nav form[action='/accounts/logout/'] button")
    # the page's script clears the device first, then signs out: wait for the sign-in page
    page.wait_for_url("**/accounts/login/**")


def test_officer_enters_and_submits_then_verifier_verifies(browser_page, personas):
    page = browser_page
    sign_in(page, "officer_a")  # Disnakertrans

    page.goto(page.base_url + f"{RAD}/my-indicators/")
    page.click(f"a[href='{RAD}/indicators/1.a.1.1/entries/new/']")
    page.select_option("#id_period", "2021S1")
    page.fill("#id_value", "320")
    page.fill("#id_male", "150")
    page.fill("#id_female", "170")
    page.select_option("#id_kecamatan", label="53.03.08 Insana")
    page.fill("#id_narrative", "Sosialisasi bahaya TPPO di aula kecamatan.")
    page.click("main form[method='post'] button[type=submit]")
    # the form is sent by the page's script (upload progress, kept on the device offline), then the entry opens
    page.wait_for_url(re.compile(r".*/entries/\d+/$"))

    entry = ProgressEntry.objects.get()
    assert entry.status == EntryStatus.DRAFT
    assert (entry.value, entry.male, entry.female, entry.kecamatan.name) == (320, 150, 170, "Insana")
    assert page.url.endswith(f"{RAD}/entries/{entry.pk}/")

    page.click(f"form[action='{RAD}/entries/{entry.pk}/submit/'] button")
    page.wait_for_load_state("networkidle")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    sign_out(page)

    sign_in(page, "verifier")
    page.goto(page.base_url + f"{RAD}/verification/")
    page.click(f"a[href='{RAD}/entries/{entry.pk}/']")
    page.click(f"form[action='{RAD}/entries/{entry.pk}/verify/'] button")
    page.wait_for_load_state("networkidle")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.VERIFIED
    assert entry.verified_by.username == "verifier"
    # the entry page says so, in the reader's language
    page.goto(page.base_url + f"{RAD}/entries/{entry.pk}/")
    status = page.inner_text("main .entry-status >> nth=0")
    assert status.strip() in ("Verified", "Terverifikasi")
    # and the verified value now counts on the dashboard
    page.goto(page.base_url + f"{RAD}/dashboard/indicator/1.a.1.1/")
    page.wait_for_selector("#chart-trend .main-svg")
