"""Phones first (issue 17, item 6): at 360 and 412 px no page an officer or a verifier opens scrolls
sideways (document.documentElement.scrollWidth <= window.innerWidth), in headless Chromium.

With SCREENSHOTS=<folder>, My work and the verification queue at 412 px are saved there."""

import os

import pytest

from conftest import RAD, open_account_menu_on_a_phone, sign_in
from indicators.models import EntryStatus
from indicators.tests.entries_helpers import make_entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 412)
LONG_NARRATIVE = "Sosialisasi-bahaya-perdagangan-orang-di-aula-kecamatan-Insana-bersama-tokoh-agama " * 4


def overflow(page) -> list[tuple[int, int]]:
    """(scrollWidth, innerWidth) at each width where the page is wider than the window."""
    wide = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide.append((scroll, inner))
    return wide


def assert_no_sideways_scroll(page, paths: list[str]) -> None:
    failures = {}
    for path in paths:
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        if wide := overflow(page):
            failures[path] = wide
    assert failures == {}


def shoot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.set_viewport_size({"width": 412, "height": 900})
        page.screenshot(path=os.path.join(folder, f"{name}-412.png"), full_page=True)


def test_officer_and_verifier_pages_fit_a_phone(browser_page, personas):
    page = browser_page
    officer = personas["officer_a"]
    draft = make_entry("1.a.1.1", "2022S2", officer, value=320, male=150, female=170, narrative=LONG_NARRATIVE)
    returned = make_entry("1.a.1.2", "2022S1", officer, value=40, status=EntryStatus.RETURNED, kecamatan="53.03.08")
    submitted = make_entry("1.a.2.1", "2022S2", officer, value=3, status=EntryStatus.SUBMITTED, kecamatan="53.03.08")
    verified = make_entry("1.a.2.2", "2021S2", officer, value=2, status=EntryStatus.VERIFIED)

    sign_in(page, "officer_a")
    assert page.url.endswith(f"{RAD}/my-work/")  # where an officer lands
    assert_no_sideways_scroll(
        page,
        [
            f"{RAD}/my-work/",
            f"{RAD}/my-indicators/",
            f"{RAD}/",
            f"{RAD}/indicators/1.a.1.1/",
            f"{RAD}/indicators/1.a.1.1/entries/",
            f"{RAD}/indicators/1.a.1.1/entries/new/",
            f"{RAD}/entries/{draft.pk}/",
            f"{RAD}/entries/{draft.pk}/edit/",
            f"{RAD}/entries/{returned.pk}/",
            f"{RAD}/import/",
        ],
    )
    page.goto(page.base_url + f"{RAD}/my-work/")
    shoot(page, "my-work")
    open_account_menu_on_a_phone(page)
    page.click("nav form[action='/accounts/logout/'] button")
    # the page's script clears the device first, then signs out: wait for the sign-in page
    page.wait_for_url("**/accounts/login/**")

    sign_in(page, "verifier")
    assert_no_sideways_scroll(
        page,
        [
            f"{RAD}/verification/",
            f"{RAD}/verification/?agency=disnakertrans&period=2022S2",
            f"{RAD}/entries/{submitted.pk}/",
            f"{RAD}/entries/{submitted.pk}/return/",
            f"{RAD}/entries/{verified.pk}/reopen/",
            f"{RAD}/entries/{submitted.pk}/history/",
            f"{RAD}/indicators/1.a.2.1/entries/",
            f"{RAD}/indicators/1.a.2.1/history/",
            f"{RAD}/completeness/",
            f"{RAD}/data-quality/",
            f"{RAD}/follow-ups/",
        ],
    )
    # every action stays on screen: the queue's Open button is inside the window
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(page.base_url + f"{RAD}/verification/")
    box = page.locator(f"main a[href='{RAD}/entries/{submitted.pk}/']").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    shoot(page, "verification-queue")
