"""The year filter drives the whole page; two years side by side; the coverage grid; what a chart's CSV says.

Numbers worked by hand from the RAD TTU fixture: 1.a.1.1 (count) has 1,000 people due in each of 2018–2022
(plan target 5,000); pillar 1 has 10 indicators due every year (7 counts, 3 coverage) and two milestones
due in 2022. The coverage indicators are 1.b.2.1, 1.b.2.2 (kecamatan) and 1.b.4.1 (one desa per kecamatan).
"""

import datetime

import pytest
from django.utils import timezone

from conftest import RAD, keep_permissions
from indicators.tests.factories import entry
from reports.tests.chart_csv import chart_comments, chart_rows

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def reviewer(client_for, personas):
    return client_for(personas["reviewer"])


@pytest.mark.django_db
def test_the_year_filter_drives_the_cards_and_the_subtitle(reviewer):
    entry("1.a.1.1", "2018S1", value=700)  # 2018: 700 of 1,000 = 70 %; pillar 1 in 2018: 70 / 10 = 7.0 %
    entry("1.a.1.1", "2021S1", value=400)  # 2021: 400 of 1,000 = 40 %; pillar 1 in 2021: 40 / 10 = 4.0 %
    page = reviewer.get(f"{RAD}/dashboard/?year=2021", **EN).content.decode()
    assert 'data-card="pillar-1">4 %</p>' in page
    assert "2021, mean of 10 indicators due" in page
    assert "figures of 2021, as of Dec. 31, 2021" in page
    page = reviewer.get(f"{RAD}/dashboard/?year=2018", **EN).content.decode()
    assert 'data-card="pillar-1">7 %</p>' in page
    assert "as of Dec. 31, 2018" in page
    # to date (the plan ended on Dec 31, 2022): 1,100 of 5,000 = 22 % over pillar 1's 13 targeted indicators
    # (the 10 due every year and 3 milestones) = 1.7 %
    page = reviewer.get(f"{RAD}/dashboard/", **EN).content.decode()
    assert 'data-card="pillar-1">1.7 %</p>' in page
    assert "figures as of Dec. 31, 2022" in page


@pytest.mark.django_db
def test_the_year_filter_drives_the_pillar_and_indicator_headlines(reviewer):
    entry("1.a.1.1", "2021S1", value=400)
    pillar = reviewer.get(f"{RAD}/dashboard/pillar/1/?year=2021", **EN).content.decode()
    assert "Achievement in 2021 4 %, the mean of 10 indicators due that year (as of Dec. 31, 2021)." in pillar
    assert "Status 2021" in pillar
    indicator = reviewer.get(f"{RAD}/dashboard/indicator/1.a.1.1/?year=2021", **EN).content.decode()
    assert "Figures of 2021, as of Dec. 31, 2021" in indicator
    assert "Target 2021" in indicator and "Actual 2021" in indicator
    assert ">40 %</div>" in indicator  # the year's achievement, not the plan's 8 %
    # the pillar chart beside the cards follows the year too
    rows = chart_rows(reviewer.get(f"{RAD}/dashboard/?year=2021&csv=pillar-to-date", **EN).content)
    assert rows[1][0] == "Pillar 1" and rows[1][2:] == ["4", "10"]


@pytest.mark.django_db
def test_a_charts_csv_names_the_plan_the_filters_and_the_day(reviewer, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2023, 3, 1))
    response = reviewer.get(f"{RAD}/dashboard/?year=2021&agency=polres&csv=pillar-years", **EN)
    assert response["Content-Disposition"] == (
        'attachment; filename="rad-ttu-2018-2022-pillar-years-year-2021-agency-polres-2023-03-01.csv"'
    )
    comments = chart_comments(response.content)
    assert comments[0] == "Achievement per pillar and year"
    assert comments[1].startswith("Plan: rad-ttu-2018-2022, ")
    assert comments[2].startswith("Filters: Year: 2021; Agency: ")
    assert comments[3] == "Downloaded on 2023-03-01"
    assert chart_rows(response.content)[0] == ["Pillar", "Year", "Achievement (%)", "Indicators due"]
    whole = chart_comments(reviewer.get(f"{RAD}/dashboard/?csv=pillar-years", **EN).content)
    assert whole[2] == "Filters: none (the whole plan)"


@pytest.mark.django_db
def test_two_years_side_by_side_with_the_change(reviewer):
    entry("1.a.1.1", "2018S1", value=700)  # 70 % in 2018
    entry("1.a.1.1", "2019S2", value=500)  # 50 % in 2019: −20 points; pillar 1: 7.0 → 5.0 = −2.0 points
    entry("1.b.2.1", "2019S1", kecamatan="53.03.08")  # coverage: 1 of 2019's cumulative 10 (5 + 5) = 10 %
    # pillar 1 in 2019: (50 + 10) / 10 = 6.0 %, so 7.0 → 6.0 = −1.0 point
    url = f"{RAD}/dashboard/compare/?first=2018&second=2019"
    page = reviewer.get(url, **EN).content.decode()
    assert "2018 and 2019 side by side" in page
    assert "▼ -1 points" in page
    pillars = chart_rows(reviewer.get(url + "&csv=pillars-year-over-year", **EN).content)
    assert pillars[0] == [
        "Pillar",
        "Name",
        "Achievement 2018 (%)",
        "Indicators due 2018",
        "Achievement 2019 (%)",
        "Indicators due 2019",
        "Change (points)",
    ]
    assert pillars[1][0] == "Pillar 1" and pillars[1][2:] == ["7", "10", "6", "10", "-1"]
    indicators = {r[0]: r for r in chart_rows(reviewer.get(url + "&csv=indicators-year-over-year", **EN).content)}
    assert indicators["1.a.1.1"][2:9] == ["1000", "700", "70", "1000", "500", "50", "-20"]
    # due in 2018 with nothing reported: no achievement shown (the change counts it as 0); in 2019 1 of 10: +10
    assert indicators["1.b.2.1"][2:9] == ["5", "", "", "10", "1", "10", "10"]


@pytest.mark.django_db
def test_compare_defaults_to_the_last_two_years_and_reports_bad_ones(reviewer):
    # the plan ended in 2022: 2021 and 2022 unless chosen
    assert "2021 and 2022 side by side" in reviewer.get(f"{RAD}/dashboard/compare/", **EN).content.decode()
    page = reviewer.get(f"{RAD}/dashboard/compare/?first=2019&second=2019", **EN).content.decode()
    assert "Choose two different years." in page and "2021 and 2022 side by side" in page
    assert reviewer.get(f"{RAD}/dashboard/compare/?first=abc&second=1900").status_code == 200
    # the later year second, whichever way round they were chosen
    assert (
        "2019 and 2020 side by side"
        in reviewer.get(f"{RAD}/dashboard/compare/?first=2020&second=2019", **EN).content.decode()
    )


@pytest.mark.django_db
def test_the_coverage_grid_says_where_each_indicator_reached_and_since_when(reviewer):
    entry("1.b.2.1", "2019S2", kecamatan="53.03.08")
    entry("1.b.2.1", "2020S1", kecamatan="53.03.08")  # reached again: still since 2019S2
    entry("1.b.2.1", "2021S1", kecamatan="53.03.01")
    entry("1.b.2.2", "2018S1", kecamatan="53.03.01", status="submitted")  # not official
    rows = chart_rows(reviewer.get(f"{RAD}/dashboard/kecamatan/?csv=coverage", **EN).content)
    assert rows[0] == ["Code", "Kecamatan", "1.b.2.1", "1.b.2.2", "1.b.4.1"]
    assert len(rows) == 1 + 24
    grid = {r[0]: r[2:] for r in rows[1:]}
    assert grid["53.03.08"] == ["2019S2", "", ""]
    assert grid["53.03.01"] == ["2021S1", "", ""]
    assert grid["53.03.04"] == ["", "", ""]
    # by the end of 2020, 53.03.01 was not reached yet
    rows = chart_rows(reviewer.get(f"{RAD}/dashboard/kecamatan/?year=2020&csv=coverage", **EN).content)
    assert {r[0]: r[2] for r in rows[1:]}["53.03.01"] == ""
    page = reviewer.get(f"{RAD}/dashboard/kecamatan/", **EN).content.decode()
    assert "2 of 24" in page and "0 of 24" in page
    assert '<td class="text-center coverage-reached">✓ 2019S2<span class="visually-hidden"> reached</span></td>' in page
    assert page.count("not reached</span>") == 24 * 3 - 2
    with_unverified = chart_rows(reviewer.get(f"{RAD}/dashboard/kecamatan/?unverified=on&csv=coverage").content)
    assert {r[0]: r[3] for r in with_unverified[1:]}["53.03.01"] == "2018S1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session, user (her permissions kept under her profile's token), the plan, its pillars; the rollup's
        # indicators, targets and two grouped entry queries (sums, coverage firsts; the latest reports: none of those
        # kinds has entries); the demo flag; the filters' agencies and kecamatan
        (f"{RAD}/dashboard/compare/?first=2019&second=2020", 12),
        # session, user (her permissions kept), the plan, the kecamatan; the grid's indicators and first semesters;
        # the entries per kecamatan; the demo flag; the filters' pillars, agencies and kecamatan
        (f"{RAD}/dashboard/kecamatan/?year=2020", 11),
    ],
)
def test_query_counts_are_pinned_at_two_sizes(reviewer, personas, django_assert_num_queries, url, queries):
    keep_permissions(personas["reviewer"])
    entry("1.a.1.1", "2018S1", value=5, kecamatan="53.03.02")
    entry("1.b.2.1", "2019S1", kecamatan="53.03.08")
    with django_assert_num_queries(queries):
        reviewer.get(url)
    for n in range(24):
        entry("1.a.1.1", "2019S1", value=n, kecamatan=f"53.03.{1 + n:02d}")
        entry("1.b.2.1", "2020S1", kecamatan=f"53.03.{1 + n:02d}")
        entry("1.b.4.1", "2020S2", kecamatan=f"53.03.{1 + n:02d}")
    with django_assert_num_queries(queries):
        reviewer.get(url)
