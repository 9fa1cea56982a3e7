"""axe-core (from the pinned npm package) finds no WCAG 2.1 A/AA violation on the main pages."""

from pathlib import Path

import pytest
from django.conf import settings

from conftest import DEFAULT_RAD, RAD, sign_in
from indicators.models import ConsistencyRule, FollowUp
from indicators.tests.factories import entry
from programs.models import Plan

pytestmark = [pytest.mark.e2e, pytest.mark.bypass_csp, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RULES = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"


def violations(page, path: str) -> list:
    page.goto(page.base_url + path)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        f"async () => (await axe.run({{runOnly: {RULES}}})).violations"
        ".map(v => [v.id, v.nodes.map(n => n.target.join(' '))])"
    )


def test_pages_have_no_wcag_violations(browser_page, personas):
    assert AXE.exists(), "axe-core is installed by `make` from package.json"
    submitted = entry("1.a.1.1", "2021S1", value=320, male=150, female=170, kecamatan="53.03.08", status="submitted")
    entry("1.b.2.1", "2019S1", kecamatan="53.03.04")
    # the cockpit's pages with something to show: a broken rule, an open follow-up
    ConsistencyRule.objects.create(plan=Plan.objects.get(code=DEFAULT_RAD), left_code="2.a.1.3", right_code="3.c.1.1")
    entry("2.a.1.3", "2019S1", value=5)
    FollowUp.objects.create(entry=submitted, note="Ask for the list.", created_by=personas["verifier"])
    page = browser_page
    pages = {
        "officer_a": [
            f"{RAD}/my-indicators/",
            f"{RAD}/indicators/1.a.1.1/entries/new/",
            f"{RAD}/entries/{submitted.pk}/",
        ],
        "verifier": [
            f"{RAD}/verification/",
            f"{RAD}/entries/{submitted.pk}/",
            f"{RAD}/entries/{submitted.pk}/history/",
            *[f"{RAD}/completeness/", f"{RAD}/completeness/?year=2021", f"{RAD}/data-quality/", f"{RAD}/follow-ups/"],
        ],
        "reviewer": [
            f"{RAD}/",
            "/rad/",
            f"{RAD}/indicators/1.a.1.1/",
            f"{RAD}/dashboard/",
            f"{RAD}/dashboard/pillar/1/?year=2021",
            f"{RAD}/dashboard/indicator/1.a.1.1/",
            f"{RAD}/dashboard/kecamatan/?kecamatan=53.03.08",
            f"{RAD}/reports/",
        ],
    }
    found = {}
    for username, paths in pages.items():
        page.context.clear_cookies()
        sign_in(page, username)
        for path in paths:
            if problems := violations(page, path):
                found[f"{username} {path}"] = problems
    assert found == {}
