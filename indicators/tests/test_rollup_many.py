"""Several plans' figures at once (the province view): the same figures as plan by plan, in the queries of one."""

import datetime

import pytest
from django.core.cache import cache

from conftest import clear_cache
from indicators.figures.completeness import completeness, completeness_many
from indicators.figures.rollup import (
    Filters,
    cached_compute,
    cached_compute_many,
    compute,
    compute_many,
)
from indicators.models import EntryStatus
from indicators.tests.factories import entry
from indicators.tests.plan_helpers import make_plan, make_regency, record_computed_plans
from programs.models import Agency, Plan
from programs.periods import Period

AS_OF = datetime.date(2021, 8, 1)  # 2021S2 has begun; TTU (2018–2022), Belu (2019–2023), Alor (2020–2024) all run
BELU = "rad-belu-2019-2023"
ALOR = "rad-alor-2020-2024"


@pytest.fixture
def three(db, plan):
    """TTU, Belu and Alor, each with entries of its own (one of every kind between them) that differ plan by plan."""
    make_plan(BELU)
    make_plan(ALOR, region=make_regency("53.05", "Kabupaten Alor"), years=(2020, 2024))
    entry("1.a.1.1", "2019S1", value=300)
    entry("1.a.1.1", "2019S1", rad=BELU, value=400)
    entry("1.a.1.1", "2020S2", rad=BELU, value=100)
    entry("1.a.1.1", "2020S2", rad=BELU, value=1000, status=EntryStatus.SUBMITTED)
    entry("1.a.1.1", "2021S1", rad=ALOR, value=50)
    entry("1.b.2.1", "2019S1", kecamatan="53.03.08")
    entry("1.b.2.1", "2020S1", rad=BELU, kecamatan="53.04.01")
    entry("1.b.2.1", "2020S2", rad=BELU, kecamatan="53.04.02")
    entry("1.b.2.1", "2021S1", rad=BELU, kecamatan="53.04.01")
    entry("2.b.1.3", "2021S1", rad=BELU, numerator=3, denominator=4)
    entry("1.b.1.1", "2019S1", milestone_status="in_progress")
    entry("1.b.1.1", "2021S1", rad=ALOR, milestone_status="achieved")
    entry("2.a.1.2", "2020S1", value=2)
    entry("2.a.1.2", "2021S1", rad=ALOR, value=1)
    entry("3.d.1.1", "2019S1", narrative="Rapat koordinasi TTU.")
    entry("3.d.1.1", "2020S1", rad=BELU, narrative="Rapat koordinasi Belu.")
    entry("2.d.1.1", "2020S2", rad=ALOR, value=12)
    return [
        Plan.objects.get(code=code) for code in (plan.code, BELU, ALOR)
    ]  # read after the entries moved their versions


def test_each_plan_gets_its_own_figures(three):
    ttu, belu, alor = three
    many = compute_many(three, as_of=AS_OF)
    assert list(many) == [ttu.pk, belu.pk, alor.pk]
    count = {plan.code: many[plan.pk].indicator("1.a.1.1") for plan in three}
    assert count[ttu.code].years[2019].actual == 300
    assert count[BELU].years[2019].actual == 400
    assert count[BELU].years[2020].actual == 100  # the 1,000 submitted are not official
    assert count[ALOR].years[2021].actual == 50
    assert 2019 not in count[ALOR].years  # Alor's plan starts in 2020
    # Belu reached 53.04.01 and 53.04.02 (53.04.01 twice); TTU one place
    assert many[belu.pk].indicator("1.b.2.1").to_date.actual == 2
    assert many[ttu.pk].indicator("1.b.2.1").to_date.actual == 1
    assert many[belu.pk].indicator("2.b.1.3").years[2021].actual == 75  # 3 of 4
    assert many[ttu.pk].indicator("1.b.1.1").to_date.actual == 50  # in progress
    assert many[alor.pk].indicator("1.b.1.1").to_date.actual == 100  # achieved
    assert (many[ttu.pk].indicator("2.a.1.2").to_date.actual, many[alor.pk].indicator("2.a.1.2").to_date.actual) == (
        2,
        1,
    )
    assert many[ttu.pk].indicator("3.d.1.1").to_date.text == "Rapat koordinasi TTU."
    assert many[belu.pk].indicator("3.d.1.1").to_date.text == "Rapat koordinasi Belu."
    assert many[alor.pk].indicator("2.d.1.1").to_date.actual == 12
    assert many[ttu.pk].indicator("2.d.1.1").to_date.actual is None


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(include_unverified=True), Filters(pillar_number=2), Filters(indicator_code="1.a.1.1")],
    ids=["official", "unverified", "pillar", "indicator"],
)
def test_the_figures_are_those_of_each_plan_alone(three, filters):
    # every figure: each indicator's years, semesters, plan to date, due years and splits, each pillar's means
    many = compute_many(three, filters, as_of=AS_OF)
    for plan in three:
        alone = compute(plan, filters, as_of=AS_OF)
        assert many[plan.pk] == alone
        assert [p.pillar.number for p in many[plan.pk].pillars] == [p.pillar.number for p in alone.pillars]
        assert many[plan.pk].as_of == min(AS_OF, plan.end_date)


def test_three_plans_take_the_queries_of_one(three, django_assert_num_queries):
    """Indicators, targets, the three entry aggregates, the latest narratives and the pillars: seven."""
    with django_assert_num_queries(7):
        compute(three[0], as_of=AS_OF)
    with django_assert_num_queries(7):
        compute_many(three, as_of=AS_OF)
    with django_assert_num_queries(0):
        assert compute_many([], as_of=AS_OF) == {}


def test_the_cache_is_shared_with_the_dashboards(three, monkeypatch, django_assert_num_queries):
    ttu, belu, alor = three
    clear_cache(cache)
    computed = record_computed_plans(monkeypatch)
    cached_compute(ttu, as_of=AS_OF)  # a dashboard of TTU was read first
    first = cached_compute_many(three, as_of=AS_OF)
    assert computed == [[BELU, ALOR]]  # TTU's figures came from the cache
    assert list(first) == [ttu.pk, belu.pk, alor.pk]
    with django_assert_num_queries(0):
        again = cached_compute_many(three, as_of=AS_OF)
        cached_compute(belu, as_of=AS_OF)  # and Belu's dashboard reads what the province computed
    assert again == first == {plan.pk: compute(plan, as_of=AS_OF) for plan in three}
    # an entry in Alor moves its data version: only Alor is computed again
    entry("1.a.1.1", "2021S1", rad=ALOR, value=5)
    fresh = [Plan.objects.get(pk=plan.pk) for plan in three]
    assert cached_compute_many(fresh, as_of=AS_OF)[alor.pk].indicator("1.a.1.1").years[2021].actual == 55
    assert computed == [[BELU, ALOR], [ALOR]]


def gaps(reports) -> dict[int, list[Period]]:
    """Agency id → its semesters past their deadline with nothing received of what was due (Cell.unreported)."""
    return {agency.pk: [cell.period for cell in cells if cell.unreported] for agency, cells in reports.rows()}


def test_reporting_gaps_of_several_plans(three, django_assert_num_queries):
    """2019's second semester was due by 15 January 2020 (15 days after it ended); on the 16th both semesters
    are judged. Reported in 2019 (submitted or verified) of what was due: in TTU Disnakertrans (1.a.1.1, 1.b.1.1)
    and the secretariat (1.b.2.1) in S1; in Belu Disnakertrans in S1 (verified) and S2 (submitted), Dinas Sosial
    in S2 (submitted; its draft of S1 does not count). Alor's plan starts in 2020: nothing of 2019 is due."""
    ttu, belu, alor = three
    entry("2.a.1.2", "2019S2", rad=BELU, value=1, status=EntryStatus.SUBMITTED)
    entry("2.a.1.2", "2019S1", rad=BELU, value=1, status=EntryStatus.DRAFT)
    entry("1.a.1.2", "2019S2", rad=BELU, value=1, status=EntryStatus.SUBMITTED)
    # each regency has its own agencies (Belu's and Alor's copied from TTU's, same codes)
    ttu_agencies, belu_agencies = (Agency.objects.by_code(plan.region) for plan in (ttu, belu))
    as_of = datetime.date(2020, 1, 16)
    # deadlines, indicators, targets, achieved milestones, reports received
    with django_assert_num_queries(5):
        reports = completeness_many(three, as_of=as_of, year=2019)
    found = {pk: gaps(r) for pk, r in reports.items()}
    s1, s2 = Period(2019, 1), Period(2019, 2)
    assert found[ttu.pk][ttu_agencies["disnakertrans"].pk] == [s2]  # Belu's report of 2019S2 is not TTU's
    assert found[ttu.pk][ttu_agencies["sekretariat"].pk] == [s2]
    assert found[ttu.pk][ttu_agencies["dinsos"].pk] == [s1, s2]
    assert found[belu.pk][belu_agencies["disnakertrans"].pk] == []
    assert found[belu.pk][belu_agencies["dinsos"].pk] == [s1]
    assert found[belu.pk][belu_agencies["sekretariat"].pk] == [s1, s2]
    assert all(periods == [] for periods in found[alor.pk].values())
    # plan by plan, the cockpit's own table says the same
    periods = {plan.pk: [p for p in (s1, s2) if plan.start_year <= 2019] for plan in three}
    assert found == {plan.pk: gaps(completeness(plan, as_of=as_of, periods=periods[plan.pk])) for plan in three}
    # on the deadline day the second semester is still open: not yet a gap
    on_deadline = completeness_many(three, as_of=datetime.date(2020, 1, 15), year=2019)
    assert gaps(on_deadline[ttu.pk])[ttu_agencies["disnakertrans"].pk] == []
    # the indicators from the rollups, which have read them already: one query fewer
    rollups = compute_many(three, as_of=as_of)
    indicators = {pk: [row.indicator for row in r.indicators] for pk, r in rollups.items()}
    with django_assert_num_queries(4):
        again = completeness_many(three, as_of=as_of, year=2019, indicators=indicators)
    assert {pk: gaps(r) for pk, r in again.items()} == found
