"""Dashboard pages and summary files kept in the cache between two writes (reports.dashboards.page_cache)."""

import csv
import io
import re
import threading
import time

import pytest

from conftest import RAD
from indicators.models import Target
from indicators.tests.factories import entry
from reports.dashboards import page_cache
from reports.files import summary

PAGES = [
    f"{RAD}/dashboard/",
    f"{RAD}/dashboard/pillar/1/",
    f"{RAD}/dashboard/indicator/1.a.1.1/",
    f"{RAD}/dashboard/kecamatan/",
]


@pytest.mark.django_db
def test_a_new_release_renders_afresh(client_for, personas, monkeypatch):
    """On a cache shared across a deployment (Redis), content rendered by older templates is not served."""
    from reports.views import content

    renders = []
    real = content.render_to_string
    monkeypatch.setattr(content, "render_to_string", lambda *a, **k: renders.append(a[0]) or real(*a, **k))
    client = client_for(personas["reviewer"])
    client.get(f"{RAD}/dashboard/")
    client.get(f"{RAD}/dashboard/")
    assert renders == ["reports/overview.html"]
    monkeypatch.setattr(page_cache, "release", lambda: "the next release")
    client.get(f"{RAD}/dashboard/")
    assert renders == ["reports/overview.html"] * 2


def main(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def actual_to_date(client) -> str:
    body = client.get(f"{RAD}/dashboard/indicator/1.a.1.1/").content.decode()
    # the figure, without the unit after it
    return re.search(r"Actual to date</div><div class=\"fs-4\">([^<\s]*)", body).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_a_cached_page_costs_four_queries(client_for, personas, django_assert_num_queries, url):
    entry("1.a.1.1", "2018S1", value=700)
    client = client_for(personas["reviewer"])
    first = client.get(url)
    # session, the user with her staff profile (her permissions, her own and her groups', kept under its token),
    # the plan (its data version), the demo banner
    with django_assert_num_queries(4):
        second = client.get(url)
    # the same content (the page around it carries a fresh CSRF token each time)
    assert main(second) == main(first)


@pytest.mark.django_db
def test_an_officer_reads_a_cached_indicator_page_with_as_many_queries(client_for, personas, django_assert_num_queries):
    client = client_for(personas["officer_a"])
    client.get(f"{RAD}/dashboard/indicator/1.a.1.1/")
    with django_assert_num_queries(4):  # her staff profile (which entries link to their page) came with her user
        client.get(f"{RAD}/dashboard/indicator/1.a.1.1/")


@pytest.mark.django_db
def test_a_write_is_seen_at_once(client_for, personas):
    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = "en"
    assert actual_to_date(client) == "–"  # nothing reported
    entry("1.a.1.1", "2018S1", value=700)
    assert actual_to_date(client) == "700"
    entry("1.a.1.1", "2019S2", value=55)
    assert actual_to_date(client) == "755"
    first = main(client.get(f"{RAD}/dashboard/"))
    target = Target.objects.get(indicator__code="1.a.1.1", year=2018)
    target.value = 700  # 1.a.1.1 reaches 100 % in 2018 instead of 70 %: pillar 1's mean moves
    target.save()
    assert main(client.get(f"{RAD}/dashboard/")) != first


@pytest.mark.django_db
def test_each_language_and_filter_has_its_own_copy(client_for, personas):
    entry("1.a.1.1", "2018S1", value=700)
    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = "en"
    assert "How the action plan stands" in client.get(f"{RAD}/dashboard/").content.decode()
    client.cookies["django_language"] = "id"
    assert "How the action plan stands" not in client.get(f"{RAD}/dashboard/").content.decode()
    client.cookies["django_language"] = "en"
    assert "Target 2019" not in client.get(f"{RAD}/dashboard/pillar/1/").content.decode()
    assert "Target 2019" in client.get(f"{RAD}/dashboard/pillar/1/?year=2019").content.decode()


@pytest.mark.django_db
def test_a_bad_filter_is_reported_on_a_cached_page_too(client_for, personas):
    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = "en"
    for _ in range(2):
        assert "Filter “Year” ignored" in client.get(f"{RAD}/dashboard/?year=1999").content.decode()


@pytest.mark.django_db
def test_an_unknown_pillar_or_indicator_is_404_every_time(client_for, personas):
    client = client_for(personas["reviewer"])
    for _ in range(2):
        assert client.get(f"{RAD}/dashboard/pillar/9/").status_code == 404
        assert client.get(f"{RAD}/dashboard/indicator/9.z.9.9/").status_code == 404


def year_actual(response) -> str:
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    return rows["1.a.1.1"]["year_actual"]


@pytest.fixture
def builds(monkeypatch):
    """Counts the summary files really built."""
    calls = []
    real = summary.build

    def counting(*args, **kwargs):
        calls.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(summary, "build", counting)
    return calls


@pytest.mark.django_db
def test_a_summary_is_built_once_then_revalidated_with_its_etag(client_for, personas, builds, any_cache):
    entry("1.a.1.1", "2021S1", value=300)
    client = client_for(personas["executive"])
    first = client.get(f"{RAD}/reports/2021/summary.csv")
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-cache"
    etag = first["ETag"]
    assert year_actual(first) == "300"
    again = client.get(f"{RAD}/reports/2021/summary.csv")
    assert again.content == first.content and again["ETag"] == etag
    assert len(builds) == 1  # the second download came from the cache
    not_modified = client.get(f"{RAD}/reports/2021/summary.csv", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert len(builds) == 1

    entry("1.a.1.1", "2021S2", value=45)  # a write: the next request rebuilds
    changed = client.get(f"{RAD}/reports/2021/summary.csv", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert year_actual(changed) == "345"
    assert len(builds) == 2


@pytest.mark.django_db
def test_each_year_format_and_language_is_its_own_file(client_for, personas, builds):
    client = client_for(personas["executive"])
    tags = set()
    for url in [
        f"{RAD}/reports/2021/summary.csv",
        f"{RAD}/reports/2020/summary.csv",
        f"{RAD}/reports/plan/summary.csv",
    ]:
        tags.add(client.get(url)["ETag"])
    client.cookies["django_language"] = "en"
    tags.add(client.get(f"{RAD}/reports/2021/summary.csv")["ETag"])
    assert len(tags) == 4
    assert [b[:2] for b in builds] == [(2021, "csv"), (2020, "csv"), (None, "csv"), (2021, "csv")]
    assert [b[2] for b in builds] == ["id", "id", "id", "en"]


@pytest.mark.django_db
def test_an_etag_does_not_let_a_refused_reader_in(client_for, personas):
    etag = client_for(personas["executive"]).get(f"{RAD}/reports/2021/summary.csv")["ETag"]
    response = client_for(personas["officer_a"]).get(f"{RAD}/reports/2021/summary.csv", headers={"If-None-Match": etag})
    assert response.status_code == 403


def test_two_concurrent_requests_for_a_missing_file_build_it_once(any_cache):
    """On the per-process memory cache (threads of one process) and on Redis (shared by every process)."""
    calls = []

    def slow_build():
        calls.append(threading.get_ident())
        time.sleep(0.3)  # long enough for every other thread to find the file missing
        return b"the file"

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(page_cache.get_or_build("test:concurrent", slow_build)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert results == [b"the file"] * 4


@pytest.fixture
def page_keys(monkeypatch):
    """The cache keys the dashboard pages ask for."""
    asked = []
    real = page_cache.get_or_build

    def spy(cache_key, build):
        asked.append(cache_key)
        return real(cache_key, build)

    monkeypatch.setattr(page_cache, "get_or_build", spy)
    return asked


@pytest.mark.django_db
def test_unknown_query_parameters_make_no_new_copy(client_for, personas, page_keys):
    """Issue 19, finding 4: the key is made of the page's own filters, as they were understood; anything else in
    the query string (tracking tags, junk, a 4 KB parameter) is ignored, and never shown back in the page."""
    client = client_for(personas["reviewer"])
    asks = [
        "?year=2021",
        "?year=2021&utm_source=mail",
        "?utm_source=other&year=2021&x=" + "y" * 4000,
        "?year=2021&year=2021&unverified=",  # repeated, and an empty checkbox
        "?year=2021&pillar=",
    ]
    pages = [client.get(f"{RAD}/dashboard/{ask}") for ask in asks]
    assert {p.status_code for p in pages} == {200}
    assert len(set(page_keys)) == 1
    assert all(len(key) <= 80 for key in page_keys)
    for page in pages:
        html = page.content.decode()
        body = html[html.index("<main") : html.index("</main>")]  # the language form, outside, returns to the address
        assert "utm_source" not in body and "yyyy" not in body
        assert "?year=2021" in body  # the pillar links keep the filters that count


@pytest.mark.django_db
def test_the_same_filters_written_differently_share_a_copy(client_for, personas, page_keys):
    client = client_for(personas["reviewer"])
    for ask in ("?unverified=on&year=2021", "?year=2021&unverified=true", "?unverified=1&year=2021"):
        assert client.get(f"{RAD}/dashboard/{ask}").status_code == 200
    for ask in ("", "?year=1999", "?year=abc", "?pillar=9&agency=nobody"):  # bad values are ignored (and said so)
        assert client.get(f"{RAD}/dashboard/{ask}").status_code == 200
    assert len(set(page_keys)) == 2


@pytest.mark.django_db
def test_a_renamed_pillar_program_activity_or_agency_is_shown_at_once(client_for, personas):
    """The dashboards and files print the plan's frame and agencies by name: a rename in the admin moves the data
    version on, as an entry does (before, the pages kept the old name until the next entry or the next day, the
    built summaries until the next entry)."""
    from programs.models import Activity, Agency, Pillar, Plan, Program

    client = client_for(personas["reviewer"])
    plan = Plan.objects.get(code="rad-ttu-2018-2022")
    pillar = Pillar.objects.get(plan=plan, number=1)
    client.get(f"{RAD}/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    for model, obj in (
        (Pillar, pillar),
        (Program, Program.objects.filter(pillar=pillar).first()),
        (Activity, Activity.objects.filter(program__pillar=pillar).first()),
        (Agency, Agency.objects.get(code="disnakertrans", region__code="53.03")),
    ):
        before = Plan.objects.get(pk=plan.pk).data_version
        obj.name_en = f"Renamed {model.__name__}"
        obj.save()
        assert Plan.objects.get(pk=plan.pk).data_version != before, model.__name__
    page = client.get(f"{RAD}/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Renamed Pillar" in page
