"""The province and national pages read each plan's stored figures (indicators.tallies.plan_figures): a few plans
behind their data are computed in the request, many are shown as stored with a note while a task brings them up
to date, and the pages' queries do not grow with the number of plans."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from conftest import clear_cache
from indicators.models import PlanFigures
from indicators.tallies import plan_figures
from indicators.tests.factories import entry
from indicators.tests.plan_helpers import make_plan, make_regency, record_computed_plans
from programs.models import Plan

TTU, BELU = "rad-ttu-2018-2022", "rad-belu-2019-2023"
PROVINCE = reverse("province:province", args=["53"])
NATIONAL = reverse("national:national")


def reach(view) -> dict[str, tuple]:
    total = next(t for t in view.tags if t.tag == "socialisation-reach")
    return {code: total.by_plan[Plan.objects.get(code=code).pk] for code in (TTU, BELU)}


def test_many_plans_behind_are_shown_as_stored_and_said_to_be_brought_up_to_date(
    client_for, province_reviewer, belu, monkeypatch, settings
):
    client = client_for(province_reviewer)
    client.get(PROVINCE, {"year": 2021})  # both plans computed and stored
    stored_at = PlanFigures.objects.get(plan=belu, year=2021).computed_at
    monkeypatch.setattr(plan_figures, "IN_REQUEST", 1)
    settings.FIGURES_STORED_AHEAD = True
    entry("1.a.1.1", "2021S2", value=50)
    entry("1.a.1.1", "2021S2", rad=BELU, value=50)
    computed = record_computed_plans(monkeypatch)
    response = client.get(PROVINCE, {"year": 2021}, HTTP_ACCEPT_LANGUAGE="en")
    view = response.context["view"]
    assert computed == []  # two plans behind, more than one: nothing computed in the request
    assert reach(view) == {TTU: (Decimal(1000), Decimal(500)), BELU: (Decimal(1000), Decimal(400))}  # as stored
    assert (view.behind, view.since) == (2, stored_at)
    assert "The figures of 2 plans are being brought up to date" in response.content.decode()
    indonesian = client.get(PROVINCE, {"year": 2021}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Angka 2 rencana sedang diperbarui" in indonesian
    workbook = client.get(reverse("province:download", args=["53"]), {"year": 2021}, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "The figures of 2 plans are being brought up to date"
        in load_workbook(io.BytesIO(workbook.content)).active["A3"].value
    )
    queued = DBTaskResult.objects.filter(task_path="indicators.tallies.plan_figures.recompute_stale", status="READY")
    assert queued.count() == 1  # once, whatever the number of readers
    plan_figures.recompute_stale.call()
    view = client.get(PROVINCE, {"year": 2021}).context["view"]
    assert computed == [[TTU, BELU]]  # by the task
    assert reach(view) == {TTU: (Decimal(1000), Decimal(550)), BELU: (Decimal(1000), Decimal(450))}
    assert view.behind == 0


def test_a_plan_never_computed_is_computed_even_when_many_are_behind(
    client_for, province_reviewer, belu, monkeypatch, settings
):
    client = client_for(province_reviewer)
    monkeypatch.setattr(plan_figures, "IN_REQUEST", 0)
    settings.FIGURES_STORED_AHEAD = True
    computed = record_computed_plans(monkeypatch)
    view = client.get(PROVINCE, {"year": 2021}).context["view"]
    assert computed == [[TTU, BELU]]
    assert view.behind == 0
    assert reach(view) == {TTU: (Decimal(1000), Decimal(500)), BELU: (Decimal(1000), Decimal(400))}


def test_without_the_tasks_every_plan_behind_is_computed_in_the_request(
    client_for, province_reviewer, belu, monkeypatch
):
    client = client_for(province_reviewer)
    client.get(PROVINCE, {"year": 2021})
    monkeypatch.setattr(plan_figures, "IN_REQUEST", 0)  # FIGURES_STORED_AHEAD is off in the tests
    entry("1.a.1.1", "2021S2", rad=BELU, value=50)
    computed = record_computed_plans(monkeypatch)
    view = client.get(PROVINCE, {"year": 2021}).context["view"]
    assert computed == [[BELU]] and view.behind == 0
    assert reach(view)[BELU] == (Decimal(1000), Decimal(450))


def add_plans(count: int) -> None:
    """`count` more regencies of NTT with the embedded plan's structure and no entries."""
    for n in range(count):
        code = f"53.{10 + n:02d}"
        make_plan(f"rad-extra-{n}-2019-2023", region=make_regency(code, f"Kabupaten {code}", kecamatan=1))


@pytest.mark.parametrize("url", [PROVINCE, NATIONAL])
def test_the_pages_queries_from_stored_figures_do_not_grow_with_plans(
    client_for, province_reviewer, national_reviewer, belu, url, django_assert_num_queries
):
    """With every plan's figures stored, as many queries for two plans as for five: for the page, the session, the
    user with her profile (her permissions kept under its token), the active plans (with their province) and the
    demo check; then the plans' deadlines (for the calendar point) and their stored figures. The content is not kept
    between the two counts (the cache emptied), so that the stored figures are read."""
    client = client_for(province_reviewer if url == PROVINCE else national_reviewer)
    for plans in (2, 5):
        if plans == 5:
            add_plans(3)
        client.get(url, {"year": 2021})  # stores the figures of the plans not yet stored
        clear_cache(cache)
        with django_assert_num_queries(6):
            response = client.get(url, {"year": 2021})
        view = response.context["view"]
        assert (len(view.columns) if url == PROVINCE else view.totals.plans) == plans
