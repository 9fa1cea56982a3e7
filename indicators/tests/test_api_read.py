"""The API's read side: the plan tree, agencies, regions, entries and figures, per role."""

import re

import pytest

from indicators.models import EntryStatus
from indicators.tests.api_helpers import PLAN, call, token_for
from indicators.tests.factories import entry


@pytest.fixture
def tokens(personas):
    return {name: token_for(user) for name, user in personas.items()}


@pytest.mark.django_db
def test_plan_and_its_tree(client, tokens):
    token = tokens["executive"]  # every role reads the plan, as on the web
    plans = call(client, "get", "/plans", token).json()
    assert plans["count"] == 1
    assert plans["items"][0] == {
        "code": PLAN,
        "name_id": plans["items"][0]["name_id"],
        "name_en": plans["items"][0]["name_en"],
        "region": "53.03",
        "start_year": 2018,
        "end_year": 2022,
    }
    # the fixture: 4 pillars, 16 programs, 27 activities, 47 indicators
    assert len(call(client, "get", f"/plans/{PLAN}/pillars", token).json()) == 4
    programs = call(client, "get", f"/plans/{PLAN}/programs", token).json()
    assert len(programs) == 16 and programs[0]["code"] == "1.a" and programs[0]["pillar"] == 1
    assert len(call(client, "get", f"/plans/{PLAN}/activities", token).json()) == 27
    assert call(client, "get", f"/plans/{PLAN}/indicators?limit=500", token).json()["count"] == 47


@pytest.mark.django_db
def test_indicator_with_targets(client, tokens):
    body = call(client, "get", f"/plans/{PLAN}/indicators/1.a.1.1", tokens["reviewer"]).json()
    # 5,000 people over 2018–2022 in whole units: 1,000 a year
    assert body["plan_target"] == 5000
    assert body["targets"] == [{"year": y, "value": 1000} for y in range(2018, 2023)]
    assert (body["kind"], body["agency"], body["activity"]) == ("count", "disnakertrans", "1.a.1")


@pytest.mark.django_db
def test_pagination(client, tokens):
    first = call(client, "get", f"/plans/{PLAN}/indicators?limit=10&offset=0", tokens["reviewer"]).json()
    last = call(client, "get", f"/plans/{PLAN}/indicators?limit=10&offset=40", tokens["reviewer"]).json()
    assert first["count"] == last["count"] == 47
    assert len(first["items"]) == 10 and len(last["items"]) == 7
    assert call(client, "get", f"/plans/{PLAN}/indicators?limit=501", tokens["reviewer"]).status_code == 422


@pytest.mark.django_db
def test_filters_and_unknowns(client, tokens):
    token = tokens["reviewer"]
    kinds = {i["kind"] for i in call(client, "get", f"/plans/{PLAN}/indicators?kind=milestone", token).json()["items"]}
    assert kinds == {"milestone"}
    assert call(client, "get", "/plans/no-such-plan/pillars", token).status_code == 404
    assert call(client, "get", f"/plans/{PLAN}/indicators/9.z.9.9", token).status_code == 404
    kecamatan = call(client, "get", "/regions?level=kecamatan&parent=53.03&limit=100", token).json()
    assert kecamatan["count"] == 24
    assert {a["code"] for a in call(client, "get", "/agencies", token).json()} >= {"disnakertrans", "dinsos"}


@pytest.mark.django_db
def test_entries_visible_as_on_the_web(client, personas, tokens):
    own = entry("1.a.1.1", "2021S1", value=10, status=EntryStatus.DRAFT, user=personas["officer_a"])
    other = entry("3.a.1.1", "2021S1", value=4, status=EntryStatus.SUBMITTED)
    assert other.agency.code != "disnakertrans"
    officer = call(client, "get", f"/plans/{PLAN}/entries", tokens["officer_a"]).json()
    assert [e["id"] for e in officer["items"]] == [own.pk]
    assert call(client, "get", f"/entries/{other.pk}", tokens["officer_a"]).status_code == 404
    reviewer = call(client, "get", f"/plans/{PLAN}/entries", tokens["reviewer"]).json()
    assert {e["id"] for e in reviewer["items"]} == {own.pk, other.pk}
    submitted = call(client, "get", f"/plans/{PLAN}/entries?status=submitted", tokens["reviewer"]).json()
    assert [e["id"] for e in submitted["items"]] == [other.pk]
    body = call(client, "get", f"/entries/{own.pk}", tokens["officer_a"]).json()
    assert (body["indicator"], body["period"], body["value"], body["status"]) == ("1.a.1.1", "2021S1", 10, "draft")


def _figure(body, code):
    return next(row for row in body["indicators"] if row["code"] == code)


@pytest.mark.django_db
def test_figures_by_year_semester_and_to_date(client, tokens):
    entry("1.a.1.1", "2021S1", value=300)
    entry("1.a.1.1", "2021S2", value=200)
    entry("1.a.1.1", "2022S1", value=100, status=EntryStatus.SUBMITTED)  # not official
    token = tokens["executive"]
    year = call(client, "get", f"/plans/{PLAN}/figures?period=2021", token).json()
    # 2021: 300 + 200 = 500 of the year's 1,000 → 50 %
    row = _figure(year, "1.a.1.1")
    assert (row["target"], row["actual"], row["achievement"], row["entries"]) == (1000, 500, 50, 2)
    semester = _figure(call(client, "get", f"/plans/{PLAN}/figures?period=2021S2", token).json(), "1.a.1.1")
    # S2: 200 of half the year's target (500) → 40 %
    assert (semester["target"], semester["actual"], semester["achievement"]) == (500, 200, 40)
    to_date = _figure(call(client, "get", f"/plans/{PLAN}/figures", token).json(), "1.a.1.1")
    # to date: 500 of 5,000 → 10 %; the submitted 100 is left out
    assert (to_date["target"], to_date["actual"], to_date["achievement"]) == (5000, 500, 10)
    with_submitted = call(client, "get", f"/plans/{PLAN}/figures?unverified=true", token).json()
    assert _figure(with_submitted, "1.a.1.1")["actual"] == 600
    # nothing reported (1.a.1.2, 1,000 brochures a year): no actual, so no achievement, as in the summaries;
    # a milestone's comes from its state (4.a.1.1 achieved: 100)
    entry("4.a.1.1", "2021S1", milestone_status="achieved")
    year = call(client, "get", f"/plans/{PLAN}/figures?period=2021", token).json()
    nothing = _figure(year, "1.a.1.2")
    assert (nothing["target"], nothing["actual"], nothing["achievement"], nothing["entries"]) == (1000, None, None, 0)
    milestone = _figure(year, "4.a.1.1")
    assert milestone["achievement"] == 100


@pytest.mark.django_db
def test_figures_filters(client, tokens):
    entry("1.a.1.1", "2021S1", value=300, kecamatan="53.03.08")
    entry("1.a.1.1", "2021S1", value=50, kecamatan="53.03.01")
    token = tokens["reviewer"]
    body = call(client, "get", f"/plans/{PLAN}/figures?period=2021&kecamatan=53.03.08", token).json()
    assert _figure(body, "1.a.1.1")["actual"] == 300
    body = call(client, "get", f"/plans/{PLAN}/figures?pillar=2", token).json()
    assert [p["number"] for p in body["pillars"]] == [2]
    assert all(row["code"].startswith("2.") for row in body["indicators"])
    bad = call(client, "get", f"/plans/{PLAN}/figures?period=2030", token)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "period"
    bad = call(client, "get", f"/plans/{PLAN}/figures?kecamatan=99.99.99", token)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kecamatan"


@pytest.mark.django_db
def test_figures_etag_and_304(client, tokens, personas):
    token = tokens["reviewer"]
    first = call(client, "get", f"/plans/{PLAN}/figures?period=2021", token)
    etag = first["ETag"]
    again = call(client, "get", f"/plans/{PLAN}/figures?period=2021", token, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    # another query has another tag
    other = call(client, "get", f"/plans/{PLAN}/figures?period=2020", token)
    assert other["ETag"] != etag
    # a new verified entry changes the plan's data version, so the old tag no longer matches
    entry("1.a.1.1", "2021S1", value=1)
    changed = call(client, "get", f"/plans/{PLAN}/figures?period=2021", token, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert _figure(changed.json(), "1.a.1.1")["actual"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/plans", f"/plans/{PLAN}/figures", f"/plans/{PLAN}/entries", "/agencies"])
def test_a_user_without_a_role_reads_nothing(client, tokens, path):
    response = call(client, "get", path, tokens["outsider"])
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}
    assert call(client, "get", path, tokens["officer_a"]).status_code == 200


@pytest.mark.django_db
def test_schema_and_docs_from_the_app(client, client_for, tokens, personas):
    schema = call(client, "get", "/openapi.json", tokens["reviewer"]).json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/plans/{code}/figures" in schema["paths"]
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    # the schema without a token or a session (clients are generated from its address) ...
    anonymous = client.get("/api/v1/openapi.json")
    assert anonymous.status_code == 200 and anonymous.json()["paths"] == schema["paths"]
    # ... but not the docs page, and not a single operation
    assert client.get("/api/v1/docs").status_code == 302
    assert client.get(f"/api/v1/plans/{PLAN}/figures").status_code == 401
    docs = client_for(personas["reviewer"]).get("/api/v1/docs").content.decode()
    # Swagger UI from the app's own static files: no CDN, no inline script
    assert re.search(r'src="/static/ninja/swagger-ui-bundle\.[0-9a-f]+\.js"', docs)
    assert re.search(r'href="/static/ninja/swagger-ui\.[0-9a-f]+\.css"', docs)
    assert "cdn" not in docs.lower() and "https://" not in docs
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", docs, re.S)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs, _body in scripts)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 12])
def test_list_query_counts_do_not_grow(client, tokens, django_assert_num_queries, n):
    for i in range(n):
        entry("1.a.1.1", "2021S1", value=i + 1, kecamatan="53.03.08" if i % 2 else None)
    token = tokens["reviewer"]
    # the token with its user, its last use (first use only), permissions (user's and groups', one query),
    # the plan, the count, the page's rows with their indicator, plan, agency and kecamatan
    with django_assert_num_queries(6):
        assert len(call(client, "get", f"/plans/{PLAN}/entries", token).json()["items"]) == n
    # the token (last use already recorded), permissions (user's and groups', one query), the plan, the count,
    # the page's rows with their tree and agency, the prefetched targets
    with django_assert_num_queries(6):
        assert len(call(client, "get", f"/plans/{PLAN}/indicators?limit=500", token).json()["items"]) == 47


@pytest.mark.django_db
def test_nul_in_the_query_is_a_json_400(client, tokens):
    response = call(client, "get", "/regions?parent=53%0003", tokens["reviewer"])
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "errors"}
