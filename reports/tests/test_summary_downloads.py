"""Who may download the summaries, at which addresses, in which language."""

import csv
import io

import pytest
from django.urls import reverse

from conftest import RAD

READERS = ["executive", "reviewer", "verifier", "admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", READERS)
def test_readers_download_every_format(client_for, personas, entries, persona):
    client = client_for(personas[persona])
    response = client.get(f"{RAD}/reports/2021/summary.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rad-ttu-2018-2022-summary-2021.csv"'
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert rows["1.a.1.1"]["year_actual"] == "700"


@pytest.mark.django_db
def test_pdf_and_xlsx_for_a_year_and_the_whole_plan(client_for, personas, entries):
    client = client_for(personas["executive"])
    for url, kind, name in [
        (f"{RAD}/reports/2021/summary.pdf", "application/pdf", "summary-2021.pdf"),
        (f"{RAD}/reports/plan/summary.xlsx", "application/vnd.openxmlformats", "summary-plan.xlsx"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(kind)
        assert name in response["Content-Disposition"]
        assert response.content[:4] in (b"%PDF", b"PK\x03\x04")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "outsider"])
def test_officers_and_users_without_a_role_are_refused(client_for, personas, persona):
    client = client_for(personas[persona])
    assert client.get(f"{RAD}/reports/").status_code == 403
    assert client.get(f"{RAD}/reports/2021/summary.csv").status_code == 403
    assert client.get(f"{RAD}/reports/plan/summary.pdf").status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, plan):
    for url in [f"{RAD}/reports/", f"{RAD}/reports/2021/summary.pdf", f"{RAD}/reports/plan/summary.csv"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", [f"{RAD}/reports/2030/summary.pdf", f"{RAD}/reports/2017/summary.csv", f"{RAD}/reports/2021/summary.doc"]
)
def test_year_outside_the_plan_or_unknown_format_is_404(client_for, personas, url):
    assert client_for(personas["executive"]).get(url).status_code == 404


@pytest.mark.django_db
def test_report_follows_the_readers_language(client_for, personas, entries):
    client = client_for(personas["reviewer"])
    english = client.get(f"{RAD}/reports/2021/summary.csv", HTTP_ACCEPT_LANGUAGE="en")
    indonesian = client.get(f"{RAD}/reports/2021/summary.csv", HTTP_ACCEPT_LANGUAGE="id")
    assert "5,000 officials" in english.content.decode("utf-8-sig")
    assert "Tersosialisasikannya kepada 5.000 orang" in indonesian.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_reports_page_links_every_year_and_the_plan(client_for, personas):
    response = client_for(personas["executive"]).get(f"{RAD}/reports/")
    assert response.status_code == 200
    html = response.content.decode()
    for year in range(2018, 2023):
        for ext in ("pdf", "xlsx", "csv"):
            assert f'href="{RAD}/reports/{year}/summary.{ext}"' in html
    for ext in ("pdf", "xlsx", "csv"):
        assert f'href="{RAD}/reports/plan/summary.{ext}"' in html
    assert f'active" aria-current="page" href="{RAD}/reports/"' in html  # the nav item marks the page


@pytest.mark.django_db
def test_nav_shows_reports_only_to_those_who_may_download(client_for, personas):
    link = f'href="{RAD}/reports/"'
    assert link in client_for(personas["executive"]).get(f"{RAD}/").content.decode()
    assert link not in client_for(personas["officer_a"]).get(f"{RAD}/").content.decode()
