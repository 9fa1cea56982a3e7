"""The entries' totals kept on write (indicators/tallies/entry_totals.py): their rows after a few writes, worked
out by hand, and the queries a write costs."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from indicators.models import EntryStatus, EntryTotal, Indicator, SemesterTotal
from indicators.tallies import entry_totals
from indicators.tests.factories import entry


def nones_first(row: tuple) -> tuple:
    return tuple((value is not None, value) for value in row)


def rows(code: str) -> list[tuple]:
    """(year, semester, status, kecamatan code, state, value, n, Σ value, Σ male, last date) of one indicator."""
    return sorted(
        [
            (
                r.year,
                r.semester,
                r.status,
                r.kecamatan.code if r.kecamatan else None,
                r.milestone_status,
                r.value,
                r.n,
                r.sum_value,
                r.sum_male,
                r.last_date,
            )
            for r in EntryTotal.objects.filter(indicator__code=code).select_related("kecamatan")
        ],
        key=nones_first,
    )


def all_rows() -> list[tuple]:
    """Every column of every row of both tables."""
    found = []
    for model in (EntryTotal, SemesterTotal):
        columns = (*model.KEY, "n", *model.SUMS, "last_date", "last_id")
        found += [(model.__name__, *row) for row in model.objects.values_list(*columns)]
    return sorted(found, key=nones_first)


def by_semester(code: str) -> list[tuple]:
    """(year, semester, status, state, value, n, Σ value, Σ male, last date) of one indicator, every place."""
    columns = ("year", "semester", "status", "milestone_status", "value", "n", "sum_value", "sum_male", "last_date")
    return sorted(SemesterTotal.objects.filter(indicator__code=code).values_list(*columns), key=nones_first)


D = datetime.date


@pytest.mark.django_db
def test_sums_per_semester_place_and_status_and_drafts_never_count(plan):
    entry("1.a.1.1", "2018S1", value=300, kecamatan="53.03.08")
    entry("1.a.1.1", "2018S1", value=200, male=80, female=120, kecamatan="53.03.08", date=D(2018, 3, 1))
    entry("1.a.1.1", "2018S1", value=50)  # no kecamatan: the regency as a whole
    entry("1.a.1.1", "2018S1", value=70, status=EntryStatus.SUBMITTED)
    entry("1.a.1.1", "2018S1", value=999, status=EntryStatus.DRAFT)
    entry("1.a.1.1", "2018S2", value=400, status=EntryStatus.RETURNED, return_reason="Which kecamatan?")
    assert rows("1.a.1.1") == [
        (2018, 1, "submitted", None, "", None, 1, 70, None, D(2018, 6, 30)),
        (2018, 1, "verified", None, "", None, 1, 50, None, D(2018, 6, 30)),
        (2018, 1, "verified", "53.03.08", "", None, 2, 500, 80, D(2018, 6, 30)),  # 300 + 200; the men of one
    ]
    # every place together: what the figures of the whole plan read
    assert by_semester("1.a.1.1") == [
        (2018, 1, "submitted", "", None, 1, 70, None, D(2018, 6, 30)),
        (2018, 1, "verified", "", None, 3, 550, 80, D(2018, 6, 30)),  # 300 + 200 + 50
    ]


@pytest.mark.django_db
def test_a_status_change_moves_the_entry_between_rows_and_a_deletion_removes_it(plan):
    first = entry("1.a.1.1", "2019S2", value=10, status=EntryStatus.SUBMITTED)
    second = entry("1.a.1.1", "2019S2", value=5, status=EntryStatus.SUBMITTED)
    assert rows("1.a.1.1") == [(2019, 2, "submitted", None, "", None, 2, 15, None, D(2019, 12, 31))]
    first.status = EntryStatus.VERIFIED
    first.save()
    assert rows("1.a.1.1") == [
        (2019, 2, "submitted", None, "", None, 1, 5, None, D(2019, 12, 31)),
        (2019, 2, "verified", None, "", None, 1, 10, None, D(2019, 12, 31)),
    ]
    second.status, second.return_reason = EntryStatus.RETURNED, "Check the number."
    second.save()
    first.delete()
    assert rows("1.a.1.1") == []  # a returned entry counts nowhere


@pytest.mark.django_db
def test_an_entry_moved_to_another_indicator_leaves_the_first(plan):
    moved = entry("1.a.1.1", "2020S1", value=8)
    entry("1.a.1.2", "2020S1", value=1)
    moved.indicator = Indicator.objects.get(plan=plan, code="1.a.1.2")
    moved.save()
    assert rows("1.a.1.1") == []
    assert [(r[6], r[7]) for r in rows("1.a.1.2")] == [(2, 9)]  # two entries, 1 + 8


@pytest.mark.django_db
def test_the_latest_kinds_keep_one_row_per_reported_state(plan):
    entry("1.b.1.1", "2019S2", milestone_status="in_progress", date=D(2019, 8, 1))
    entry("1.b.1.1", "2019S2", milestone_status="in_progress", date=D(2019, 10, 1))
    last = entry("1.b.1.1", "2019S2", milestone_status="achieved", date=D(2019, 9, 1))
    entry("4.a.5.1", "2018S1", value=2)
    entry("4.a.5.1", "2018S1", value=3)
    assert rows("1.b.1.1") == [
        (2019, 2, "verified", None, "achieved", None, 1, None, None, D(2019, 9, 1)),
        (2019, 2, "verified", None, "in_progress", None, 2, None, None, D(2019, 10, 1)),
    ]
    assert EntryTotal.objects.get(indicator__code="1.b.1.1", milestone_status="achieved").last_id == last.pk
    # a level: one row per value reported (the latest report counts, never a sum of reports)
    assert [(r[5], r[6]) for r in rows("4.a.5.1")] == [(2, 1), (3, 1)]


@pytest.mark.django_db
def test_a_batch_refreshes_each_indicator_once_when_it_closes(plan, django_assert_num_queries):
    made = [entry("1.a.1.1", "2018S1", value=v) for v in (1, 2, 3)]
    with transaction.atomic(), entry_totals.batch():
        for obj in made[:2]:
            obj.delete()
        assert rows("1.a.1.1")[0][6] == 3  # not yet: the batch is open
    assert [(r[6], r[7]) for r in rows("1.a.1.1")] == [(1, 3)]


@pytest.mark.django_db
def test_many_cells_refresh_their_whole_indicators(plan):
    """An undo of a large import deletes its entries one by one: past MOST_CELLS cells, the batch refreshes
    their indicators whole (a WHERE of thousands of ORs would pass SQLite's limit on an expression's depth)."""
    made = [entry("1.a.1.1", f"{year}S{s}", value=1) for year in range(2018, 2023) for s in (1, 2)]
    assert len(made) == 10
    with transaction.atomic(), entry_totals.batch():
        for obj in made:
            obj.delete()
    assert rows("1.a.1.1") == []
    cells = {(made[0].indicator_id, 2000 + n, 1) for n in range(entry_totals.MOST_CELLS + 1)}
    entry_totals.refresh(cells=cells)  # collapsed to the indicator: nothing to add up, and no error
    assert rows("1.a.1.1") == []


@pytest.mark.django_db
def test_rebuild_equals_what_the_writes_kept(plan):
    entry("1.a.1.1", "2018S1", value=300, kecamatan="53.03.08")
    entry("1.b.2.1", "2018S2", kecamatan="53.03.04", status=EntryStatus.SUBMITTED)
    entry("1.b.1.1", "2019S2", milestone_status="in_progress")
    kept = all_rows()
    assert len(kept) == 6  # three by place, three by semester
    EntryTotal.objects.all().delete()
    SemesterTotal.objects.all().delete()
    done = entry_totals.rebuild([plan])
    assert done.rows == 6
    assert all_rows() == kept
    entry_totals.rebuild()  # every plan
    assert all_rows() == kept


@pytest.mark.django_db
def test_rebuild_figures_command_says_what_it_wrote(plan, capsys):
    entry("1.a.1.1", "2018S1", value=300)
    EntryTotal.objects.all().delete()
    call_command("rebuild_figures", "--rad", plan.code)
    assert EntryTotal.objects.count() == SemesterTotal.objects.count() == 1
    out = capsys.readouterr().out
    assert "Entry totals: 2 rows in" in out or "Total entri: 2 baris" in out


@pytest.mark.django_db
def test_a_save_that_counts_costs_five_queries_more_and_a_drafts_none(plan):
    """The refresh of one indicator: its lock; the delete and the grouped insert of its rows by place, then by
    semester."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    draft = entry("1.a.1.1", "2018S1", value=1, status=EntryStatus.DRAFT)
    verified = entry("1.a.1.1", "2018S1", value=1)
    costs = {}
    for name, obj in (("draft", draft), ("verified", verified)):
        obj.value = 2
        with CaptureQueriesContext(connection) as queries:
            obj.save()
        costs[name] = len(queries)
    assert costs["verified"] - costs["draft"] == 5
    assert [(r[6], r[7]) for r in rows("1.a.1.1")] == [(1, 2)]
