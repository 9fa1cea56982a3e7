"""Levels, milestones in every year, semester figures, kecamatan figures and reporting gaps, worked out by hand.

The plan is the RAD 2018–2022 (ten semesters); `as_of` is always passed in, never today.
"""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from indicators.figures.completeness import completeness, year_periods
from indicators.figures.rollup import Filters, Status, compute, kecamatan_table
from indicators.models import EntryStatus, Indicator
from indicators.tests.factories import entry
from programs.models import Agency, Region
from programs.periods import Period

END = datetime.date(2026, 11, 30)  # after the plan


def rollup(plan, *codes, as_of=END):
    ids = list(Indicator.objects.filter(code__in=codes).values_list("id", flat=True))
    return compute(plan, Filters(indicator_ids=ids), as_of=as_of)


@pytest.mark.django_db
def test_level_is_the_latest_value_never_a_sum(plan):
    """4.a.5.1: at least two secretariat staff, a level to hold in every year (target 2 each year)."""
    entry("4.a.5.1", "2018S1", value=1)
    entry("4.a.5.1", "2019S2", value=2, date=datetime.date(2019, 8, 1))
    entry("4.a.5.1", "2019S2", value=3, date=datetime.date(2019, 11, 1))  # later that semester: three in post
    entry("4.a.5.1", "2021S1", value=2)
    row = rollup(plan, "4.a.5.1").indicator("4.a.5.1")
    years = {year: (f.target, f.actual, f.achievement, f.entries) for year, f in row.years.items()}
    assert years == {
        2018: (2, 1, 50, 1),  # one of the two staff
        2019: (2, 3, 150, 2),  # the latest report of 2019 (1 November), not 2 + 3
        2020: (2, 3, 150, 0),  # nothing reported in 2020: still three, not "no data"
        2021: (2, 2, 100, 1),
        2022: (2, 2, 100, 0),
    }
    assert row.years[2018].status == Status.BEHIND  # 1 of the 2 due: 50 %
    assert row.years[2020].status == Status.ON_TRACK
    assert (row.to_date.target, row.to_date.actual, row.to_date.achievement) == (2, 2, 100)  # never 1+2+3+2 = 8
    assert row.semesters[Period(2019, 1)].actual == 1  # the latest value up to the end of 2019S1
    assert row.semesters[Period(2019, 1)].entries == 0
    assert row.due_years == {2018, 2019, 2020, 2021, 2022}


@pytest.mark.django_db
def test_level_without_reports_has_no_data_and_counts_as_zero_in_pillar_means(plan):
    result = rollup(plan, "2.a.1.2", "2.b.1.1")  # a safe house (level 1) and 100 officers trained (count)
    entry_free = result.indicator("2.a.1.2")
    assert entry_free.years[2019].actual is None
    assert entry_free.years[2019].status == Status.NO_DATA
    assert entry_free.years[2019].achievement == 0
    assert result.pillar(2).years[2019].indicators == 2


@pytest.mark.django_db
def test_milestones_show_their_state_every_year_and_count_only_when_due(plan):
    """1.b.1.1 is due in the plan's last year (2022); 4.a.1.1, the RAD's drafting, in its first (2018)."""
    entry("1.b.1.1", "2019S2", milestone_status="in_progress")
    entry("1.b.1.1", "2021S1", milestone_status="achieved")
    entry("4.a.1.1", "2018S1", milestone_status="in_progress")
    entry("4.a.1.1", "2018S2", milestone_status="achieved")
    result = rollup(plan, "1.b.1.1", "4.a.1.1")

    sop = result.indicator("1.b.1.1")
    states = {year: (f.state, f.actual, f.achievement, f.status) for year, f in sop.years.items()}
    # pace: 0 → 100 in ten even steps up to the end of 2022; at the end of 2019 40 is due, of 2020 60
    assert states == {
        2018: ("", None, 0, Status.NO_DATA),
        2019: ("in_progress", 50, 50, Status.ON_TRACK),  # 50 of the 40 due
        2020: ("in_progress", 50, 50, Status.BEHIND),  # 50 of the 60 due: 83 %
        2021: ("achieved", 100, 100, Status.ON_TRACK),
        2022: ("achieved", 100, 100, Status.ON_TRACK),
    }
    assert all(f.target == 100 for f in sop.years.values())  # the target, every year: achieved
    assert sop.due_years == {2022}

    rad = result.indicator("4.a.1.1")
    assert rad.due_years == {2018}
    assert rad.semesters[Period(2018, 1)].pace_target == 50  # due in two steps: 50 by mid-2018, 100 by its end
    assert rad.semesters[Period(2018, 1)].status == Status.ON_TRACK
    assert [rad.years[y].state for y in plan.years] == ["achieved"] * 5
    assert rad.years[2018].state_label  # in words, whatever the language

    # pillar means: each milestone only in the year it falls due
    assert (result.pillar(4).years[2018].achievement, result.pillar(4).years[2018].indicators) == (100, 1)
    assert (result.pillar(4).years[2019].achievement, result.pillar(4).years[2019].indicators) == (None, 0)
    assert (result.pillar(1).years[2021].achievement, result.pillar(1).years[2021].indicators) == (None, 0)
    assert (result.pillar(1).years[2022].achievement, result.pillar(1).years[2022].indicators) == (100, 1)


@pytest.mark.django_db
def test_an_edited_due_year_moves_the_milestone_in_the_pillar_means(plan):
    Indicator.objects.filter(code="1.b.1.1").update(due_year=2020)
    entry("1.b.1.1", "2020S1", milestone_status="in_progress")
    result = rollup(plan, "1.b.1.1")
    assert result.indicator("1.b.1.1").due_years == {2020}
    assert (result.pillar(1).years[2020].achievement, result.pillar(1).years[2020].indicators) == (50, 1)
    assert result.pillar(1).years[2022].indicators == 0


@pytest.mark.django_db
def test_semester_figures(plan):
    """A count's semester target is half its year's; coverage and percent as their rules say."""
    entry("1.a.1.1", "2019S1", value=300)
    entry("1.a.1.1", "2019S2", value=200)
    entry("1.a.1.1", "2019S2", value=100)
    entry("2.b.1.3", "2019S1", numerator=3, denominator=4)
    entry("1.b.2.1", "2019S1", kecamatan="53.03.08")
    result = rollup(plan, "1.a.1.1", "2.b.1.3", "1.b.2.1")

    count = result.indicator("1.a.1.1").semesters
    s1, s2 = count[Period(2019, 1)], count[Period(2019, 2)]
    assert (s1.target, s1.actual, s1.achievement, s1.entries) == (500, 300, 60, 1)  # 1,000 a year, half a semester
    assert (s2.target, s2.actual, s2.achievement, s2.entries) == (500, 300, 60, 2)  # 200 + 100
    assert (s1.pace_target, s1.pace_actual) == (1500, 300)  # due: 1,000 (2018) + 500; done: 300
    assert s1.status == Status.OFF_TRACK  # 20 %
    assert (s2.pace_target, s2.pace_actual) == (2000, 600)
    assert count[Period(2018, 1)].status == Status.NO_DATA and count[Period(2018, 1)].actual is None

    percent = result.indicator("2.b.1.3").semesters[Period(2019, 1)]
    assert (percent.target, percent.actual, percent.achievement) == (50, 75, 150)  # 3 ÷ 4 of the 50 %

    coverage = result.indicator("1.b.2.1").semesters[Period(2019, 1)]
    # places due by mid-2019: half of 5 (2018S1), 5 (2018S2), 5 + half of 5 (2019S1) = 7.5
    assert (coverage.target, coverage.actual) == (Decimal("7.5"), 1)
    assert coverage.achievement.quantize(Decimal("0.01")) == Decimal("13.33")  # 1 ÷ 7.5


@pytest.mark.django_db
def test_kecamatan_figures_follow_each_kinds_rule(plan):
    insana, noemuti = Region.objects.get(code="53.03.08"), Region.objects.get(code="53.03.04")
    entry("1.a.1.1", "2019S1", value=300, kecamatan="53.03.08")
    entry("1.a.1.1", "2019S2", value=200, kecamatan="53.03.08")
    entry("1.a.1.1", "2019S2", value=100, kecamatan="53.03.04")
    entry("1.b.2.1", "2019S1", kecamatan="53.03.08")
    entry("1.b.2.1", "2020S1", kecamatan="53.03.08")  # the same place again
    entry("2.b.1.3", "2019S1", numerator=3, denominator=4, kecamatan="53.03.08")
    entry("2.b.1.3", "2019S2", numerator=1, denominator=16, kecamatan="53.03.08")
    entry("2.c.1.1", "2019S1", value=1, kecamatan="53.03.04")
    ids = dict(Indicator.objects.values_list("code", "id"))
    table = kecamatan_table(plan)
    figures = {(code, k.code): (table[(ids[code], k.id)].value, table[(ids[code], k.id)].entries)
               for code, k in [("1.a.1.1", insana), ("1.a.1.1", noemuti), ("1.b.2.1", insana),
                               ("2.b.1.3", insana), ("2.c.1.1", noemuti)]}  # fmt: skip
    assert figures == {
        ("1.a.1.1", "53.03.08"): (500, 2),  # Σ value: 300 + 200
        ("1.a.1.1", "53.03.04"): (100, 1),
        ("1.b.2.1", "53.03.08"): (1, 2),  # reached, once however often
        ("2.b.1.3", "53.03.08"): (20, 2),  # (3 + 1) ÷ (4 + 16), not the mean of 75 % and 6.25 %
        ("2.c.1.1", "53.03.04"): (1, 1),
    }
    assert len(table) == 5
    in_2020 = kecamatan_table(plan, Filters(year=2020))
    assert list(in_2020.values())[0].value == 1 and len(in_2020) == 1


@pytest.mark.django_db
def test_reporting_gaps_by_year(plan):
    """Semesters whose deadline (15 days after) had passed by 1 August 2019: 2018S1, 2018S2 and 2019S1; a gap is
    one of them in which an agency sent nothing of what was due (Cell.unreported, the cockpit's rule)."""
    entry("1.a.1.1", "2018S1", value=10)  # Disnakertrans, verified
    entry("1.a.1.2", "2019S1", value=10, status=EntryStatus.SUBMITTED)  # submitted counts as reported
    entry("1.a.1.3", "2018S2", value=10, status=EntryStatus.DRAFT)  # a draft does not
    entry("2.a.1.2", "2018S2", value=1, status=EntryStatus.RETURNED, return_reason="Foto kurang")  # nor returned
    disnakertrans, dinsos = Agency.objects.get(code="disnakertrans").id, Agency.objects.get(code="dinsos").id
    as_of = datetime.date(2019, 8, 1)

    def reporting_gaps(year=None):
        table = completeness(plan, as_of=as_of, periods=year_periods(plan, year))
        return {agency.pk: [cell.period for cell in cells if cell.unreported] for agency, cells in table.rows()}

    gaps = reporting_gaps()
    assert gaps[disnakertrans] == [Period(2018, 2)]
    assert gaps[dinsos] == [Period(2018, 1), Period(2018, 2), Period(2019, 1)]
    in_2018 = reporting_gaps(year=2018)
    assert in_2018[disnakertrans] == [Period(2018, 2)]
    assert in_2018[dinsos] == [Period(2018, 1), Period(2018, 2)]
    assert all(periods == [] for periods in reporting_gaps(year=2020).values())  # nothing ended yet
    # every agency responsible for an indicator is listed, each once
    assert set(gaps) == set(Indicator.objects.values_list("agency_id", flat=True))


def test_every_filter_is_part_of_the_cache_key():
    base = Filters()
    changed = {
        "include_unverified": True,
        "agency_id": 3,
        "kecamatan_id": 4,
        "pillar_number": 2,
        "indicator_ids": [5, 1],
        "indicator_code": "1.a.1.1",
        "year": 2021,
    }
    assert set(changed) == {f.name for f in dataclasses.fields(Filters)}  # a new filter must be added here
    keys = {base.key()} | {base.replace(**{name: value}).key() for name, value in changed.items()}
    assert len(keys) == len(changed) + 1
    assert Filters(indicator_ids=[5, 1]).key() == Filters(indicator_ids=[1, 5]).key()  # order does not matter
