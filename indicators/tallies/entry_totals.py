"""The entries' aggregates the rollup reads (`EntryTotal` by place, `SemesterTotal` by semester), kept equal to the
entries in the same transaction as every write.

The rule is one: after a write, the rows of every indicator it touched (for one entry's write, only the semesters
it touched) are computed again from its entries (`refresh`), inside the write's transaction, so a reader never sees
the entries and their totals disagree, and a rolled-back write leaves both as they were. Where the writes pass:

- one entry saved or deleted (the workflow services, the API, the admin, an undo): the model's signals
  (indicators/signals.py) refresh its cell (indicator × semester), and the one it left when an edit moved it;
  an entry that is neither counted before nor after the write (a draft edited, a returned entry deleted)
  changes no total and costs nothing;
- a bulk insert sends no signal: the progress import, the DHIS2 import, seed_demo and the bench's generator call
  `refresh` (or `rebuild`) themselves, once, with the indicators they wrote to;
- many signals in one go (an undo deletes its entries one by one): `batch()` gathers their cells and
  refreshes each once when it closes;
- a restore loads rows raw (no signal) and `rebuild`s everything once, inside its transaction.

Two writers of the same indicator take turns: `refresh` first locks the indicators' rows (FOR NO KEY UPDATE,
which a new entry's foreign key check does not wait for), in id order, so the second one's grouped read sees
the first one's entries. `manage.py rebuild_figures` rebuilds the tables from the entries; the property test
(indicators/tests/test_tallies_property.py) proves the kept rows equal a rebuild after random writes.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BigIntegerField, CharField, Count, Max, Q, Sum, Value

from indicators.models import COUNTED_STATUSES, EntryTotal, Indicator, Kind, ProgressEntry, SemesterTotal
from indicators.models.kinds import NUMBER_FIELDS

LATEST_KINDS = [kind.value for kind in Kind.where("is_latest")]

Cell = tuple[int, int, int]  # (indicator id, year, semester): the rows one entry's write can change
# past this many cells, their whole indicators are refreshed instead (one short WHERE, not thousands of ORs)
MOST_CELLS = 40


@dataclass
class _Pending:
    """What an open `batch()` has gathered: whole indicators, and single cells."""

    indicators: set[int]
    cells: set[Cell]


# what an open `batch()` gathers (None: no batch is open, refresh at once)
_pending: contextvars.ContextVar[_Pending | None] = contextvars.ContextVar("entry_totals_pending", default=None)


def _where(indicators, cells: Collection[Cell] = ()) -> Q:
    """The rows of whole `indicators` (ids, or a query of ids) and of single `cells`."""
    where = Q(indicator_id__in=indicators) if indicators else Q(pk__in=[])
    for indicator_id, year, semester in sorted(cells):
        where |= Q(indicator_id=indicator_id, year=year, semester=semester)
    return where


def _grouped(where: Q, latest: bool):
    """The entries `where` chooses grouped as `EntryTotal` keeps them, its columns in the order of its key: where
    the latest report counts, one row per reported state too."""
    keys = ("indicator_id", "status", "year", "semester", "agency_id", "kecamatan_id")
    entries = ProgressEntry.objects.filter(where, status__in=COUNTED_STATUSES).order_by()
    if latest:
        rows = entries.values(*keys, "milestone_status", "value")
    else:
        rows = entries.values(*keys).annotate(
            no_state=Value("", output_field=CharField()), no_value=Value(None, output_field=BigIntegerField())
        )
    return rows.annotate(
        n=Count("id"),
        **{f"sum_{name}": Sum(name) for name in NUMBER_FIELDS},
        newest_date=Max("date"),
        newest_id=Max("id"),
    )


def _by_semester(where: Q):
    """The rows by place `where` chooses added up over the places and agencies, as `SemesterTotal` keeps them."""
    return (
        EntryTotal.objects.filter(where)
        .order_by()
        .values(*SemesterTotal.KEY)
        .annotate(
            total_n=Sum("n"),
            **{f"total_{name}": Sum(name) for name in EntryTotal.SUMS},
            newest_date=Max("last_date"),
            newest_id=Max("last_id"),
        )
    )


def _insert(model, rows) -> int:
    """INSERT … SELECT: the grouped rows go to the table without passing through Python (the SELECT's columns
    are the key's, then the count, the sums, the latest date and id)."""
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = (*model.KEY, "n", *model.SUMS, "last_date", "last_id")
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)  # noqa: S608 (names quoted, values bound)
        return cursor.rowcount


def _delete(model, where: Q | None = None) -> None:
    rows = model.objects.all() if where is None else model.objects.filter(where)
    rows._raw_delete(model.objects.db)


def refresh(indicator_ids: Iterable[int] = (), cells: Iterable[Cell] = ()) -> None:
    """Compute the rows of these indicators, and of these single cells (indicator, year, semester: what one
    entry's save touches, a tenth of its indicator's entries), again from their entries, inside the caller's
    transaction, if any.

    Five queries for one indicator or cell: the lock (which reads the kinds), the delete and the grouped insert of
    the rows by place (one more insert when the indicators are of both groups, summed and latest), the delete
    and the insert of the rows by semester (added up from the rows by place).
    """
    whole, cells = set(indicator_ids), set(cells)
    if len(cells) > MOST_CELLS:
        whole |= {cell[0] for cell in cells}
    cells = {cell for cell in cells if cell[0] not in whole}
    ids = sorted(whole | {cell[0] for cell in cells})
    if not ids:
        return
    pending = _pending.get()
    if pending is not None:
        pending.indicators.update(whole)
        pending.cells.update(cells)
        return
    with transaction.atomic(savepoint=False):
        kinds = dict(
            Indicator.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk", "kind")
        )
        where = _where(sorted(whole), cells)
        _delete(EntryTotal, where)
        latest = [iid for iid, kind in kinds.items() if kind in LATEST_KINDS]
        summed = [iid for iid, kind in kinds.items() if kind not in LATEST_KINDS]
        if summed:
            _insert(EntryTotal, _grouped(where & Q(indicator_id__in=summed), latest=False))
        if latest:
            _insert(EntryTotal, _grouped(where & Q(indicator_id__in=latest), latest=True))
        _delete(SemesterTotal, where)
        _insert(SemesterTotal, _by_semester(where))


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Refresh each indicator written to inside the block once, when the block ends without an error (inside
    the caller's transaction: open it inside `transaction.atomic()`). Nested batches join the outer one."""
    if _pending.get() is not None:
        yield
        return
    gathered = _Pending(set(), set())
    token = _pending.set(gathered)
    try:
        yield
    finally:
        _pending.reset(token)
    refresh(gathered.indicators, gathered.cells)


@dataclass(frozen=True)
class Rebuilt:
    rows: int
    seconds: float


def rebuild(plans: Collection | None = None) -> Rebuilt:
    """The rows of `plans` (None: of every plan) computed again from the entries, in one transaction: three
    INSERT … SELECT, whatever the number of entries; how many rows of both tables."""
    start = time.perf_counter()
    with transaction.atomic():
        indicators = Indicator.objects.all() if plans is None else Indicator.objects.filter(plan__in=list(plans))
        list(indicators.select_for_update(no_key=True).order_by("pk").values_list("pk"))
        chosen = None if plans is None else Q(indicator_id__in=indicators.values("pk"))
        _delete(EntryTotal, chosen)
        _delete(SemesterTotal, chosen)
        summed = Q(indicator_id__in=indicators.exclude(kind__in=LATEST_KINDS).values("pk"))
        latest = Q(indicator_id__in=indicators.filter(kind__in=LATEST_KINDS).values("pk"))
        rows = _insert(EntryTotal, _grouped(summed, latest=False))
        rows += _insert(EntryTotal, _grouped(latest, latest=True))
        rows += _insert(SemesterTotal, _by_semester(Q(indicator_id__in=indicators.values("pk"))))
    return Rebuilt(rows, time.perf_counter() - start)


# --- what the entry signals ask (indicators/signals.py) --------------------------------------------------------


_REMEMBERED = ("indicator_id", "status", "year", "semester")


def remember(entry: ProgressEntry) -> None:
    """Note the indicator, status and semester the entry has in the database (when read, and after each save), so
    that its next write knows which cell it leaves and whether any total can change. Only what was read is
    looked at (a field a query left unread stays unknown, and `recall` reads it)."""
    fields = entry.__dict__
    entry._tally_was = tuple(fields.get(name) for name in _REMEMBERED) if entry.pk else None


def recall(entry: ProgressEntry) -> None:
    """Before a save or a deletion: read what the database holds when it is not known (a row read without its
    indicator or status, or an entry made with its id); a new entry holds nothing yet."""
    was = getattr(entry, "_tally_was", None)
    if entry.pk is not None and (was is None or None in was):
        entry._tally_was = ProgressEntry.objects.filter(pk=entry.pk).values_list(*_REMEMBERED).first()


def touched(entry: ProgressEntry, *, deleted: bool = False) -> set[Cell]:
    """The cells whose totals this write may change: the one the entry was counted in before, and the one it is
    counted in now. None when it is counted neither before nor after (a draft saved, a returned one deleted)."""
    was = getattr(entry, "_tally_was", None)
    cells = set()
    if was is not None and was[1] in COUNTED_STATUSES:
        cells.add((was[0], was[2], was[3]))
    if not deleted and entry.status in COUNTED_STATUSES:
        cells.add((entry.indicator_id, entry.year, entry.semester))
    return cells


def remember_kind(indicator: Indicator) -> None:
    """Note the kind an indicator was read with (see `regrouped`)."""
    indicator._tally_kind = indicator.__dict__.get("kind") if indicator.pk else None


def regrouped(indicator: Indicator) -> bool:
    """An indicator's kind moved in or out of the kinds where the latest report counts (the plan file or the
    admin changed it): its rows are grouped otherwise, and must be computed again."""
    was = getattr(indicator, "_tally_kind", None)
    return was is not None and (was in LATEST_KINDS) != (indicator.kind in LATEST_KINDS)
