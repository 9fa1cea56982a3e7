"""The province view: the regencies' active plans side by side, the standard tags added up, who may see it,
its queries and its XLSX (read back)."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from conftest import clear_cache, keep_permissions, make_user, rad_url
from indicators.models import EntryStatus, Indicator
from indicators.models.roles import REVIEWER
from indicators.tests.factories import entry
from indicators.tests.plan_helpers import make_plan, make_regency, record_computed_plans
from programs.models import Plan

TTU = "rad-ttu-2018-2022"
BELU = "rad-belu-2019-2023"
URL = reverse("province:province", args=["53"])
XLSX = reverse("province:download", args=["53"])


@pytest.fixture
def belu(db, plan):
    """Belu's plan (2019–2023, the embedded plan's structure and standard tags) and verified entries in 2021:
    TTU reached 300 + 200 people by socialisation, Belu 400 (and 1,000 only submitted, not counted)."""
    make_plan(BELU)
    entry("1.a.1.1", "2021S1", value=300)
    entry("1.a.1.1", "2021S2", value=200)
    entry("1.a.1.1", "2021S1", rad=BELU, value=400)
    entry("1.a.1.1", "2021S1", rad=BELU, value=1000, status=EntryStatus.SUBMITTED)
    return Plan.objects.get(code=BELU)


@pytest.fixture
def province_reviewer(db, personas):
    return make_user("province_reviewer", REVIEWER, region="53")


def agencies(code: str) -> int:
    return Indicator.objects.filter(plan__code=code).values("agency").distinct().count()


def test_the_regencies_side_by_side_with_the_tags_added_up(client_for, province_reviewer, belu):
    response = client_for(province_reviewer).get(URL, {"year": 2021}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    view = response.context["view"]
    assert [c.plan.code for c in view.columns] == [TTU, BELU]  # by regency code: 53.03 TTU, 53.04 Belu
    totals = {t.tag: t for t in view.tags}
    reach = totals["socialisation-reach"]
    # 5,000 people over five years: 1,000 a year in each plan; actual 300 + 200 (TTU) and 400 (Belu, verified)
    assert reach.by_plan == {
        Plan.objects.get(code=TTU).pk: (Decimal(1000), Decimal(500)),
        belu.pk: (Decimal(1000), Decimal(400)),
    }
    assert (reach.target, reach.actual, reach.achievement) == (Decimal(2000), Decimal(900), Decimal(45))
    # two indicators share the tag in each plan: 25 investigators and 15 prosecutors over five years, 5 + 3 a year
    trained = totals["law-enforcement-trained"]
    assert (trained.target, trained.actual) == (Decimal(16), None)
    assert set(totals) == {
        "socialisation-reach",
        "victims-referred",
        "service-officers-trained",
        "law-enforcement-trained",
        "migrant-workers-repatriated",
    }
    ttu, belu_column = view.columns
    # every indicator is counted under one status
    assert sum(ttu.statuses.values()) == Indicator.objects.filter(plan__code=TTU).count()
    # both semesters of 2021 ended; in TTU only Disnakertrans reported (both), in Belu only in the first
    assert (ttu.gaps, ttu.agencies_with_gaps) == (2 * agencies(TTU) - 2, agencies(TTU) - 1)
    assert (belu_column.gaps, belu_column.agencies_with_gaps) == (2 * agencies(BELU) - 1, agencies(BELU))
    body = response.content.decode()
    assert "People reached by socialisation" in body
    assert "<table" in body and "Kabupaten Belu" in body
    assert '<td class="text-end">500 / 1,000</td><td class="text-end">400 / 1,000</td>' in body
    assert ">45 %<" in body


def test_a_year_outside_a_plan_leaves_the_plan_out(client_for, province_reviewer, belu):
    # 2023 is Belu's last year; TTU's plan ended in 2022
    view = client_for(province_reviewer).get(URL, {"year": 2023}).context["view"]
    assert [c.plan.code for c in view.columns] == [BELU]


def test_only_active_plans(client_for, province_reviewer, belu):
    Plan.objects.filter(code=BELU).update(status=Plan.Status.DRAFT)
    view = client_for(province_reviewer).get(URL, {"year": 2021}).context["view"]
    assert [c.plan.code for c in view.columns] == [TTU]


@pytest.mark.parametrize("who", ["officer_a", "verifier", "reviewer", "executive", "admin"])
def test_a_regencys_people_do_not_see_the_province(client_for, personas, who):
    # a regency's staff see only their regency (DESIGN.md): the province view does not exist for them
    assert client_for(personas[who]).get(URL).status_code == 404
    assert client_for(personas[who]).get(XLSX).status_code == 404


def test_a_person_without_a_role_is_refused(client_for, personas):
    assert client_for(personas["outsider"]).get(URL).status_code == 403


def test_signed_out_is_sent_to_sign_in(client, plan):
    assert client.get(URL).status_code == 302


def test_a_superuser_and_the_province_see_it_and_the_nav_links_it(client_for, province_reviewer, personas, plan):
    root = make_user("root", None, is_superuser=True, is_staff=True)
    assert client_for(root).get(URL).status_code == 200
    assert client_for(province_reviewer).get(URL).status_code == 200
    assert client_for(personas["reviewer"]).get(reverse("province:province", args=["53.03"])).status_code == 404
    plans_page = reverse("programs:plans")
    assert f'href="{URL}"' in client_for(province_reviewer).get(plans_page).content.decode()
    assert f'href="{URL}"' not in client_for(personas["reviewer"]).get(plans_page).content.decode()


def test_queries_do_not_grow_with_plans(client_for, province_reviewer, belu, django_assert_num_queries):
    """Eighteen for one plan and for three never computed: four for the page (session, the user with her profile
    (her permissions kept under its token), the active plans with their province, the demo check), two for the stored
    figures (the plans' deadlines, for the calendar point, and the stored rows), six for every missing plan's
    figures at once (indicators, targets, three entry aggregates, pillars), four for their reporting gaps by the
    cockpit's rule (deadlines, the years with a target, achieved milestones, reports received; the agencies come
    with the indicators) and two to store them (the rows written, the years no longer the plan's deleted). The
    cache is emptied before each count, so that every plan's figures are computed; with the figures stored, six."""
    client = client_for(province_reviewer)
    keep_permissions(province_reviewer)
    Plan.objects.filter(code=BELU).update(status=Plan.Status.CLOSED)
    clear_cache(cache)
    with django_assert_num_queries(18):
        response = client.get(URL, {"year": 2021})
    assert len(response.context["view"].columns) == 1
    Plan.objects.filter(code=BELU).update(status=Plan.Status.ACTIVE)
    make_plan("rad-alor-2020-2024", region=make_regency("53.05", "Kabupaten Alor"), years=(2020, 2024))
    clear_cache(cache)
    with django_assert_num_queries(18):  # TTU's figures are stored: Belu's and Alor's are computed
        response = client.get(URL, {"year": 2021})
    assert len(response.context["view"].columns) == 3
    clear_cache(cache)  # the page's content, kept: read the stored figures again
    with django_assert_num_queries(6):
        client.get(URL, {"year": 2021})


def test_a_change_to_one_plan_computes_that_plan_alone(client_for, province_reviewer, belu, monkeypatch):
    client = client_for(province_reviewer)
    clear_cache(cache)
    client.get(URL, {"year": 2021})
    computed = record_computed_plans(monkeypatch)
    entry("1.a.1.1", "2021S2", rad=BELU, value=50)
    view = client.get(URL, {"year": 2021}).context["view"]
    assert computed == [[BELU]]  # TTU's column came from the cache
    reach = next(t for t in view.tags if t.tag == "socialisation-reach")
    assert reach.by_plan[belu.pk] == (Decimal(1000), Decimal(450))  # 400 + 50
    assert reach.actual == Decimal(950)  # TTU's 500 besides


def test_xlsx_read_back(client_for, province_reviewer, belu):
    response = client_for(province_reviewer).get(XLSX, {"year": 2021}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    ws, tags = load_workbook(io.BytesIO(response.content)).worksheets
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in rows if r[0] == "Figure")
    assert header[1:3] == [f"Kabupaten Timor Tengah Utara\n{TTU}", f"Kabupaten Belu\n{BELU}"]
    # the standard indicators on a sheet of their own: each sheet repeats its own table's header when printed
    assert ws.print_title_rows == f"${rows.index(header) + 1}:${rows.index(header) + 1}"
    assert tags.title == "Standard indicators"
    rows = [[c.value for c in row] for row in tags.iter_rows()]
    tags_header = next(r for r in rows if r[0] == "Standard indicator")
    assert tags.print_title_rows == f"${rows.index(tags_header) + 1}:${rows.index(tags_header) + 1}"
    reach = next(r for r in rows if r[0] == "People reached by socialisation")
    # each regency's actual / target of 2021 (TTU 300 + 200 of 1,000; Belu 400 of 1,000), then the province's
    assert reach[1:7] == ["people", "500 / 1,000", "400 / 1,000", 2000, 900, pytest.approx(0.45)]
    tags_header = next(r for r in rows if r[0] == "Standard indicator")
    assert tags_header[2:4] == ["Kabupaten Timor Tengah Utara\nactual / target", "Kabupaten Belu\nactual / target"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.fitToWidth == 1


def test_warm_figures_leaves_nothing_to_compute_for_the_first_readers(
    client_for, province_reviewer, personas, belu, monkeypatch, django_assert_num_queries
):
    clear_cache(cache)
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("warm_figures", stdout=out, stderr=err)
    assert "Figures of 2 active plans and 1 province views are in the cache" in out.getvalue()
    assert "own memory" in err.getvalue()  # the tests' cache is local memory: said, not refused
    computed = record_computed_plans(monkeypatch)
    client = client_for(province_reviewer)
    # the stored count of test_queries_do_not_grow_with_plans, and her permissions: the reader's first request
    with django_assert_num_queries(7):
        assert client.get(URL).status_code == 200
    assert client_for(personas["reviewer"]).get(rad_url("reports:overview")).status_code == 200
    assert computed == []


@pytest.mark.django_db
def test_the_cached_columns_follow_the_readers_language(client_for, province_reviewer, belu):
    """Issue 19, finding 12: the per-regency columns were cached with the units in the first reader's language."""
    client = client_for(province_reviewer)
    english = client.get(URL, {"year": 2021}, HTTP_ACCEPT_LANGUAGE="en").context["view"]
    indonesian = client.get(URL, {"year": 2021}, HTTP_ACCEPT_LANGUAGE="id").context["view"]
    units = [{t.tag: t.unit for t in view.tags}["socialisation-reach"] for view in (english, indonesian)]
    assert units == ["people", "orang"]
