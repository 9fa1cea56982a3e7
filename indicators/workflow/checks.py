"""Data checks on new or changed entries, in the entry form and in the import.

Not errors: warnings that the person must confirm with a comment (the entry is then
saved with its `EntryWarning`s and flagged in the verification queue). The history they
are judged against is the agency's own received entries (submitted or verified):

outlier           a number whose semester total (this entry included) is more than 3× the
                  median of the agency's earlier semesters with data for that indicator;
above_target      the agency's first number for the indicator whose semester total is more
                  than 3× the year's annual target (at least 3);
place_reached     a coverage report for a kecamatan that a received entry already reached;
denominator_jump  a percentage whose semester denominator is more than 3× the previous
                  semester's.

Only upward jumps are flagged: a semester's total grows as its entries come in, so a low
total cannot be judged while it is being entered.

`check_entries()` takes a batch of unsaved (or edited) entries and answers with three
queries, whatever the batch's size; rows earlier in the batch count as history for the
later ones (an import's rows build on each other).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, Sum

from indicators.figures.rollup import latest_report_rows
from indicators.models import CheckKind, EntryStatus, EntryWarning, Kind, ProgressEntry, Target
from indicators.models.cockpit import warning_message
from programs.periods import Period

FACTOR = 3
RECEIVED = (EntryStatus.SUBMITTED, EntryStatus.VERIFIED)


@dataclass(frozen=True)
class DataWarning:
    kind: str  # CheckKind
    figures: dict

    @property
    def message(self) -> str:
        return warning_message(self.kind, self.figures)


def _number(value) -> str:
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


@dataclass
class _History:
    """The received entries' semester totals per (agency, indicator), the places reached, the targets."""

    values: dict[tuple[int, int], dict[Period, int]] = field(default_factory=lambda: defaultdict(dict))
    denominators: dict[tuple[int, int], dict[Period, int]] = field(default_factory=lambda: defaultdict(dict))
    reached: dict[tuple[int, int], str] = field(default_factory=dict)  # (indicator, kecamatan) → when, first
    targets: dict[tuple[int, int], Decimal] = field(default_factory=dict)

    def add_value(self, key, period: Period, value: int | None, kind: Kind) -> None:
        """A report's number joins its semester's figure by the kind's rule, as the rollup reads it: summed
        kinds add up (Kind.is_summed); where the latest report stands for the semester (Kind.is_latest, a
        level), the newer report replaces the figure."""
        if value is None:
            return
        current = self.values[key].get(period)
        self.values[key][period] = current + value if kind.is_summed and current is not None else value

    def add_denominator(self, key, period: Period, value: int | None) -> None:
        if value:
            self.denominators[key][period] = self.denominators[key].get(period, 0) + value

    def add_place(self, indicator_id: int, kecamatan_id: int | None, when: str) -> None:
        if kecamatan_id is not None:
            self.reached.setdefault((indicator_id, kecamatan_id), when)


def _load(entries: list[ProgressEntry]) -> _History:
    history = _History()
    indicator_ids = {entry.indicator_id for entry in entries}
    own = [entry.pk for entry in entries if entry.pk]
    received = ProgressEntry.objects.filter(indicator_id__in=indicator_ids, status__in=RECEIVED).exclude(pk__in=own)
    kinds = {entry.indicator_id: Kind(entry.indicator.kind) for entry in entries}
    rows = (
        received.values("agency_id", "indicator_id", "year", "semester")
        .annotate(total=Sum("value"), denominator=Sum("denominator"))
        .order_by()
    )
    for row in rows:
        key, period = (row["agency_id"], row["indicator_id"]), Period(row["year"], row["semester"])
        kind = kinds[row["indicator_id"]]
        if kind.takes_number and kind.is_summed:
            history.add_value(key, period, row["total"], kind)
        history.add_denominator(key, period, row["denominator"])
    # the kinds whose semester is its latest report: that report's number, chosen as the rollup chooses it
    latest = [i for i, kind in kinds.items() if kind.takes_number and kind.is_latest]
    if latest:
        chosen: dict[tuple, dict] = {}
        for row in latest_report_rows(received, latest, by=("agency_id",)):
            slot = (row["agency_id"], row["indicator_id"], row["year"], row["semester"])
            if slot not in chosen or (row["last_date"], row["last_id"]) > (
                chosen[slot]["last_date"],
                chosen[slot]["last_id"],
            ):
                chosen[slot] = row
        for (agency_id, indicator_id, year, semester), row in chosen.items():
            history.add_value((agency_id, indicator_id), Period(year, semester), row["value"], kinds[indicator_id])
    coverage = [i for i, kind in kinds.items() if kind == Kind.COVERAGE]
    if coverage:
        places = (
            received.filter(indicator_id__in=coverage, kecamatan__isnull=False)
            .values("indicator_id", "kecamatan_id")
            .annotate(first_year=Min("year"))
            .order_by()
        )
        for row in places:  # the year it was first reached is enough to say when
            history.add_place(row["indicator_id"], row["kecamatan_id"], str(row["first_year"]))
    history.targets = {
        (indicator_id, year): value
        for indicator_id, year, value in Target.objects.filter(indicator_id__in=indicator_ids).values_list(
            "indicator_id", "year", "value"
        )
    }
    return history


def _check_number(entry: ProgressEntry, kind: Kind, history: _History) -> list[DataWarning]:
    key, period = (entry.agency_id, entry.indicator_id), entry.period
    semesters = history.values[key]
    total = semesters.get(period, 0)
    total = total + entry.value if kind.is_summed else entry.value  # the newest report of a level stands
    earlier = [value for p, value in semesters.items() if p < period]
    figures = {"period": str(period), "total": total}
    if earlier:
        median = statistics.median(earlier)
        if median > 0 and total > FACTOR * median:
            return [DataWarning(CheckKind.OUTLIER, {**figures, "median": _number(median)})]
        return []
    target = history.targets.get((entry.indicator_id, entry.year))
    # a target below one unit (1 safe house over five years: 0.2 a year) counts as one, or the
    # first unit ever reported would look far above it
    if target and total > FACTOR * max(target, 1):
        return [DataWarning(CheckKind.ABOVE_TARGET, {**figures, "year": entry.year, "target": _number(target)})]
    return []


def _check_denominator(entry: ProgressEntry, history: _History) -> list[DataWarning]:
    key, period = (entry.agency_id, entry.indicator_id), entry.period
    semesters = history.denominators[key]
    earlier = sorted(p for p in semesters if p < period)
    if not earlier or not entry.denominator:
        return []
    previous = earlier[-1]
    total = semesters.get(period, 0) + entry.denominator
    if total > FACTOR * semesters[previous]:
        figures = {
            "period": str(period),
            "total": total,
            "previous_period": str(previous),
            "previous": semesters[previous],
        }
        return [DataWarning(CheckKind.DENOMINATOR_JUMP, figures)]
    return []


def _check_place(entry: ProgressEntry, history: _History) -> list[DataWarning]:
    when = history.reached.get((entry.indicator_id, entry.kecamatan_id))
    if when is None:
        return []
    return [DataWarning(CheckKind.PLACE_REACHED, {"place": entry.kecamatan.name, "period": when})]


def check_entries(entries: list[ProgressEntry]) -> list[list[DataWarning]]:
    """The warnings of each entry, in order; earlier entries of the batch are history for later ones."""
    if not entries:
        return []
    history = _load(entries)
    result = []
    for entry in entries:
        kind = Kind(entry.indicator.kind)
        warnings: list[DataWarning] = []
        if kind.takes_number and entry.value is not None:
            warnings += _check_number(entry, kind, history)
        if kind == Kind.PERCENT:
            warnings += _check_denominator(entry, history)
        if kind == Kind.COVERAGE and entry.kecamatan_id:
            warnings += _check_place(entry, history)
        result.append(warnings)
        # this entry becomes history for the next ones of the batch
        key = (entry.agency_id, entry.indicator_id)
        if kind.takes_number:
            history.add_value(key, entry.period, entry.value, kind)
        history.add_denominator(key, entry.period, entry.denominator)
        if kind == Kind.COVERAGE:
            history.add_place(entry.indicator_id, entry.kecamatan_id, str(entry.period))
    return result


def record_warnings(entry: ProgressEntry, warnings: list[DataWarning], *, comment: str, user) -> None:
    """Keep the entry's confirmed warnings (replacing earlier ones: they were about its old values)."""
    EntryWarning.objects.filter(entry=entry).delete()
    EntryWarning.objects.bulk_create(
        EntryWarning(entry=entry, kind=w.kind, figures=w.figures, comment=comment, confirmed_by=user) for w in warnings
    )


def record_import_warnings(rows, *, comment: str, user) -> None:
    """The confirmed warnings of freshly imported entries (rows with `entry` saved and `warnings`), in one insert."""
    EntryWarning.objects.bulk_create(
        EntryWarning(entry=row.entry, kind=w.kind, figures=w.figures, comment=comment, confirmed_by=user)
        for row in rows
        for w in row.warnings
    )
