"""tptto_monitor.lib.fixed_reads: a queryset's instances from SQL compiled once are the ORM's own, in one query, on
SQLite and PostgreSQL (the suite runs on both): dates, times and booleans converted, the parents cached."""

import datetime
import functools

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import ProgressEntry
from indicators.tests.factories import entry
from indicators.tests.plan_helpers import make_plan
from programs.models import Plan, Region
from tptto_monitor.lib.fixed_reads import instances


def fields_of(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def one_with_parent(model, field: str, value, parent: str):
    """The row whose unique `field` is `value`, with its `parent`, as the plan pages read their plan."""
    found = instances(
        model, (model, field, value, parent), lambda: model.objects.select_related(parent).filter(**{field: value})
    )
    return found[0] if found else None


@pytest.mark.django_db
def test_the_plan_and_its_regency_are_the_orms_in_one_query(plan):
    from django.http import Http404

    from programs.access import get_plan_for_user

    expected = Plan.objects.select_related("region").get(code="rad-ttu-2018-2022")
    root = User(is_superuser=True)  # reads every plan
    for _read in range(2):  # compiled, then sent as it is
        with CaptureQueriesContext(connection) as queries:
            got = get_plan_for_user(root, "rad-ttu-2018-2022")  # as every plan page reads its plan
            assert got.region.name == "Kabupaten Timor Tengah Utara"  # cached: no second query
        assert len(queries) == 1
        assert fields_of(got) == fields_of(expected)
        assert fields_of(got.region) == fields_of(expected.region)
        assert got.pk == expected.pk and got._state.db == expected._state.db and not got._state.adding
    with pytest.raises(Http404):
        get_plan_for_user(root, "no-such-plan")


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


def active_in(province: str):
    return Plan.objects.filter(region__parent__code=province).select_related("region__parent").order_by("code")


@pytest.mark.django_db
def test_a_querysets_instances_are_the_orms_compiled_once_per_key(plan):
    make_plan("rad-belu-2019-2023")
    expected = list(active_in("53"))
    assert len(expected) == 2  # by hand: TTU's and Belu's
    for _read in range(2):  # compiled, then sent as it is
        with CaptureQueriesContext(connection) as queries:
            got = instances(Plan, ("active-in", "53"), lambda: active_in("53"))
            assert [p.region.parent.name for p in got] == ["Nusa Tenggara Timur"] * 2  # no query: read with them
        assert len(queries) == 1
        assert [fields_of(p) for p in got] == [fields_of(p) for p in expected]
        assert [fields_of(p.region) for p in got] == [fields_of(p.region) for p in expected]
    assert instances(Plan, ("active-in", "51"), lambda: active_in("51")) == []  # another key, another query


@pytest.mark.django_db
def test_the_compiled_queries_kept_are_bounded_and_an_annotation_is_refused(plan, monkeypatch):
    from django.db.models import Count

    from tptto_monitor.lib import fixed_reads

    monkeypatch.setattr(fixed_reads, "KEPT", 3)
    fixed_reads._compiled.__dict__.pop("queries", None)  # this thread's, kept by earlier tests
    for code in ("51", "52", "53", "61", "53"):
        instances(Plan, ("bounded", code), functools.partial(active_in, code))
    # by hand: 51 left when 61 came (the fourth), and 53 read again is the last used
    assert [key for _alias, key in fixed_reads._compiled.queries] == [("bounded", c) for c in ("52", "61", "53")]
    with pytest.raises(ValueError, match="select_related parents only"):
        instances(Plan, "annotated", lambda: Plan.objects.annotate(n=Count("indicators")))
