"""Reporting periods (programs/periods.py): DHIS2 names, bounds and order, worked out by hand."""

import datetime

import pytest
from django.utils import translation

from programs.periods import Period, semesters


def test_parse_reads_years_and_semesters():
    assert Period.parse("2021") == Period(2021)
    assert Period.parse("2021S1") == Period(2021, 1)
    assert Period.parse(" 2021s2 ") == Period(2021, 2)  # case and spaces forgiven


@pytest.mark.parametrize("text", ["", "21", "2021S3", "2021S0", "2021-S1", "S1", "2021 S1", None])
def test_parse_refuses_anything_else_naming_the_value(text):
    with translation.override("en"), pytest.raises(ValueError) as refused:
        Period.parse(text)
    assert str(refused.value) == f"“{text or ''}” is not a period like 2021, 2021S1 or 2021S2."


def test_names_are_dhis2_period_ids():
    assert str(Period(2021, 1)) == "2021S1"
    assert str(Period(2021, 2)) == "2021S2"
    assert str(Period(2021)) == "2021"


def test_bounds_of_semesters_and_years():
    assert (Period(2020, 1).start, Period(2020, 1).end) == (datetime.date(2020, 1, 1), datetime.date(2020, 6, 30))
    assert (Period(2020, 2).start, Period(2020, 2).end) == (datetime.date(2020, 7, 1), datetime.date(2020, 12, 31))
    assert (Period(2020).start, Period(2020).end) == (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))


def test_of_date_and_contains_meet_at_the_first_of_july():
    assert Period.of_date(datetime.date(2021, 6, 30)) == Period(2021, 1)
    assert Period.of_date(datetime.date(2021, 7, 1)) == Period(2021, 2)
    assert Period(2021, 1).contains(datetime.date(2021, 6, 30))
    assert not Period(2021, 1).contains(datetime.date(2021, 7, 1))
    assert Period(2021).contains(datetime.date(2021, 7, 1))


def test_index_and_order_follow_the_calendar():
    assert Period(2021, 1).index == 20211
    assert Period(2021, 2).index == 20212
    assert Period(2021).index == 20212  # a year ends with its second semester
    assert Period(2020, 2) < Period(2021, 1) < Period(2021, 2)
    assert sorted([Period(2022, 1), Period(2021, 2), Period(2021, 1)]) == [
        Period(2021, 1),
        Period(2021, 2),
        Period(2022, 1),
    ]


def test_semesters_of_the_plan_years():
    assert semesters([2018, 2019]) == [Period(2018, 1), Period(2018, 2), Period(2019, 1), Period(2019, 2)]
    assert len(semesters(list(range(2018, 2023)))) == 10
    assert semesters([]) == []
