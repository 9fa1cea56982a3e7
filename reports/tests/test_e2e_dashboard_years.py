"""In headless Chromium: the year filter changes the cards; the year-over-year view; the coverage grid.

With SCREENSHOTS=dir, each view is saved at 1280 and 412 px wide.
"""

import os
import re
from pathlib import Path

import pytest

from conftest import RAD, sign_in
from indicators.tests.factories import entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shoot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for width in (1280, 412):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(400)
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def test_choosing_a_year_changes_the_cards(browser_page, personas):
    entry("1.a.1.1", "2018S1", value=700)  # pillar 1 in 2018: 70 % / 10 = 7 %
    entry("1.a.1.1", "2021S1", value=400)  # pillar 1 in 2021: 40 % / 10 = 4 %
    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    sign_in(page, "reviewer")
    page.goto(page.base_url + f"{RAD}/dashboard/")
    card = page.locator("[data-card='pillar-1']")
    assert card.inner_text() == "1.7 %"  # to date: 22 % over 13 targeted indicators
    page.select_option("#id_year", "2021")
    page.click("form[aria-label='Filters'] button[type=submit]")
    page.wait_for_url(re.compile("year=2021"))
    assert card.inner_text() == "4 %"
    assert "as of Dec. 31, 2021" in page.inner_text("main")
    page.select_option("#id_year", "2018")
    page.click("form[aria-label='Filters'] button[type=submit]")
    page.wait_for_url(re.compile("year=2018"))
    assert card.inner_text() == "7 %"
    assert errors == []


def test_two_years_side_by_side(browser_page, personas):
    entry("1.a.1.1", "2018S1", value=700)
    entry("1.a.1.1", "2019S2", value=500)
    entry("1.b.2.1", "2019S1", kecamatan="53.03.08")
    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    sign_in(page, "reviewer")
    page.goto(page.base_url + f"{RAD}/dashboard/")
    page.click("text=Compare two years")
    page.select_option("#id_first", "2018")
    page.select_option("#id_second", "2019")
    page.click("form[aria-label='Filters'] button[type=submit]")
    page.wait_for_url(re.compile("first=2018"))
    assert "2018 and 2019 side by side" in page.inner_text("h1")
    assert page.inner_text("[data-change='pillar-1']") == "▼ -1 points"
    page.locator("#chart-pillars-year-over-year").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-pillars-year-over-year .main-svg")
    page.locator("#chart-indicators-year-over-year").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-indicators-year-over-year .main-svg")
    # the table of the indicators is open on the page: the numbers behind the bars
    assert "-20" in page.inner_text("#indicators-year-over-year-title ~ div details table")
    shoot(page, "year-over-year")
    assert errors == []


def test_the_coverage_grid(browser_page, personas):
    entry("1.b.2.1", "2019S2", kecamatan="53.03.08")
    entry("1.b.2.1", "2021S1", kecamatan="53.03.01")
    entry("1.b.2.2", "2020S1", kecamatan="53.03.08")
    entry("1.b.4.1", "2018S2", kecamatan="53.03.12")
    page = browser_page
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    sign_in(page, "reviewer")
    page.goto(page.base_url + f"{RAD}/dashboard/")
    page.click("text=Where the work happened")
    grid = page.locator(".coverage-grid table")
    grid.scroll_into_view_if_needed()
    row = grid.locator("tr", has=page.locator("th", has_text="Insana"))
    assert row.locator("td").nth(0).inner_text().startswith("✓ 2019S2")
    assert row.locator("td").nth(1).inner_text().startswith("✓ 2020S1")
    assert grid.locator("td.coverage-reached").count() == 4
    assert "2 of 24" in grid.locator("thead").inner_text()
    shoot(page, "coverage-grid")
    # by the end of 2020 one place fewer
    page.select_option("#id_year", "2020")
    page.click("form[aria-label='Filters'] button[type=submit]")
    page.wait_for_url(re.compile("year=2020"))
    assert page.locator(".coverage-grid td.coverage-reached").count() == 3
