"""The national view: the provinces side by side, worked out by hand from three plans in two provinces; who may
see it (the country's people and superusers); what the country's people may do elsewhere (read, never change)."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD, keep_permissions, make_user, rad_url
from indicators.models import EntryStatus, Indicator
from indicators.models.roles import REVIEWER
from indicators.tests.factories import entry
from indicators.tests.plan_helpers import make_plan, make_regency
from programs.access import acts_in
from programs.models import Plan, Region, StaffProfile

TTU, BELU, LOBAR = "rad-ttu-2018-2022", "rad-belu-2019-2023", "rad-lobar-2019-2023"
URL = reverse("national:national")


@pytest.fixture
def country(db, plan):
    """NTT (53): TTU and Belu; NTB (52): Lombok Barat. Verified 2021 socialisation: TTU 300 + 200, Belu 400
    (and 1,000 only submitted, not counted), Lombok Barat 250, each against 1,000 a year (5,000 over five)."""
    Region.objects.get_or_create(code="52", defaults={"name": "Nusa Tenggara Barat", "level": Region.Level.PROVINSI})
    make_plan(BELU)
    make_plan(LOBAR, region=make_regency("52.01", "Kabupaten Lombok Barat"))
    entry("1.a.1.1", "2021S1", value=300)
    entry("1.a.1.1", "2021S2", value=200)
    entry("1.a.1.1", "2021S1", rad=BELU, value=400)
    entry("1.a.1.1", "2021S1", rad=BELU, value=1000, status=EntryStatus.SUBMITTED)
    entry("1.a.1.1", "2021S1", rad=LOBAR, value=250)
    return {code: Plan.objects.get(code=code) for code in (TTU, BELU, LOBAR)}


def agencies(code: str) -> int:
    return Indicator.objects.filter(plan__code=code).values("agency").distinct().count()


def test_the_provinces_side_by_side(client_for, national_reviewer, country):
    response = client_for(national_reviewer).get(URL, {"year": 2021}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    view = response.context["view"]
    ntb, ntt = view.rows  # by code: 52 before 53
    assert (ntb.province.code, ntb.plans, ntb.reporting) == ("52", 1, 1)
    assert (ntt.province.code, ntt.plans, ntt.reporting) == ("53", 2, 2)
    assert ntb.tags["socialisation-reach"] == (Decimal(1000), Decimal(250))
    assert ntt.tags["socialisation-reach"] == (Decimal(2000), Decimal(900))
    reach = next(t for t in view.tags if t.tag == "socialisation-reach")
    assert (reach.target, reach.actual) == (Decimal(3000), Decimal(1150))
    assert round(reach.achievement, 2) == Decimal("38.33")  # 1,150 ÷ 3,000
    # every indicator of every plan counted once: 47 a plan
    assert sum(ntt.statuses.values()) == 2 * 47 and sum(ntb.statuses.values()) == 47
    assert sum(view.totals.statuses.values()) == 3 * 47
    # the gaps as the province page counts them: in TTU only Disnakertrans reported (both semesters), in Belu and
    # Lombok Barat only in the first
    assert ntt.gaps == (2 * agencies(TTU) - 2) + (2 * agencies(BELU) - 1)
    assert ntb.gaps == 2 * agencies(LOBAR) - 1
    # a pillar's figure: the mean of its plans' (the province page's columns), each plan weighing the same
    province = client_for(national_reviewer).get(reverse("province:province", args=["53"]), {"year": 2021})
    columns = province.context["view"].columns
    for number, figure in ntt.pillars.items():
        present = [c.pillars[number] for c in columns if c.pillars[number] is not None]
        assert figure == (sum(present) / len(present) if present else None)
    body = response.content.decode()
    assert 'href="/province/52/?year=2021"' in body and "Nusa Tenggara Barat" in body


def test_a_plan_without_a_report_in_the_year_is_not_reporting(client_for, national_reviewer, country):
    view = client_for(national_reviewer).get(URL, {"year": 2020}).context["view"]
    assert [(row.province.code, row.plans, row.reporting) for row in view.rows] == [("52", 1, 0), ("53", 2, 0)]


def test_the_xlsx_reads_back(client_for, national_reviewer, country):
    response = client_for(national_reviewer).get(
        reverse("national:download"), {"year": 2021}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    provinces, tags = load_workbook(io.BytesIO(response.content)).worksheets
    rows = {row[0]: row for row in provinces.iter_rows(values_only=True) if row and row[0]}
    assert rows["Nusa Tenggara Barat (52)"][1:3] == (1, 1)
    assert rows["Country"][1:3] == (3, 3)
    assert tags.title == "Standard indicators"
    tag_rows = {row[0]: row for row in tags.iter_rows(values_only=True) if row and row[0]}
    assert tag_rows["People reached by socialisation"][2:4] == (3000, 1150)
    # each sheet prints its own table's header on every page, never another table's (printed through LibreOffice,
    # the provinces' header stood over the standard indicators' rows)
    for ws, first_heading in ((provinces, "Province"), (tags, "Standard indicator")):
        header = next(r for r in ws.iter_rows(min_col=1, max_col=1) if r[0].value == first_heading)[0].row
        assert ws.print_title_rows == f"${header}:${header}"


@pytest.mark.parametrize("who", ["officer_a", "verifier", "reviewer", "executive", "admin", "outsider"])
def test_no_one_else_finds_it(client_for, personas, country, who):
    expected = 403 if who == "outsider" else 404  # without a role no page opens at all
    assert client_for(personas[who]).get(URL).status_code == expected
    assert client_for(personas[who]).get(reverse("national:download")).status_code == expected


def test_a_province_reviewer_does_not_find_it(client_for, personas, country):
    assert client_for(make_user("province_reviewer", REVIEWER, region="53")).get(URL).status_code == 404


def test_a_superuser_reads_it(client, country):
    client.force_login(User.objects.create_superuser("root", "root@example.org", PASSWORD))
    assert client.get(URL).status_code == 200


def test_the_country_reads_every_province_and_plan_and_changes_nothing(client_for, national_reviewer, country):
    client = client_for(national_reviewer)
    assert client.get("/").url == URL  # she starts from the provinces
    for code in ("52", "53"):
        assert client.get(reverse("province:province", args=[code])).status_code == 200
    assert client.get(rad_url("reports:overview", rad=LOBAR)).status_code == 200
    assert not any(acts_in(national_reviewer, plan) for plan in country.values())
    before = country[TTU].indicators.get(code="1.a.1.1").entries.count()
    response = client.post(rad_url("indicators:new_entry", "1.a.1.1"), {"period": "2021S1", "value": 5})
    assert response.status_code in (403, 404)
    assert country[TTU].indicators.get(code="1.a.1.1").entries.count() == before


def test_a_person_of_the_country_belongs_to_no_regency(db, plan):
    user = User.objects.create_user("nr2", "nr2@example.org", PASSWORD)
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffProfile.objects.create(user=user, national=True, region=Region.objects.get(code="53.03"))


def test_queries_do_not_grow_with_provinces_or_plans(client_for, national_reviewer, country, django_assert_num_queries):
    """The country's plans are computed together, as the province page computes its regencies: the same number of
    queries for one province of one plan as for two provinces of three plans; from the stored figures, a few."""
    from django.core.cache import cache

    from conftest import clear_cache

    client = client_for(national_reviewer)
    keep_permissions(national_reviewer)
    counts = []
    for active in ([LOBAR], [TTU, BELU, LOBAR]):
        Plan.objects.exclude(code__in=active).update(status=Plan.Status.CLOSED)
        Plan.objects.filter(code__in=active).update(status=Plan.Status.ACTIVE)
        clear_cache(cache)
        with CaptureQueriesContext(connection) as cold:
            assert len(client.get(URL, {"year": 2021}).context["view"].rows) == (1 if len(active) == 1 else 2)
        counts.append(len(cold.captured_queries))
    # as the province page: four for the page (session, the user with her profile (her permissions kept), the active
    # plans, the demo check), two for the stored figures (deadlines, rows), six for every missing plan's figures
    # at once, four for their reporting gaps and two to store them
    assert counts == [18, 18]
    clear_cache(cache)  # the page's content, kept: read the stored figures again
    with CaptureQueriesContext(connection) as warm:
        client.get(URL, {"year": 2021})
    assert len(warm.captured_queries) == 6  # the columns come from the stored figures: the four and the two
