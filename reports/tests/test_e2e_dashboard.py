"""In headless Chromium: overview → pillar → indicator, each with a rendered plotly chart."""

import pytest

from conftest import RAD, sign_in
from indicators.tests.factories import entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reviewer_clicks_from_overview_into_a_pillar_and_an_indicator(browser_page, personas):
    entry("1.a.1.1", "2018S1", value=700, kecamatan="53.03.08", male=300, female=400)
    entry("1.a.1.1", "2019S1", value=500)
    entry("1.b.2.1", "2019S1", kecamatan="53.03.04")
    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "reviewer")

    page.goto(page.base_url + f"{RAD}/dashboard/")
    # charts are drawn when they come into view (static/js/charts.js)
    page.locator("#chart-pillar-years").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-pillar-years .main-svg")
    assert page.locator("#chart-pillar-years .main-svg").count() >= 1
    assert page.locator("#chart-pillar-years .bars .point").count() > 0

    page.click(f"a[href^='{RAD}/dashboard/pillar/1/']")
    page.locator("#chart-pillar-indicators").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-pillar-indicators .main-svg")
    assert page.url.endswith(f"{RAD}/dashboard/pillar/1/")
    assert "1.a.1.1" in page.inner_text("#chart-pillar-indicators")

    page.click(f"a[href='{RAD}/dashboard/indicator/1.a.1.1/']")
    page.locator("#chart-trend").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-trend .main-svg")
    page.wait_for_timeout(300)
    # the sex/age chart, far below the window, waits until it is scrolled to
    assert page.locator("#chart-sex-age .main-svg").count() == 0
    page.locator("#chart-sex-age").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-sex-age .main-svg")
    assert page.locator("#chart-kecamatan .main-svg").count() >= 1
    # the table beside the chart carries the same numbers: 700 in 2018 S1
    page.click("#trend-title ~ div details summary")
    assert "700" in page.inner_text("#trend-title ~ div details table")
    assert errors == []  # the partial plotly.js bundle draws every chart without a script error


def test_on_a_phone_the_pillar_shows_its_numbers_first_and_draws_the_chart_as_a_picture(browser_page, personas):
    entry("1.a.1.1", "2018S1", value=700)
    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "reviewer")
    page.set_viewport_size({"width": 412, "height": 823})  # Lighthouse's phone (Moto G Power)

    page.goto(page.base_url + f"{RAD}/dashboard/pillar/1/")
    table = page.locator(f"table:has(a[href='{RAD}/dashboard/indicator/1.a.1.1/'])")
    chart = page.locator("#chart-pillar-indicators")
    # numbers first: the indicators table sits above the chart on a narrow screen
    assert table.bounding_box()["y"] < chart.bounding_box()["y"]
    chart.scroll_into_view_if_needed()
    page.wait_for_selector("#chart-pillar-indicators .main-svg")
    assert "1.a.1.1" in page.inner_text("#chart-pillar-indicators")
    # first drawn without the mode bar (a static picture); a tap draws it again, interactive
    assert page.locator("#chart-pillar-indicators .modebar").count() == 0
    chart.click()
    page.wait_for_selector("#chart-pillar-indicators .modebar", state="attached")
    assert errors == []


def test_on_a_wide_screen_the_pillar_chart_comes_first_and_is_interactive(browser_page, personas):
    entry("1.a.1.1", "2018S1", value=700)
    page = browser_page
    sign_in(page, "reviewer")
    page.goto(page.base_url + f"{RAD}/dashboard/pillar/1/")
    table = page.locator(f"table:has(a[href='{RAD}/dashboard/indicator/1.a.1.1/'])")
    chart = page.locator("#chart-pillar-indicators")
    assert chart.bounding_box()["y"] < table.bounding_box()["y"]
    chart.scroll_into_view_if_needed()
    page.wait_for_selector("#chart-pillar-indicators .modebar", state="attached")


def test_on_a_phone_the_kecamatan_page_shows_its_table_open_above_the_chart(browser_page, personas):
    entry("1.b.2.1", "2019S1", kecamatan="53.03.04")
    page = browser_page
    sign_in(page, "reviewer")
    page.set_viewport_size({"width": 412, "height": 823})
    page.goto(page.base_url + f"{RAD}/dashboard/kecamatan/")
    details = page.locator("#kecamatan-activity-title ~ div details")
    assert details.get_attribute("open") is not None
    assert details.bounding_box()["y"] < page.locator("#chart-kecamatan-activity").bounding_box()["y"]
    page.set_viewport_size({"width": 1280, "height": 900})  # from md up the chart comes first
    assert page.locator("#chart-kecamatan-activity").bounding_box()["y"] < details.bounding_box()["y"]
