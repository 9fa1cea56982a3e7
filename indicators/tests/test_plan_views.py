"""The plan browser: sign-in required, the whole plan on one page, locale numbers."""

import pytest
from django.urls import reverse

from conftest import RAD
from indicators.models import Indicator


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", f"{RAD}/indicators/1.a.1.1/", "/admin/"])
def test_anonymous_is_sent_to_sign_in(client, plan, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) or response.url.startswith("/admin/login/")


@pytest.mark.django_db
def test_sign_in_page_is_public(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_a", "verifier", "reviewer", "executive", "admin"])
def test_every_role_reads_the_plan(client_for, personas, who):
    response = client_for(personas[who]).get(f"{RAD}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="indicator-code"><a href=') == 47
    assert "Pencegahan, Pembinaan Trafficking dan Tenaga Kerja" in body


@pytest.mark.django_db
def test_plan_page_query_count_is_fixed(client_for, personas, django_assert_max_num_queries):
    client = client_for(personas["reviewer"])
    # session, user, groups/perms, demo flag, plan, pillars, programs, activities, indicators, targets
    with django_assert_max_num_queries(12):
        client.get(f"{RAD}/")


@pytest.mark.django_db
def test_numbers_in_the_readers_locale(client_for, personas):
    client = client_for(personas["reviewer"])
    indonesian = client.get(f"{RAD}/", headers={"accept-language": "id"}).content.decode()
    assert "5.000 orang" in indonesian
    client.cookies["django_language"] = "en"
    english = client.get(f"{RAD}/").content.decode()
    assert "5,000 people" in english
    assert "Prevention, Trafficking Awareness and Labour Guidance" in english


@pytest.mark.django_db
def test_indicator_detail_shows_note_and_agency(client_for, personas):
    client = client_for(personas["reviewer"])
    indicator = Indicator.objects.get(code="4.a.2.1")
    response = client.get(f"{RAD}/indicators/4.a.2.1/")
    assert response.status_code == 200
    body = response.content.decode()
    assert indicator.note_id in body  # Indonesian by default
    assert indicator.note_en not in body
    assert "Sekretariat Gugus Tugas" in body
    client.cookies["django_language"] = "en"
    english = client.get(f"{RAD}/indicators/4.a.2.1/").content.decode()
    assert indicator.note_en in english
    assert indicator.note_id not in english


@pytest.mark.django_db
def test_unknown_indicator_is_404(client_for, personas):
    assert client_for(personas["reviewer"]).get(f"{RAD}/indicators/9.z.9.9/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/indicators/1.a.1.1/", "/dashboard/", "/reports/", "/my-indicators/", "/import/", "/verification/"],
)
def test_a_user_without_a_role_sees_one_page_saying_so(client_for, personas, path):
    client = client_for(personas["outsider"])
    client.cookies["django_language"] = "en"
    response = client.get(f"{RAD}{path}")
    assert response.status_code == 403
    body = response.content.decode()
    assert "your account has no role yet" in body
    assert "Pencegahan" not in body  # nothing of the plan
    assert f'href="{RAD}/dashboard/"' not in body  # and no menu


@pytest.mark.django_db
def test_a_user_without_a_role_can_still_sign_out_and_change_her_password(client_for, personas):
    client = client_for(personas["outsider"])
    assert client.get("/accounts/password/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


@pytest.mark.django_db
def test_executive_sees_no_entry_list_on_the_dashboard_or_the_plan(client_for, personas):
    from indicators.tests.entries_helpers import make_entry

    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status="verified")
    client = client_for(personas["executive"])
    dashboard = client.get(f"{RAD}/dashboard/indicator/1.a.1.1/").content.decode()
    assert "320" in dashboard  # the figure
    assert f"/entries/{entry.pk}/" not in dashboard
    assert "/indicators/1.a.1.1/entries/" not in client.get(f"{RAD}/indicators/1.a.1.1/").content.decode()
