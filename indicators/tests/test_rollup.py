"""The rollup rules for each kind, with expected numbers worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from indicators.figures.rollup import Filters, Status, compute
from indicators.models import EntryStatus, Indicator
from indicators.tests.factories import entry

END = datetime.date(2026, 11, 30)  # the plan (2018–2022) is over


def approx(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def figures(plan, code, **filters):
    return compute(plan, Filters(**filters), as_of=END).indicator(code)


@pytest.mark.django_db
def test_count_sums_entries_and_paces_against_annual_target(plan):
    entry("1.a.1.1", "2018S1", value=300)
    entry("1.a.1.1", "2018S2", value=400, male=150, female=250)
    row = figures(plan, "1.a.1.1")
    y2018 = row.years[2018]
    assert y2018.target == 1000  # 5,000 over five years
    assert y2018.actual == 700  # 300 + 400
    assert approx(y2018.achievement) == Decimal("70.00")
    assert y2018.status == Status.BEHIND  # 700 of 1,000 due: 70 % is between 50 and 85
    assert row.years[2019].actual is None and row.years[2019].achievement == 0
    assert row.to_date.actual == 700
    assert approx(row.to_date.achievement) == Decimal("14.00")  # 700 / 5,000
    assert row.to_date.status == Status.OFF_TRACK  # 14 % of the 5,000 due by now
    assert row.sex == {"male": 150, "female": 250}


@pytest.mark.django_db
def test_unverified_entries_are_excluded_unless_asked_for(plan):
    entry("1.a.1.1", "2018S1", value=700)
    entry("1.a.1.1", "2018S2", value=200, status=EntryStatus.SUBMITTED)
    entry("1.a.1.1", "2018S2", value=999, status=EntryStatus.DRAFT)
    assert figures(plan, "1.a.1.1").years[2018].actual == 700
    with_flag = figures(plan, "1.a.1.1", include_unverified=True).years[2018]
    assert with_flag.actual == 900  # 700 verified + 200 submitted; the draft never counts
    assert with_flag.status == Status.ON_TRACK  # 90 % ≥ 85 %


@pytest.mark.django_db
def test_coverage_counts_each_kecamatan_once(plan):
    entry("1.b.2.1", "2018S1", kecamatan="53.03.08")  # Insana
    entry("1.b.2.1", "2018S2", kecamatan="53.03.08")  # Insana again: not a new place
    entry("1.b.2.1", "2019S1", kecamatan="53.03.04")  # Noemuti
    row = figures(plan, "1.b.2.1")
    assert row.years[2018].actual == 1
    assert row.years[2018].target == 5  # 24 over five years in whole places: 5, 5, 5, 5, 4; cumulative
    assert row.years[2018].achievement == 20  # 1 of 5
    assert row.years[2019].actual == 2
    assert row.years[2019].target == 10  # 5 + 5
    assert row.years[2022].actual == 2  # still two places at the end
    assert row.to_date.actual == 2
    assert approx(row.to_date.achievement) == approx(Decimal(2) / 24 * 100)  # 8.33


@pytest.mark.django_db
def test_percent_is_sum_of_numerators_over_sum_of_denominators(plan):
    entry("2.b.1.3", "2019S1", numerator=3, denominator=4)  # 75 %
    entry("2.b.1.3", "2019S2", numerator=1, denominator=16)  # 6.25 %
    row = figures(plan, "2.b.1.3")
    # Σnum / Σden = 4 / 20 = 20 %, not the mean of percentages (40.625 %)
    assert row.years[2019].actual == 20
    assert row.years[2019].target == 50
    assert row.years[2019].achievement == 40  # 20 of the 50 % target
    assert row.to_date.actual == 20
    assert row.to_date.status == Status.OFF_TRACK  # 20 of the 50 % due: 40 % < 50 %


@pytest.mark.django_db
def test_milestone_takes_the_latest_status(plan):
    entry("1.b.1.1", "2019S1", milestone_status="in_progress")
    entry("1.b.1.1", "2020S2", milestone_status="achieved")
    row = figures(plan, "1.b.1.1")
    assert row.years[2018].actual is None and row.years[2018].state == ""
    assert row.years[2019].actual == 50 and row.years[2019].state == "in_progress"
    assert row.years[2020].actual == 100 and row.years[2020].state == "achieved"
    assert row.years[2022].actual == 100
    assert row.years[2022].achievement == 100  # due in the plan's last year
    assert row.years[2019].achievement == 50  # its state at the end of 2019, shown although not due
    assert row.due_years == {2022}
    assert row.to_date.achievement == 100
    assert row.to_date.status == Status.ON_TRACK


@pytest.mark.django_db
def test_milestone_in_progress_at_the_end_is_half_way(plan):
    entry("1.b.3.1", "2021S1", milestone_status="in_progress")
    row = figures(plan, "1.b.3.1")
    assert row.to_date.actual == 50
    assert row.to_date.achievement == 50
    assert row.to_date.status == Status.BEHIND  # 50 of the 100 due: behind


@pytest.mark.django_db
def test_periodic_counts_deliverables_against_the_period_target(plan):
    entry("2.c.1.1", "2018S1", value=1)
    entry("2.c.1.1", "2018S2", value=1)
    entry("2.c.1.1", "2019S1", value=1)
    row = figures(plan, "2.c.1.1")
    assert row.years[2018].achievement == 100  # 2 of 2
    assert row.years[2019].achievement == 50  # 1 of 2
    assert row.semesters[__import__("programs.periods").periods.Period(2019, 2)].actual is None
    assert row.to_date.actual == 3
    assert row.to_date.achievement == 30  # 3 of 10


@pytest.mark.django_db
def test_tracked_has_a_sum_but_no_achievement(plan):
    entry("2.d.1.1", "2018S1", value=12)
    entry("2.d.1.1", "2018S2", value=30)
    row = figures(plan, "2.d.1.1")
    assert row.years[2018].actual == 42
    assert row.years[2018].achievement is None
    assert row.years[2018].status == Status.UNTARGETED
    assert row.to_date.actual == 42


@pytest.mark.django_db
def test_qualitative_shows_the_latest_narrative(plan):
    entry("3.d.1.1", "2019S1", narrative="Rapat koordinasi pertama APH.")
    entry("3.d.1.1", "2020S1", narrative="Sinergi dalam persidangan kasus.")
    row = figures(plan, "3.d.1.1")
    assert row.years[2019].text == "Rapat koordinasi pertama APH."
    assert row.to_date.text == "Sinergi dalam persidangan kasus."
    assert row.to_date.actual is None


@pytest.mark.django_db
def test_pillar_mean_ignores_indicators_not_due(plan):
    entry("1.a.1.1", "2018S1", value=700)  # 70 % of 2018's 1,000
    entry("2.b.1.1", "2018S1", value=100)  # 100 officers trained: 100 ÷ 20 = 500 %, capped at 100 in a pillar mean
    entry("1.b.1.1", "2018S1", milestone_status="achieved")  # milestone: due only in 2022
    ids = list(Indicator.objects.filter(code__in=["1.a.1.1", "1.b.1.1", "2.b.1.1"]).values_list("id", flat=True))
    result = compute(plan, Filters(indicator_ids=ids), as_of=END)
    pillar1 = result.pillar(1)
    assert pillar1.years[2018].indicators == 1  # the milestone is not due in 2018
    assert pillar1.years[2018].achievement == 70
    assert pillar1.years[2022].indicators == 2  # 1.a.1.1 (0 of 1,000 in 2022) and the milestone (100)
    assert pillar1.years[2022].achievement == 50
    pillar2 = result.pillar(2)
    assert pillar2.years[2018].achievement == 100  # 500 % capped
    assert result.indicator("2.b.1.1").years[2018].achievement == 500  # shown uncapped per indicator


@pytest.mark.django_db
def test_periods_not_begun_are_not_due(plan):
    entry("1.a.1.1", "2018S1", value=500, date=datetime.date(2018, 3, 1))
    result = compute(plan, as_of=datetime.date(2019, 3, 1))
    row = result.indicator("1.a.1.1")
    assert row.years[2020].status == Status.NOT_DUE
    assert row.years[2020].achievement is None
    assert result.pillar(1).years[2020].achievement is None
    assert row.years[2018].status == Status.BEHIND  # 500 of 1,000 = 50 %
    # to date at 2019-03-01: 500 against 1,000 (2018) + 500 (2019 S1) due = 33 %
    assert row.to_date.pace_target == 1500
    assert row.to_date.status == Status.OFF_TRACK


@pytest.mark.django_db
def test_no_entries_means_no_data(plan):
    result = compute(plan, as_of=END)
    assert result.status_counts()[Status.NO_DATA] == 47
    assert all(p.years[2018].achievement == 0 for p in result.pillars)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_entries(plan, django_assert_num_queries):
    entry("1.a.1.1", "2018S1", value=1)
    with django_assert_num_queries(6) as few:
        compute(plan, as_of=END)
    for n in range(30):
        entry("1.a.1.1", "2019S1", value=n, date=datetime.date(2019, 1, 1 + n % 28))
        entry("1.b.2.1", "2019S2", kecamatan=f"53.03.{1 + n % 24:02d}", date=datetime.date(2019, 7, 1 + n % 28))
    with django_assert_num_queries(len(few.captured_queries)):
        compute(plan, as_of=END)
