"""Dashboard pages: who reads them, their figures, bad filters and query counts."""

import csv
import datetime
import io

import pytest

from conftest import DEFAULT_RAD, RAD
from indicators.models import EntryStatus
from indicators.tests.factories import entry
from reports.tests.chart_csv import chart_rows

PAGES = [
    f"{RAD}/dashboard/",
    f"{RAD}/dashboard/pillar/1/",
    f"{RAD}/dashboard/indicator/1.a.1.1/",
    f"{RAD}/dashboard/kecamatan/",
    f"{RAD}/dashboard/compare/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_sign_in(client, plan, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_a", "verifier", "reviewer", "executive", "admin"])
@pytest.mark.parametrize("url", PAGES)
def test_every_role_reads_the_dashboard(client_for, personas, who, url):
    assert client_for(personas[who]).get(url).status_code == 200


@pytest.mark.django_db
def test_a_user_without_a_role_is_refused(client_for, personas):
    assert client_for(personas["outsider"]).get(f"{RAD}/dashboard/").status_code == 403


@pytest.mark.django_db
def test_no_data_yet_state_on_every_chart(client_for, personas):
    client = client_for(personas["reviewer"])
    for url in PAGES:
        body = client.get(url).content.decode()
        assert "data-chart=" not in body, url
        assert "No data yet" in body or "Belum ada data" in body, url


@pytest.mark.django_db
def test_overview_shows_pillar_achievement_and_csv_has_the_same_numbers(client_for, personas):
    entry("1.a.1.1", "2018S1", value=700)  # 70 % of 2018's 1,000; the only indicator with data in pillar 1
    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = "en"
    body = client.get(f"{RAD}/dashboard/").content.decode()
    assert 'data-chart="chart-pillar-years"' in body
    rows = chart_rows(client.get(f"{RAD}/dashboard/?csv=pillar-years").content)
    assert rows[0] == ["Pillar", "Year", "Achievement (%)", "Indicators due"]
    pillar1_2018 = next(r for r in rows if r[0] == "Pillar 1" and r[1] == "2018")
    # pillar 1 in 2018: 10 indicators due (7 counts, 3 coverage; the two milestones fall due in 2022);
    # one at 70 %, nine at 0 % → 7 % (a whole number, written whole)
    assert pillar1_2018 == ["Pillar 1", "2018", "7", "10"]


@pytest.mark.django_db
def test_unverified_flag_changes_the_figures(client_for, personas):
    entry("2.d.1.1", "2019S1", value=12, status=EntryStatus.SUBMITTED)
    client = client_for(personas["reviewer"])
    official = client.get(f"{RAD}/dashboard/indicator/2.d.1.1/?csv=trend").content.decode()
    flagged = client.get(f"{RAD}/dashboard/indicator/2.d.1.1/?unverified=on&csv=trend").content.decode()
    assert "2019S1,12" not in official
    assert "2019S1,12,12," in flagged


@pytest.mark.django_db
def test_kecamatan_breakdown_lists_all_24_with_zeros(client_for, personas):
    entry("1.b.2.1", "2019S1", kecamatan="53.03.08")
    rows = chart_rows(client_for(personas["reviewer"]).get(f"{RAD}/dashboard/indicator/1.b.2.1/?csv=kecamatan").content)
    assert len(rows) == 1 + 24
    assert ["53.03.08", "Insana", "1", "1"] in rows
    assert ["53.03.04", "Noemuti", "0", "0"] in rows


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url,status",
    [
        (f"{RAD}/dashboard/pillar/9/", 404),
        (f"{RAD}/dashboard/indicator/9.z.9.9/", 404),
        (f"{RAD}/dashboard/?csv=nonexistent", 404),
        (f"{RAD}/dashboard/?year=2030", 200),
        (f"{RAD}/dashboard/?year=abc&pillar=x&agency=nobody&kecamatan=99.99", 200),
    ],
)
def test_bad_input_is_404_or_a_clear_message(client_for, personas, url, status):
    response = client_for(personas["reviewer"]).get(url)
    assert response.status_code == status
    if status == 200:
        assert "ignored" in response.content.decode() or "diabaikan" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_entries(client_for, personas, django_assert_max_num_queries, url):
    client = client_for(personas["reviewer"])
    entry("1.a.1.1", "2018S1", value=5)
    with django_assert_max_num_queries(20) as before:
        client.get(url + "?kecamatan=53.03.08" if "kecamatan" in url else url)
    for n in range(25):
        entry("1.a.1.1", "2019S1", value=n, kecamatan=f"53.03.{1 + n % 24:02d}")
        entry("1.b.2.1", "2019S2", kecamatan=f"53.03.{1 + n % 24:02d}")
        entry("2.b.1.3", "2020S1", numerator=n, denominator=30)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url + "?kecamatan=53.03.08" if "kecamatan" in url else url)
    assert len(before.captured_queries) <= 15


@pytest.mark.django_db
def test_entries_link_to_their_page_only_for_those_who_may_open_them(client_for, personas):
    own = entry("1.a.1.1", "2018S1", value=10)  # Disnakertrans's indicator
    link = f'href="{RAD}/entries/{own.pk}/"'
    assert link in client_for(personas["reviewer"]).get(f"{RAD}/dashboard/indicator/1.a.1.1/").content.decode()
    assert link in client_for(personas["officer_a"]).get(f"{RAD}/dashboard/indicator/1.a.1.1/").content.decode()
    assert link not in client_for(personas["officer_b"]).get(f"{RAD}/dashboard/indicator/1.a.1.1/").content.decode()


@pytest.mark.django_db
def test_every_chart_is_a_valid_plotly_figure(plan):
    """The figures are plain dicts for speed; plotly's own validators check them here."""
    import json

    import plotly.graph_objects as go

    from indicators.figures.rollup import compute, kecamatan_figures
    from programs.models import Region
    from reports.dashboards import charts as figures

    entry("1.a.1.1", "2018S1", value=700, kecamatan="53.03.08", male=300, female=400)
    entry("1.b.2.1", "2019S1", kecamatan="53.03.04")
    entry("2.b.1.3", "2019S1", numerator=3, denominator=4)
    entry("1.b.1.1", "2019S1", milestone_status="in_progress")
    rollup = compute(plan, as_of=datetime.date(2026, 11, 30))
    kecamatan = list(Region.objects.filter(level="kecamatan"))
    charts = [figures.pillar_years(rollup), figures.pillar_to_date(rollup), figures.status_counts(rollup, 2019)]
    charts += [figures.pillar_indicators(rollup.pillar(1), 2019), figures.kecamatan_overview(kecamatan, {})]
    for code in ("1.a.1.1", "1.b.2.1", "2.b.1.3", "1.b.1.1"):
        row = rollup.indicator(code)
        charts += [figures.indicator_trend(row, plan), figures.disaggregation(row)]
        charts.append(figures.kecamatan_bars(row.indicator, kecamatan, kecamatan_figures(plan, row.indicator)))
    drawn = [chart for chart in charts if not chart.empty]
    # 4 plan and pillar charts, 4 trends, 1 sex/age split, 2 kecamatan charts (1.a.1.1 and 1.b.2.1 name one)
    assert len(drawn) == 11
    for chart in drawn:
        go.Figure(json.loads(chart.figure_json))  # raises ValueError on any property plotly does not know


@pytest.mark.django_db
def test_cached_figures_change_with_every_write(client_for, personas, django_assert_max_num_queries, any_cache):
    """Figures are cached per plan data version: a save, a target edit or a bulk import changes it.

    Run on the memory cache and on Redis (CACHE_URL)."""
    from indicators.intake.progress import import_file
    from indicators.models import Target
    from programs.models import Plan

    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = "en"

    def pillar1_2018() -> str:
        rows = list(csv.reader(io.StringIO(client.get(f"{RAD}/dashboard/?csv=pillar-years").content.decode())))
        return next(r for r in rows if r[0] == "Pillar 1" and r[1] == "2018")[2]

    assert pillar1_2018() == "0"
    with django_assert_max_num_queries(11):  # the second request is served from the cache
        client.get(f"{RAD}/dashboard/")
    entry("1.a.1.1", "2018S1", value=700)  # a save: 70 % of 1,000, one of 10 indicators due → 7.0
    assert pillar1_2018() == "7"
    target = Target.objects.get(indicator__code="1.a.1.1", year=2018)
    target.value = 700
    target.save()  # 700 of 700 = 100 % → 10.0
    assert pillar1_2018() == "10"
    csv_file = b"code,period,value\n1.a.2.1,2018S1,12\n"  # 12 of 12 sessions = 100 % → (100 + 100) / 10
    result = import_file(csv_file, plan=Plan.objects.get(code=DEFAULT_RAD), user=personas["admin"], status="verified")
    assert result.ok, result.rows
    assert pillar1_2018() == "20"


@pytest.mark.django_db
def test_chart_csv_never_carries_a_formula(client_for, personas):
    from indicators.models import Indicator

    Indicator.objects.filter(code="1.a.1.1").update(text_id='=HYPERLINK("http://example.org")')
    body = client_for(personas["reviewer"]).get(f"{RAD}/dashboard/pillar/1/?csv=pillar-indicators").content.decode()
    row = next(r for r in csv.reader(io.StringIO(body)) if r[0] == "1.a.1.1")
    assert row[1] == '\'=HYPERLINK("http://example.org")'


@pytest.mark.django_db
def test_milestones_read_in_words_on_the_pillar_page_and_its_csv(client_for, personas):
    entry("1.b.1.1", "2019S1", milestone_status="in_progress")
    client = client_for(personas["reviewer"])
    page = client.get(f"{RAD}/dashboard/pillar/1/?year=2019", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "In progress" in page and "Achieved" in page  # the state and the target, in words
    body = client.get(f"{RAD}/dashboard/pillar/1/?year=2019&csv=pillar-indicators", HTTP_ACCEPT_LANGUAGE="en")
    row = next(r for r in csv.reader(io.StringIO(body.content.decode())) if r[0] == "1.b.1.1")
    # target, actual, achievement and status of 2019; actual and achievement to date
    assert row[2:7] == ["Achieved", "In progress", "50", "On track", "In progress"]
    trend = client.get(f"{RAD}/dashboard/indicator/1.b.1.1/?csv=trend", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2019S1,In progress,In progress,30" in trend  # pace: 3 of the 10 steps to the end of 2022
