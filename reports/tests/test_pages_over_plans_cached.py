"""The province and national pages keep their content in the cache (reports.views.content.page_over_plans) until
one of their plans changes: its data (a deadline moved included), what the page shows of it (a name), or the plan
leaves the view; never while figures shown are being brought up to date."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators.models import ReportingDeadline
from indicators.tallies import plan_figures
from indicators.tests.factories import entry
from indicators.tests.plan_helpers import record_computed_plans
from programs.models import Plan, Region
from reports.tests.test_stored_figures import BELU, NATIONAL, PROVINCE

ID = {"HTTP_ACCEPT_LANGUAGE": "id"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def built(response) -> bool:
    """Whether the page's view was built for this response (its content not served from the cache)."""
    return response.context is not None and response.context.get("view") is not None


def nav(response) -> str:
    html = response.content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def reader(client_for, province_reviewer, national_reviewer):
    def reader_of(url):
        return client_for(province_reviewer if url == PROVINCE else national_reviewer)

    return reader_of


@pytest.mark.parametrize("url", [PROVINCE, NATIONAL])
def test_the_second_reader_is_served_the_kept_content_in_fewer_queries(
    reader, belu, url, django_assert_num_queries, settings
):
    settings.DEMO_MODE = False
    client = reader(url)
    first = client.get(url, {"year": 2021}, **EN)
    assert "view" in first.context  # built
    # session, user (with her profile; her permissions kept under its token), the active plans (with their province)
    with django_assert_num_queries(3):
        second = client.get(url, {"year": 2021}, **EN)
    assert not built(second)  # not built again: the content kept
    assert main(second) == main(first)
    assert ("Kabupaten Belu" if url == PROVINCE else "Nusa Tenggara Timur") in main(second)
    # the other language and another year are pages of their own
    assert built(client.get(url, {"year": 2021}, **ID))
    assert built(client.get(url, {"year": 2020}, **EN))


@pytest.mark.parametrize("url", [PROVINCE, NATIONAL])
def test_a_write_a_deadline_a_new_name_or_a_closed_plan_shows_on_the_next_request(reader, belu, url, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2022, 6, 1))
    client = reader(url)
    client.get(url, {"year": 2021}, **EN)
    # a verified entry: Belu's socialisation of 2021 from 400 to 450 (province: 900 to 950 with TTU's 500)
    entry("1.a.1.1", "2021S2", rad=BELU, value=50)
    response = client.get(url, {"year": 2021}, **EN)
    total = next(t for t in response.context["view"].tags if t.tag == "socialisation-reach")
    assert total.actual == Decimal(950)

    # a deadline moved: on 1 June 2022, 2021 S2's reports were due since 15 January 2022 (the default); now not
    # before 31 December 2022 (the calendar point moves; the deadline moves the plan's data version on)
    before = client.get(url, {"year": 2021}, **EN)
    assert not built(before)
    ReportingDeadline.objects.create(plan=belu, year=2021, semester=2, deadline=datetime.date(2022, 12, 31))
    assert built(client.get(url, {"year": 2021}, **EN))

    # the page names the regency (province page) or the province (national page)
    region = belu.region if url == PROVINCE else belu.region.parent
    Region.objects.filter(pk=region.pk).update(name="Nama Baru")
    renamed = client.get(url, {"year": 2021}, **EN)
    assert built(renamed)
    assert "Nama Baru" in main(renamed)

    Plan.objects.filter(pk=belu.pk).update(status=Plan.Status.CLOSED)
    closed = client.get(url, {"year": 2021}, **EN)
    view = closed.context["view"]
    plans = len(view.columns) if url == PROVINCE else view.totals.plans
    assert plans == 1  # TTU alone


def test_figures_being_brought_up_to_date_are_not_kept(client_for, province_reviewer, belu, monkeypatch, settings):
    client = client_for(province_reviewer)
    client.get(PROVINCE, {"year": 2021})
    monkeypatch.setattr(plan_figures, "IN_REQUEST", 0)
    settings.FIGURES_STORED_AHEAD = True
    entry("1.a.1.1", "2021S2", rad=BELU, value=50)
    record_computed_plans(monkeypatch)
    for _reader in range(2):  # each request builds: the note and the stale figures are not kept
        response = client.get(PROVINCE, {"year": 2021}, **EN)
        assert response.context["view"].behind == 1
        assert "being brought up to date" in main(response)
    plan_figures.recompute_stale.call()
    response = client.get(PROVINCE, {"year": 2021}, **EN)  # same data version, same key: built now, not kept before
    assert response.context["view"].behind == 0
    assert "being brought up to date" not in main(response)
    total = next(t for t in response.context["view"].tags if t.tag == "socialisation-reach")
    assert total.by_plan[belu.pk] == (Decimal(1000), Decimal(450))
    assert not built(client.get(PROVINCE, {"year": 2021}, **EN))  # kept from now on


def test_a_reader_of_another_province_is_not_served_the_kept_page(client_for, province_reviewer, personas, belu):
    assert client_for(province_reviewer).get(PROVINCE).status_code == 200  # kept
    assert client_for(personas["reviewer"]).get(PROVINCE).status_code == 404  # a regency's reviewer: not hers
    assert client_for(personas["reviewer"]).get(NATIONAL).status_code == 404


def test_a_province_without_active_plans_is_shown_and_an_unknown_one_is_not(client_for, province_reviewer, belu):
    Plan.objects.update(status=Plan.Status.CLOSED)
    response = client_for(province_reviewer).get(PROVINCE, **EN)
    assert response.status_code == 200
    assert "Nusa Tenggara Timur" in main(response)  # the province read by itself, with no plan to bring it
    assert client_for(province_reviewer).get(PROVINCE.replace("/53/", "/99/")).status_code == 404


def test_the_navigation_links_to_the_province_shown(client_for, national_reviewer, belu):
    """The navigation's "Province" link is the page's own province: the kept navigation of one province's page is
    not the next one's (the country's reviewer reads both)."""
    Region.objects.create(code="52", name="Nusa Tenggara Barat", level=Region.Level.PROVINSI)
    client = client_for(national_reviewer)
    link = re.compile(r'href="(/province/\d+/)"')
    assert link.findall(nav(client.get("/province/53/"))) == ["/province/53/"]
    assert link.findall(nav(client.get("/province/52/"))) == ["/province/52/"]
