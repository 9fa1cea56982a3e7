"""The Content-Security-Policy holds and costs nothing: on every page visited, by every role, the
browser reports no CSP violation and no console error (issue 8, finding 9)."""

import pytest

from conftest import RAD, sign_in
from indicators.models import EntryStatus
from indicators.tests.factories import entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Recorded in the page before any of its scripts run.
WATCH = """
window.__problems = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__problems.push(`CSP ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def problems(page, path: str, console: list) -> list:
    console.clear()
    response = page.goto(page.base_url + path)
    page.wait_for_load_state("networkidle")
    # charts are drawn as they come into view: bring them all in, and let plotly.js load and draw
    for chart in page.locator(".chart").all():
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")
    assert "default-src 'self'" in response.headers.get("content-security-policy", ""), path
    return page.evaluate("() => window.__problems") + list(console)


def test_no_csp_violation_or_console_error_on_any_page(browser_page, personas):
    submitted = entry("1.a.1.1", "2021S1", status=EntryStatus.SUBMITTED, user=personas["officer_a"], value=320)
    entry("1.a.1.1", "2020S1", status=EntryStatus.VERIFIED, user=personas["officer_a"], value=700)  # charts to draw
    page = browser_page
    page.add_init_script(WATCH)
    console: list = []
    page.on("console", lambda message: message.type == "error" and console.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    pages = {
        "officer_a": [
            f"{RAD}/my-indicators/",
            f"{RAD}/indicators/1.a.1.1/entries/new/",
            f"{RAD}/entries/{submitted.pk}/",
            f"{RAD}/import/",
            "/accounts/password/",
        ],
        "verifier": [
            f"{RAD}/verification/",
            f"{RAD}/entries/{submitted.pk}/",
            f"{RAD}/entries/{submitted.pk}/history/",
        ],
        "reviewer": [
            f"{RAD}/",
            f"{RAD}/indicators/1.a.1.1/",
            f"{RAD}/dashboard/",
            f"{RAD}/dashboard/pillar/1/?year=2021",
            f"{RAD}/dashboard/indicator/1.a.1.1/",
            f"{RAD}/dashboard/kecamatan/?kecamatan=53.03.08",
            f"{RAD}/reports/",
        ],
        "executive": [f"{RAD}/dashboard/", f"{RAD}/reports/"],
        "admin": ["/admin/", "/admin/auth/user/", f"/admin/indicators/progressentry/{submitted.pk}/change/"],
    }
    found = {}
    page.goto(page.base_url + "/accounts/login/")
    if seen := page.evaluate("() => window.__problems"):
        found["sign-in"] = seen
    for username, paths in pages.items():
        page.context.clear_cookies()
        sign_in(page, username)
        for path in paths:
            if seen := problems(page, path, console):
                found[f"{username} {path}"] = seen
    assert found == {}

    # the charts were drawn under the policy, and the watch does see what the policy blocks
    page.goto(page.base_url + f"{RAD}/dashboard/indicator/1.a.1.1/")
    page.locator(".chart").first.scroll_into_view_if_needed()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.head.append(s); }")
    page.wait_for_timeout(200)
    assert any("script-src" in problem for problem in page.evaluate("() => window.__problems"))
