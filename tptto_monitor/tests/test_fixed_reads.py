"""tptto_monitor.lib.fixed_reads: a row and its parent read by fixed SQL are the ORM's own instances, in one query,
on SQLite and PostgreSQL (the suite runs on both): dates, times and booleans converted, the parent cached."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import ProgressEntry
from indicators.tests.factories import entry
from programs.models import Plan, Region
from tptto_monitor.lib.fixed_reads import one_with_parent


def fields_of(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


@pytest.mark.django_db
def test_the_plan_and_its_regency_are_the_orms_in_one_query(plan):
    expected = Plan.objects.select_related("region").get(code="rad-ttu-2018-2022")
    with CaptureQueriesContext(connection) as queries:
        got = one_with_parent(Plan, "code", "rad-ttu-2018-2022", "region")
        assert got.region.name == "Kabupaten Timor Tengah Utara"  # cached: no second query
    assert len(queries) == 1
    assert fields_of(got) == fields_of(expected)
    assert fields_of(got.region) == fields_of(expected.region)
    assert got.pk == expected.pk and got._state.db == expected._state.db and not got._state.adding
    assert one_with_parent(Plan, "code", "no-such-plan", "region") is None


@pytest.mark.django_db
def test_dates_times_and_booleans_come_as_the_orm_gives_them(plan):
    made = entry("1.a.1.1", "2021S1", value=12, is_demo=True)
    ProgressEntry.objects.filter(pk=made.pk).update(
        verified_at=datetime.datetime(2021, 7, 2, 3, 4, 5, tzinfo=datetime.UTC)
    )
    got = one_with_parent(ProgressEntry, "id", made.pk, "indicator")
    assert fields_of(got) == fields_of(ProgressEntry.objects.get(pk=made.pk))
    # by hand: the semester's last day, the time of verification (aware), the flag, each of its own type
    assert got.date == datetime.date(2021, 6, 30) and type(got.date) is datetime.date
    assert got.verified_at == datetime.datetime(2021, 7, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert got.verified_at.utcoffset() == datetime.timedelta(0)
    assert got.is_demo is True and got.value == 12
    assert got.indicator.code == "1.a.1.1"


@pytest.mark.django_db
def test_a_missing_parent_is_cached_as_none(plan):
    province = one_with_parent(Region, "code", "53", "parent")
    assert province.name == "Nusa Tenggara Timur"
    with CaptureQueriesContext(connection) as queries:
        assert province.parent is None
    assert len(queries) == 0
    assert one_with_parent(Region, "code", "53.03", "parent").parent.code == "53"
