"""Plans as data: the plan list, the way in, old addresses, statuses and overlapping years."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import RAD, make_user, rad_url
from indicators.models.roles import REVIEWER
from indicators.tests.plan_helpers import make_plan, make_regency
from programs.models import Plan


@pytest.mark.django_db
def test_home_leads_to_the_only_active_plan(client_for, personas):
    response = client_for(personas["reviewer"]).get("/")
    assert response.status_code == 302
    assert response.url == f"{RAD}/"


@pytest.mark.django_db
def test_home_lists_the_plans_when_several_are_active(client_for, personas):
    make_plan()
    assert client_for(personas["reviewer"]).get("/").url == f"{RAD}/"  # the other regency's plan is not hers
    client = client_for(make_user("province", REVIEWER, region="53"))
    response = client.get("/")
    assert response.url == reverse("programs:plans")
    body = client.get(response.url).content.decode()
    assert 'href="/rad/rad-ttu-2018-2022/"' in body
    assert 'href="/rad/rad-belu-2019-2023/"' in body
    assert "Kabupaten Belu" in body and "Kabupaten Timor Tengah Utara" in body


@pytest.mark.django_db
def test_home_leads_to_the_active_plan_of_this_year_when_the_old_one_is_still_active(
    client_for, personas, plan, monkeypatch
):
    """TTU's next plan began (this year is in it) before the 2018–2022 plan was closed: the working plan opens."""
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2024, 3, 1))
    current = make_plan("rad-ttu-2023-2027", region=plan.region, years=(2023, 2027))
    assert client_for(personas["reviewer"]).get("/").url == f"/rad/{current.code}/"
    # two active plans, neither of this year: the list
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2030, 3, 1))
    assert client_for(personas["reviewer"]).get("/").url == reverse("programs:plans")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/dashboard/", f"{RAD}/dashboard/"),
        ("/dashboard/pillar/2/?year=2021&unverified=on", f"{RAD}/dashboard/pillar/2/?year=2021&unverified=on"),
        ("/indicators/1.a.1.1/", f"{RAD}/indicators/1.a.1.1/"),
        ("/reports/2021/summary.pdf", f"{RAD}/reports/2021/summary.pdf"),
        ("/my-indicators/", f"{RAD}/my-indicators/"),
        ("/entries/12/", f"{RAD}/entries/12/"),
        ("/import/", f"{RAD}/import/"),
    ],
)
def test_old_addresses_lead_to_the_default_plan(client_for, personas, old, new):
    make_plan()  # with a second plan the bookmark still means the first one
    response = client_for(make_user("province", REVIEWER, region="53")).get(old)
    assert response.status_code == 302
    assert response.url == new


@pytest.mark.django_db
def test_unknown_plan_is_404(client_for, personas):
    assert client_for(personas["reviewer"]).get("/rad/no-such-plan/dashboard/").status_code == 404


@pytest.mark.django_db
def test_an_entry_is_found_only_under_its_own_plan(client_for, personas):
    from indicators.tests.factories import entry

    other = make_plan()
    item = entry("1.a.1.1", "2021S1", value=5)
    client = client_for(make_user("province", REVIEWER, region="53"))
    assert client.get(rad_url("indicators:entry", item.pk)).status_code == 200
    assert client.get(rad_url("indicators:entry", item.pk, rad=other.code)).status_code == 404


@pytest.mark.django_db
def test_overlapping_plan_of_the_same_regency_is_refused_naming_it(plan):
    newer = Plan(code="rad-ttu-2022-2026", name_id="RAD baru", region=plan.region, start_year=2022, end_year=2026)
    with pytest.raises(ValidationError) as error:
        newer.full_clean()
    message = " ".join(error.value.messages)
    assert "rad-ttu-2018-2022" in message and "2018–2022" in message


@pytest.mark.django_db
def test_closed_plans_and_other_regencies_do_not_overlap(plan):
    Plan(
        code="rad-belu-2018-2022", name_id="RAD Belu", region=make_regency(), start_year=2018, end_year=2022
    ).full_clean()
    plan.status = Plan.Status.CLOSED
    plan.save()
    Plan(code="rad-ttu-2022-2026", name_id="RAD baru", region=plan.region, start_year=2022, end_year=2026).full_clean()


@pytest.mark.django_db
def test_a_duplicate_slug_is_refused(plan):
    twin = Plan(code=plan.code, name_id="x", region=make_regency(), start_year=2030, end_year=2031)
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "code" in error.value.message_dict
