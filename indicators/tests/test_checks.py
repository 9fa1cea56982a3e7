"""Data checks, with the numbers worked out by hand (indicators.workflow.checks)."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.models import CheckKind, EntryStatus, Indicator, ProgressEntry, Target
from indicators.tests.factories import entry
from indicators.workflow.checks import check_entries
from programs.models import Region
from programs.periods import Period


def new(code: str, period: str, **values) -> ProgressEntry:
    """An unsaved entry, as the form or the import would make it."""
    indicator = Indicator.objects.select_related("plan").get(code=code)
    p = Period.parse(period)
    if "kecamatan" in values:
        values["kecamatan"] = Region.objects.get(code=values["kecamatan"])
    return ProgressEntry(indicator=indicator, agency=indicator.agency, year=p.year, semester=p.semester, **values)


def kinds(entries) -> list[list[str]]:
    return [[w.kind for w in warnings] for warnings in check_entries(entries)]


@pytest.mark.django_db
def test_outlier_against_the_median_of_earlier_semesters(plan):
    """1.a.1.1 earlier semesters: 100, 120 (80 + 40), 300 → median 120; 3 × 120 = 360.

    A new 2021S1 entry of 361 is flagged, 360 is not. A draft or a returned entry is no history.
    """
    entry("1.a.1.1", "2019S1", value=100)
    entry("1.a.1.1", "2019S2", value=80, status=EntryStatus.SUBMITTED)
    entry("1.a.1.1", "2019S2", value=40)
    entry("1.a.1.1", "2020S1", value=300)
    entry("1.a.1.1", "2020S2", value=5, status=EntryStatus.DRAFT)
    assert kinds([new("1.a.1.1", "2021S1", value=360)]) == [[]]
    (warnings,) = check_entries([new("1.a.1.1", "2021S1", value=361)])
    assert [(w.kind, w.figures) for w in warnings] == [
        (CheckKind.OUTLIER, {"period": "2021S1", "total": 361, "median": "120"})
    ]
    with translation.override("en"):
        assert "more than 3× the median" in warnings[0].message


@pytest.mark.django_db
def test_the_semester_total_counts_not_just_the_entry(plan):
    """2019S1: 100 (one semester, median 100). 2020S1 already has 250 received: + 51 = 301 > 300."""
    entry("1.a.1.1", "2019S1", value=100)
    entry("1.a.1.1", "2020S1", value=250)
    assert kinds([new("1.a.1.1", "2020S1", value=50)]) == [[]]  # 300 is not more than 300
    assert kinds([new("1.a.1.1", "2020S1", value=51)]) == [[CheckKind.OUTLIER]]


@pytest.mark.django_db
def test_first_value_far_above_the_annual_target(plan):
    """1.a.2.1: 60 coaching sessions over 2018–2022, 12 a year: a first report above 36 is flagged."""
    target = Indicator.objects.get(code="1.a.2.1").targets.get(year=2019).value
    assert target == 12
    limit = 36
    assert kinds([new("1.a.2.1", "2019S1", value=limit)]) == [[]]
    (warnings,) = check_entries([new("1.a.2.1", "2019S1", value=limit + 1)])
    assert [(w.kind, w.figures) for w in warnings] == [
        (CheckKind.ABOVE_TARGET, {"period": "2019S1", "total": 37, "year": 2019, "target": "12"})
    ]


@pytest.mark.django_db
def test_a_target_below_one_unit_counts_as_one(plan):
    """2.a.1.2: one safe house over five years, 0.2 a year; a first report of 1 (or 3) is not flagged, 4 is."""
    Target.objects.filter(indicator__code="2.a.1.2", year=2019).update(value=Decimal("0.2"))
    assert kinds([new("2.a.1.2", "2019S1", value=3)]) == [[]]
    assert kinds([new("2.a.1.2", "2019S1", value=4)]) == [[CheckKind.ABOVE_TARGET]]


@pytest.mark.django_db
def test_kecamatan_already_reached(plan):
    entry("1.b.2.1", "2019S1", kecamatan="53.03.08")  # Insana, received
    entry("1.b.2.1", "2019S2", kecamatan="53.03.04", status=EntryStatus.DRAFT)  # Noemuti, only a draft
    result = check_entries(
        [
            new("1.b.2.1", "2021S1", kecamatan="53.03.08"),
            new("1.b.2.1", "2021S1", kecamatan="53.03.04"),
            new("1.b.2.1", "2021S2", kecamatan="53.03.04"),  # the row above reached it
        ]
    )
    assert [[(w.kind, w.figures) for w in warnings] for warnings in result] == [
        [(CheckKind.PLACE_REACHED, {"place": "Insana", "period": "2019"})],
        [],
        [(CheckKind.PLACE_REACHED, {"place": "Noemuti", "period": "2021S1"})],
    ]


@pytest.mark.django_db
def test_denominator_jump(plan):
    """2.b.1.3: previous semester with data 2020S1, denominator 10 + 10 = 20; 3 × 20 = 60."""
    entry("2.b.1.3", "2019S2", numerator=1, denominator=200)
    entry("2.b.1.3", "2020S1", numerator=5, denominator=10)
    entry("2.b.1.3", "2020S1", numerator=5, denominator=10)
    assert kinds([new("2.b.1.3", "2021S1", numerator=30, denominator=60)]) == [[]]
    (warnings,) = check_entries([new("2.b.1.3", "2021S1", numerator=30, denominator=61)])
    assert [(w.kind, w.figures) for w in warnings] == [
        (CheckKind.DENOMINATOR_JUMP, {"period": "2021S1", "total": 61, "previous_period": "2020S1", "previous": 20})
    ]


@pytest.mark.django_db
def test_a_batch_costs_three_queries(plan, django_assert_num_queries):
    entry("1.a.1.1", "2019S1", value=100)
    entry("1.b.2.1", "2019S1", kecamatan="53.03.08")
    batch = [new("1.a.1.1", f"{year}S{s}", value=100) for year in (2020, 2021) for s in (1, 2)]
    batch += [new("1.b.2.1", "2021S1", kecamatan="53.03.08"), new("2.b.1.3", "2021S1", numerator=1, denominator=2)]
    # semester totals, places reached, targets
    with django_assert_num_queries(3):
        check_entries(batch)


@pytest.mark.django_db
def test_a_level_is_judged_on_its_highest_value_not_a_sum(plan):
    """4.a.5.1 (secretariat staff, a level): 2 in 2019S1 and 2 in 2019S2 → median 2, so above 6 is flagged.

    In 2020S1 a 5 is already received: a new 6 makes the semester's level 6 (not 11), not flagged; 7 is.
    """
    entry("4.a.5.1", "2019S1", value=2)
    entry("4.a.5.1", "2019S2", value=2)
    entry("4.a.5.1", "2020S1", value=5)
    assert kinds([new("4.a.5.1", "2020S1", value=6)]) == [[]]
    (warnings,) = check_entries([new("4.a.5.1", "2020S1", value=7)])
    assert [(w.kind, w.figures) for w in warnings] == [
        (CheckKind.OUTLIER, {"period": "2020S1", "total": 7, "median": "2"})
    ]


@pytest.mark.django_db
def test_a_levels_semester_is_its_latest_report_as_in_the_rollup(plan):
    """4.a.5.1 (a level): in 2019S1 a 9 on 1 March, then a 2 on 1 June: the semester's level is 2 (the latest
    report, as the rollup reads it), not 9 (the highest). 2019S2: 2. Median of the earlier semesters: 2, so a 7
    in 2020S1 (above 3 × 2 = 6) is flagged; judged on the highest (median of 9 and 2: 5.5) it would not be."""
    import datetime

    entry("4.a.5.1", "2019S1", value=9, date=datetime.date(2019, 3, 1))
    entry("4.a.5.1", "2019S1", value=2, date=datetime.date(2019, 6, 1))
    entry("4.a.5.1", "2019S2", value=2)
    (warnings,) = check_entries([new("4.a.5.1", "2020S1", value=7)])
    assert [(w.kind, w.figures) for w in warnings] == [
        (CheckKind.OUTLIER, {"period": "2020S1", "total": 7, "median": "2"})
    ]
    # in a batch, a later report of the same semester replaces the earlier one: 2 then 7 → 7, flagged once
    assert kinds([new("4.a.5.1", "2020S1", value=2), new("4.a.5.1", "2020S2", value=7)]) == [[], ["outlier"]]
