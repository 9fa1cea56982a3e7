"""The rollup engine: every figure that any page, chart, export or API shows.

Nothing else computes a figure. `compute()` reads the plan's indicators and
annual targets, aggregates the progress entries in the database with a
handful of grouped queries (never a loop over entries in Python), and applies
DESIGN.md's rule for each kind. The rules are a table, `RULES`, keyed by kind:
each says how the kind's reports lie over the semesters (its series), what
target falls due by the end of each semester (its pace) and what a year's
target and actual are:

count      actual = Σ value; year target = the annual target
coverage   actual = distinct kecamatan reached up to the end of the period; year target = Σ annual targets so far
percent    actual = Σ numerator ÷ Σ denominator × 100 (never a mean of percentages)
milestone  actual = its state at the end of the period: 0 / 50 / 100 (not started / in progress / achieved),
           shown every year against the target "achieved"; due (in pillar means) only in its due year
periodic   actual = Σ deliverables in the period, against the period's target
level      actual = the latest value reported up to the end of the period (a standing quantity, never a sum);
           year target = the level to hold that year (by default the plan target every year)
tracked    actual = Σ value; no target, no achievement
qualitative  the latest narrative; no number

Annual targets of counts, coverage and periodic deliverables are whole units
(the plan target split by largest remainder, `indicators.models.whole_split`).

Achievement = actual ÷ target × 100, uncapped. A pillar's achievement is the
mean of its targeted indicators' achievements, each capped at 100, over the
indicators whose target falls due in that year (a due indicator without data
counts as 0); the number of indicators behind each mean is kept with it.

Status against pace: actual to date ÷ target due to date (linear across the
elapsed semesters): ≥ 85 % on track, 50–85 % behind, < 50 % off track; no
entry yet: no data; the period has not begun: not due.

The rollup never reads the clock: the day the figures are computed for
(`as_of`) is passed in, by the pages as today.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import BigIntegerField, Count, F, Max, Min, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from indicators.models import (
    COUNTED_STATUSES,
    MILESTONE_SCORE,
    EntryStatus,
    EntryTotal,
    Indicator,
    Kind,
    MilestoneStatus,
    ProgressEntry,
    SemesterTotal,
    Target,
    Totals,
)
from indicators.models.kinds import NUMBER_FIELDS
from programs.models import Pillar, Plan, Region
from programs.periods import Period, semesters

HUNDRED = Decimal(100)
ON_TRACK_FROM = Decimal("0.85")
BEHIND_FROM = Decimal("0.50")
HIGHLIGHTS_PER_PILLAR = 3


SUMMED_FIELDS = NUMBER_FIELDS


def _of_totals(rows) -> bool:
    """Whether `rows` are the entries' totals kept on write (`EntryTotal`, `SemesterTotal`), or the entries."""
    return issubclass(rows.model, Totals)


def summed_fields(rows=None) -> dict:
    """The entry fields that add up within a group (one list for the period and the kecamatan rows), and the
    entries' count `n`: over the entries, or over their totals (`rows` of `EntryTotal`: sums of sums, kept as
    whole numbers, as a sum of the entries' integers is)."""
    if rows is not None and _of_totals(rows):
        return {"n": Sum("n")} | {
            field: Cast(Sum(f"sum_{field}"), output_field=BigIntegerField()) for field in SUMMED_FIELDS
        }
    return {"n": Count("id")} | {field: Sum(field) for field in SUMMED_FIELDS}


def latest_report_rows(rows, indicator_ids: list[int], *, by: tuple[str, ...] = ()):
    """For the kinds where the latest report counts (Kind.is_latest): per indicator × semester × reported state
    (a milestone's status, a level's value), the latest date, the highest id and how many entries. The latest
    report of a semester is the row with the highest (date, id): `Report.order`. Written once for the
    figures (`compute`), the aggregates (`data_values`) and the data checks (by agency: `by=("agency_id",)`), so
    none of them can choose another report. `rows`: the entries, or their totals kept on write (`EntryTotal`,
    which keep the same latest date, highest id and count per reported state: the max of maxima, the sum of
    counts)."""
    if _of_totals(rows):
        found = {"last_date": Max("last_date"), "last_id": Max("last_id"), "n": Sum("n")}
    else:
        found = {"last_date": Max("date"), "last_id": Max("id"), "n": Count("id")}
    return (
        rows.filter(indicator_id__in=indicator_ids)
        .values(*by, "indicator_id", "year", "semester", "milestone_status", "value")
        .annotate(**found)
        .order_by()
    )


def add_up(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the figures there are; None when there is none (nothing to add is not a zero)."""
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


def mean_of(values: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the figures there are (each weighs the same); None when there is none."""
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) / len(present) if present else None


def share(part, whole) -> Decimal | None:
    """part ÷ whole × 100, or None when there is no whole.

    The one division behind every percentage: a percent indicator's Σ numerator ÷ Σ denominator
    (a ratio of sums, never a mean of percentages) and every achievement (actual ÷ target).
    """
    if part is None or not whole:
        return None
    return Decimal(part) / Decimal(whole) * HUNDRED


class Status:
    ON_TRACK = "on_track"
    BEHIND = "behind"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    NOT_DUE = "not_due"
    UNTARGETED = "untargeted"

    LABELS = {
        ON_TRACK: _("On track"),
        BEHIND: _("Behind"),
        OFF_TRACK: _("Off track"),
        NO_DATA: _("No data"),
        NOT_DUE: _("Not due"),
        UNTARGETED: _("No target"),
    }
    ORDER = [ON_TRACK, BEHIND, OFF_TRACK, NO_DATA, NOT_DUE, UNTARGETED]
    COLOURS = {
        ON_TRACK: "#198754",
        BEHIND: "#e0a800",
        OFF_TRACK: "#b02a37",
        NO_DATA: "#6c757d",
        NOT_DUE: "#adb5bd",
        UNTARGETED: "#0b3d62",
    }

    @classmethod
    def label(cls, status: str) -> str:
        return str(cls.LABELS[status])


@dataclass(frozen=True)
class Filters:
    """What the figures are computed over. Official figures: verified entries only."""

    include_unverified: bool = False
    agency_id: int | None = None
    kecamatan_id: int | None = None
    pillar_number: int | None = None
    indicator_ids: Collection[int] | None = None
    indicator_code: str | None = None
    year: int | None = None  # entries of one year only (for breakdowns; compute() needs every year)

    def replace(self, **changes) -> Filters:
        return dataclasses.replace(self, **changes)

    def key(self) -> str:
        """Every filter's name and value, so that a filter added here can never be left out of a cache key."""
        parts = []
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Collection) and not isinstance(value, str):
                value = sorted(value)
            parts.append(f"{item.name}={value!r}")
        return ";".join(parts)

    def entries(self, plan: Plan):
        return self.entries_of([plan])

    def entries_of(self, plans: Sequence[Plan]):
        """The entries behind the figures of several plans at once (an entry's indicator says whose it is)."""
        qs = ProgressEntry.objects.official(self.include_unverified).filter(indicator__plan__in=list(plans))
        return self._narrowed(qs)

    def _narrowed(self, qs):
        """The entries (or their totals: the same columns) of the year, agency, kecamatan, pillar and indicators."""
        if self.year:
            qs = qs.filter(year=self.year)
        if self.agency_id:
            qs = qs.filter(agency_id=self.agency_id)
        if self.kecamatan_id:
            qs = qs.filter(kecamatan_id=self.kecamatan_id)
        if self.pillar_number:
            qs = qs.filter(indicator__activity__program__pillar__number=self.pillar_number)
        if self.indicator_ids is not None:
            qs = qs.filter(indicator_id__in=list(self.indicator_ids))
        if self.indicator_code:
            qs = qs.filter(indicator__code=self.indicator_code)
        return qs

    def totals(self, plan: Plan, *, by_place: bool = False):
        return self.totals_of([plan], by_place=by_place)

    def totals_of(self, plans: Sequence[Plan], *, by_place: bool = False):
        """The entries' totals kept on write behind the same figures as `entries_of`: every filter is a column
        of their key, or of their indicator. By semester (`SemesterTotal`, ten times fewer rows at the nation's
        size) unless the filters or the caller (`by_place`: grouped by kecamatan) need them by place and agency
        (`EntryTotal`)."""
        statuses = COUNTED_STATUSES if self.include_unverified else [EntryStatus.VERIFIED]
        by_place = by_place or bool(self.agency_id or self.kecamatan_id)
        model = EntryTotal if by_place else SemesterTotal
        qs = model.objects.filter(status__in=statuses, indicator__plan__in=list(plans))
        return self._narrowed(qs)

    def indicators(self, plan: Plan):
        return self.indicators_of([plan])

    def indicators_of(self, plans: Sequence[Plan]):
        qs = Indicator.objects.filter(plan__in=list(plans)).select_related("activity__program__pillar", "agency")
        if self.agency_id:
            qs = qs.filter(agency_id=self.agency_id)
        if self.pillar_number:
            qs = qs.filter(activity__program__pillar__number=self.pillar_number)
        if self.indicator_ids is not None:
            qs = qs.filter(id__in=list(self.indicator_ids))
        if self.indicator_code:
            qs = qs.filter(code=self.indicator_code)
        return qs


@dataclass
class Figure:
    """One indicator over one period (a year, a semester or the plan to date)."""

    target: Decimal | None = None  # the target for this period (None: untargeted)
    actual: Decimal | None = None  # None: nothing reported (or a qualitative indicator)
    achievement: Decimal | None = None  # actual ÷ target × 100, uncapped
    status: str = Status.NO_DATA
    entries: int = 0
    pace_target: Decimal | None = None  # target due by the end of the period
    pace_actual: Decimal | None = None  # actual to the end of the period
    text: str = ""  # qualitative: the latest narrative
    state: str = ""  # milestone: its MilestoneStatus at the end of the period ("" before any report)
    target_state: str = ""  # milestone: the state its target asks for ("achieved"); tables show both in words

    @property
    def capped(self) -> Decimal:
        return min(self.achievement or Decimal(0), HUNDRED)

    @property
    def shown_achievement(self) -> Decimal | None:
        """The achievement a table shows: none without an actual. Where nothing was reported (no number, no
        milestone state) a row shows an empty actual and no achievement, not 0 % beside it; the rollup keeps
        its 0 in `achievement` for the pillar means, where a due indicator without data achieved nothing."""
        if self.actual is None and not self.state:
            return None
        return self.achievement

    @property
    def status_label(self) -> str:
        return Status.label(self.status)

    @property
    def state_label(self) -> str:
        """A milestone's state in words: Not started / In progress / Achieved ("" for other kinds)."""
        return str(MilestoneStatus(self.state).label) if self.state else ""

    @property
    def target_label(self) -> str:
        """A milestone's target in words ("Achieved"); "" for other kinds, whose target is a number."""
        return str(MilestoneStatus(self.target_state).label) if self.target_state else ""


@dataclass
class IndicatorRollup:
    indicator: Indicator
    years: dict[int, Figure]
    semesters: dict[Period, Figure]
    to_date: Figure
    due_years: set[int]
    sex: dict[str, int] = field(default_factory=dict)  # male/female/child/adult sums, where recorded
    sex_years: dict[int, dict[str, int]] = field(default_factory=dict)  # the same, year by year

    @property
    def code(self) -> str:
        return self.indicator.code


@dataclass
class PillarFigure:
    achievement: Decimal | None  # mean of capped achievements; None when no indicator is due
    indicators: int  # how many indicators are behind the mean


@dataclass
class PillarRollup:
    pillar: Pillar
    indicators: list[IndicatorRollup]
    years: dict[int, PillarFigure]
    to_date: PillarFigure


@dataclass
class PlanRollup:
    plan: Plan
    filters: Filters
    as_of: datetime.date
    pillars: list[PillarRollup]

    def __post_init__(self) -> None:
        self._by_code = {row.code: row for pillar in self.pillars for row in pillar.indicators}

    @property
    def indicators(self) -> list[IndicatorRollup]:
        return [row for pillar in self.pillars for row in pillar.indicators]

    def indicator(self, code: str) -> IndicatorRollup:
        return self._by_code[code]

    def find(self, code: str) -> IndicatorRollup | None:
        return self._by_code.get(code)

    def pillar(self, number: int) -> PillarRollup:
        for pillar in self.pillars:
            if pillar.pillar.number == number:
                return pillar
        raise KeyError(number)

    def as_of_year(self, year: int | None) -> datetime.date:
        """The day the figures of `year` stand for (see `figures_as_of`)."""
        return figures_as_of(self.plan, self.as_of, year)

    def status_counts(self, year: int | None = None) -> dict[str, int]:
        counts = dict.fromkeys(Status.ORDER, 0)
        for row in self.indicators:
            figure = row.to_date if year is None else row.years[year]
            counts[figure.status] += 1
        return counts

    def tag_totals(self, year: int) -> dict[str, tuple[str, Decimal | None, Decimal | None]]:
        """Standard tag → (unit, target, actual) of the year: the plan's indicators that carry the tag and whose
        numbers add up (Kind.is_summed), added up; what the province adds across its regencies."""
        rows: dict[str, list[IndicatorRollup]] = defaultdict(list)
        for row in self.indicators:
            if row.indicator.standard_tag and Kind(row.indicator.kind).is_summed:
                rows[row.indicator.standard_tag].append(row)
        return {
            tag: (
                tagged[0].indicator.unit,
                add_up(row.years[year].target for row in tagged),
                add_up(row.years[year].actual for row in tagged),
            )
            for tag, tagged in rows.items()
        }

    def pillar_figure(self, pillar: PillarRollup, year: int | None) -> PillarFigure:
        return pillar.to_date if year is None else pillar.years[year]

    def pillars_ranked(self, year: int | None = None) -> list[PillarRollup]:
        """The pillars with a figure in `year` (or to date), lowest achievement first; ties by pillar number.

        A pillar without a due indicator has no figure and no rank: it is neither the lowest nor the highest.
        """
        ranked = [p for p in self.pillars if self.pillar_figure(p, year).achievement is not None]
        return sorted(ranked, key=lambda p: (self.pillar_figure(p, year).achievement, p.pillar.number))

    def pillar_changes(self, year: int) -> list[PillarChange]:
        """Each pillar's achievement in `year` beside the year before (an empty list in the plan's first year).

        The change is in percentage points: 60 % → 65 % is +5, whatever the number of indicators behind
        each mean (a milestone counts only in its due year, so the indicators behind two years may differ).
        """
        if not self.plan.contains_year(year - 1):
            return []
        return [PillarChange(p.pillar, p.years[year], p.years[year - 1]) for p in self.pillars]


class Change:
    """A figure in a year (`now`) beside an earlier one (`before`), each with an achievement or None."""

    @property
    def points(self) -> Decimal | None:
        """now − before of the achievement, in percentage points; None when either year has none (no figure, no
        target): a change is never counted from a missing year."""
        if self.now.achievement is None or self.before.achievement is None:
            return None
        return self.now.achievement - self.before.achievement


@dataclass
class PillarChange(Change):
    """A pillar's figure in a year and in the year before."""

    pillar: Pillar
    now: PillarFigure
    before: PillarFigure


def figures_as_of(plan: Plan, as_of: datetime.date, year: int | None = None) -> datetime.date:
    """The day the figures stand for: `as_of`, no later than the plan's end, and for `year` no later than its
    last day (a year's figures are its state at its end, so a page choosing 2021 says "as of Dec 31, 2021")."""
    day = min(as_of, plan.end_date)
    return day if year is None else min(day, datetime.date(year, 12, 31))


def pace_status(actual: Decimal | None, due: Decimal | None, has_data: bool, begun: bool) -> str:
    """On track / behind / off track against the target due so far."""
    if not begun:
        return Status.NOT_DUE
    if not has_data:
        return Status.NO_DATA
    if not due:
        return Status.ON_TRACK  # nothing due yet and something already done
    ratio = (actual or Decimal(0)) / due
    if ratio >= ON_TRACK_FROM:
        return Status.ON_TRACK
    if ratio >= BEHIND_FROM:
        return Status.BEHIND
    return Status.OFF_TRACK


# --- the entries, aggregated in the database ------------------------------------------------------------------


class _EntryAggregates:
    """The grouped queries behind every figure; one instance per compute(), whatever the number of plans:
    every row is keyed by its indicator, and an indicator belongs to one plan. `entries`: the entries' totals
    kept on write (`Filters.totals_of`, what compute() reads), or the entries themselves (`Filters.entries_of`:
    the same figures, read the long way; the tests compare the two)."""

    def __init__(self, entries, indicators: list[Indicator], places=None):
        kinds: dict[str, list[int]] = defaultdict(list)
        for indicator in indicators:
            kinds[indicator.kind].append(indicator.id)

        def of(group: str, value: bool = True) -> list[int]:
            return [iid for kind in Kind.where(group, value) for iid in kinds[kind]]

        # 1. sums and entry counts per indicator × semester (every kind whose reports are not "the latest")
        self.sums: dict[tuple[int, int, int], dict] = {}
        summed = of("is_latest", False)
        if summed:
            rows = (
                entries.filter(indicator_id__in=summed)
                .values("indicator_id", "year", "semester")
                .annotate(**summed_fields(entries))
                .order_by()
            )
            for row in rows:
                self.sums[(row["indicator_id"], row["year"], row["semester"])] = row

        # 2. coverage: the semester each place was first reached
        self.first_reached: dict[int, list[int]] = defaultdict(list)
        if kinds[Kind.COVERAGE]:
            firsts = (
                (entries if places is None else places)
                .filter(indicator_id__in=kinds[Kind.COVERAGE], kecamatan__isnull=False)
                .values("indicator_id", "kecamatan_id")
                .annotate(first=Min(F("year") * 10 + F("semester")))
                .order_by()
            )
            for row in firsts:
                self.first_reached[row["indicator_id"]].append(row["first"])

        # 3. the kinds where the latest report counts: per semester (and reported state), the latest date
        #    and id; then the texts of the latest qualitative reports
        self.latest: dict[int, list[Report]] = defaultdict(list)
        latest = of("is_latest")
        if latest:
            rows = list(latest_report_rows(entries, latest))
            qualitative = set(kinds[Kind.QUALITATIVE])
            text_ids = [r["last_id"] for r in rows if r["indicator_id"] in qualitative]
            texts = (
                dict(ProgressEntry.objects.filter(id__in=text_ids).values_list("id", "narrative")) if text_ids else {}
            )
            for row in rows:
                self.latest[row["indicator_id"]].append(
                    Report(
                        row["year"] * 10 + row["semester"],
                        row["last_date"],
                        row["last_id"],
                        row["n"],
                        row["milestone_status"] or "",
                        row["value"],
                        texts.get(row["last_id"], ""),
                    )
                )


@dataclass(frozen=True)
class Report:
    """The latest report of one semester (for the kinds where the latest report counts)."""

    index: int  # Period.index of its semester
    date: datetime.date
    id: int
    entries: int  # how many entries of that semester it stands for
    state: str  # milestone status
    value: int | None  # level: how many there are
    text: str  # qualitative narrative

    @property
    def order(self) -> tuple:
        # the latest report: by period, then date, then (for ties) the highest id
        return (self.index, self.date, self.id)


# --- the rule of each kind ------------------------------------------------------------------------------------


@dataclass
class Series:
    """One indicator's reports laid over the plan's semesters."""

    in_period: dict[Period, Decimal | None]  # reported within the semester (None: nothing reported)
    to_end: dict[Period, Decimal | None]  # up to the end of the semester (running total or latest state)
    years: dict[int, Decimal | None]  # the actual of each year
    entries: dict[Period, int]
    texts: dict[Period, str] = field(default_factory=dict)  # the latest narrative up to the end of the semester
    states: dict[Period, str] = field(default_factory=dict)  # the milestone status at the end of the semester
    sex: dict[str, int] = field(default_factory=dict)
    sex_years: dict[int, dict[str, int]] = field(default_factory=dict)


def _counts(iid: int, agg: _EntryAggregates, periods: list[Period]) -> dict[Period, int]:
    return {p: (agg.sums.get((iid, p.year, p.semester)) or {}).get("n", 0) for p in periods}


def _summed_series(iid: int, agg: _EntryAggregates, periods: list[Period]) -> Series:
    in_period: dict[Period, Decimal | None] = {}
    to_end: dict[Period, Decimal | None] = {}
    sex = dict.fromkeys(("male", "female", "child", "adult"), 0)
    sex_years: dict[int, dict[str, int]] = {}
    running, seen = Decimal(0), False
    for p in periods:
        row = agg.sums.get((iid, p.year, p.semester))
        in_period[p] = Decimal(row["value"] or 0) if row else None
        running += in_period[p] or 0
        seen = seen or bool(row)
        to_end[p] = running if seen else None
        if row:
            year_parts = sex_years.setdefault(p.year, {})
            for part in sex:
                if row[part]:
                    sex[part] += row[part]
                    year_parts[part] = year_parts.get(part, 0) + row[part]
    years = {}
    for year in dict.fromkeys(p.year for p in periods):
        parts = [in_period[Period(year, s)] for s in (1, 2)]
        years[year] = (
            sum((v for v in parts if v is not None), Decimal(0)) if any(v is not None for v in parts) else None
        )
    return Series(
        in_period,
        to_end,
        years,
        _counts(iid, agg, periods),
        sex={part: total for part, total in sex.items() if total},
        sex_years={year: parts for year, parts in sex_years.items() if parts},
    )


def _percent_series(iid: int, agg: _EntryAggregates, periods: list[Period]) -> Series:
    def sums(selected: Iterable[Period]) -> tuple[int, int]:
        rows = [agg.sums.get((iid, p.year, p.semester)) for p in selected]
        return sum(r["numerator"] or 0 for r in rows if r), sum(r["denominator"] or 0 for r in rows if r)

    in_period = {p: share(*sums([p])) for p in periods}
    to_end = {p: share(*sums(periods[: i + 1])) for i, p in enumerate(periods)}
    years = {year: share(*sums(Period(year, s) for s in (1, 2))) for year in dict.fromkeys(p.year for p in periods)}
    return Series(in_period, to_end, years, _counts(iid, agg, periods))


def _coverage_series(iid: int, agg: _EntryAggregates, periods: list[Period]) -> Series:
    firsts = agg.first_reached.get(iid, [])
    counts = _counts(iid, agg, periods)
    to_end = {
        p: Decimal(sum(1 for first in firsts if first <= p.index)) if firsts and min(firsts) <= p.index else None
        for p in periods
    }
    in_period = {p: Decimal(sum(1 for first in firsts if first == p.index)) if counts[p] else None for p in periods}
    years = {p.year: to_end[p] for p in periods if p.semester == 2}
    return Series(in_period, to_end, years, counts)


def _latest_series(reading: Callable[[Report], Decimal | None]):
    """Milestones, levels and narratives: the latest report up to the end of each semester stands for it;
    `reading` turns a report into the number it stands for (a milestone's score, a level's value)."""

    def series(iid: int, agg: _EntryAggregates, periods: list[Period]) -> Series:
        reports = agg.latest.get(iid, [])
        result = Series({}, {}, {}, {})
        for p in periods:
            result.entries[p] = sum(r.entries for r in reports if r.index == p.index)
            upto = [r for r in reports if r.index <= p.index]
            latest = max(upto, key=lambda r: r.order) if upto else None
            number = reading(latest) if latest else None
            result.to_end[p] = number
            result.in_period[p] = number if result.entries[p] else None
            result.texts[p] = latest.text if latest else ""
            result.states[p] = latest.state if latest else ""
        result.years = {p.year: result.to_end[p] for p in periods if p.semester == 2}
        return result

    return series


def _running_halves(annual: dict[int, Decimal], periods: list[Period]) -> dict[Period, Decimal]:
    """Half of each year's target in each of its semesters, as a running total."""
    due, running = {}, Decimal(0)
    for p in periods:
        running += annual.get(p.year, Decimal(0)) / 2
        due[p] = running
    return due


def _cumulative(annual: dict[int, Decimal], year: int) -> Decimal | None:
    return sum((v for y, v in annual.items() if y <= year), Decimal(0)) if annual else None


@dataclass(frozen=True)
class Rule:
    """How one kind rolls up (see the module docstring for the table of rules).

    series        its reports laid over the semesters
    stock         a semester's actual is the state at its end (else: what was reported within it)
    due           the target due by the end of each semester, for the status against pace
    year_target   the target of a year (annual: the indicator's annual targets)
    half_target   the target of a semester
    plan_target   the target of the plan to date
    kecamatan     the indicator's figure in one kecamatan, from that kecamatan's sums (None: entries only)
    kecamatan_label  what that figure is, for tables and charts
    annual        the annual targets the rule works with, from the stored ones (a milestone: its due year)
    """

    series: Callable[[int, _EntryAggregates, list[Period]], Series]
    stock: bool
    due: Callable[[dict[int, Decimal], list[Period]], dict[Period, Decimal | None]]
    year_target: Callable[[dict[int, Decimal], int], Decimal | None]
    half_target: Callable[[dict[int, Decimal], Period, dict[Period, Decimal | None]], Decimal | None]
    plan_target: Callable[[Indicator, dict[int, Decimal]], Decimal | None]
    kecamatan: Callable[[dict], Decimal | None] | None = None
    kecamatan_label: object = None
    annual: Callable[[Indicator, dict[int, Decimal], Plan], dict[int, Decimal]] = lambda indicator, stored, plan: stored
    target_state: str = ""  # the target as a state, where the kind has states


def _sum_or_plan(indicator: Indicator, annual: dict[int, Decimal]) -> Decimal | None:
    return sum(annual.values(), Decimal(0)) if annual else indicator.plan_target


def _each_year(annual: dict[int, Decimal], periods: list[Period]) -> dict[Period, Decimal | None]:
    return {p: annual.get(p.year) for p in periods}


def _up_to_due_year(annual: dict[int, Decimal], periods: list[Period]) -> dict[Period, Decimal | None]:
    """A milestone's pace: from 0 to 100 (achieved) in even steps up to the end of its due year, then 100."""
    due_year = max(annual)
    steps = sum(1 for p in periods if p.year <= due_year)
    return {p: HUNDRED * min(position, steps) / steps for position, p in enumerate(periods, start=1)}


def _milestone_due(indicator: Indicator, stored: dict[int, Decimal], plan: Plan) -> dict[int, Decimal]:
    return {indicator.due_year or plan.end_year: HUNDRED}


def _achieved(*args) -> Decimal:
    return HUNDRED  # a milestone's target, in every period: achieved (a score of 100)


_SUMMED = Rule(
    series=_summed_series,
    stock=False,
    due=_running_halves,
    year_target=lambda annual, year: annual.get(year),
    half_target=lambda annual, p, due: annual.get(p.year, Decimal(0)) / 2,
    plan_target=_sum_or_plan,
    kecamatan=lambda row: Decimal(row["value"] or 0),
    kecamatan_label=_("Total"),
)

RULES: dict[str, Rule] = {
    Kind.COUNT: _SUMMED,
    Kind.PERIODIC: _SUMMED,
    Kind.TRACKED: _SUMMED,
    Kind.PERCENT: Rule(
        series=_percent_series,
        stock=False,
        due=_each_year,
        year_target=lambda annual, year: annual.get(year),
        half_target=lambda annual, p, due: annual.get(p.year),
        plan_target=lambda indicator, annual: indicator.plan_target,
        kecamatan=lambda row: share(row["numerator"], row["denominator"]),
        kecamatan_label=_("Percentage"),
    ),
    Kind.COVERAGE: Rule(
        series=_coverage_series,
        stock=True,
        due=_running_halves,
        year_target=_cumulative,
        half_target=lambda annual, p, due: due[p],
        plan_target=_sum_or_plan,
        kecamatan=lambda row: Decimal(1),
        kecamatan_label=_("Reached (1 = yes)"),
    ),
    Kind.MILESTONE: Rule(
        series=_latest_series(lambda r: Decimal(MILESTONE_SCORE[r.state]) if r.state else None),
        stock=True,
        due=_up_to_due_year,
        year_target=_achieved,
        half_target=_achieved,
        plan_target=_achieved,
        annual=_milestone_due,
        target_state=MilestoneStatus.ACHIEVED,
    ),
    Kind.LEVEL: Rule(
        series=_latest_series(lambda r: Decimal(r.value) if r.value is not None else None),
        stock=True,
        due=_each_year,
        year_target=lambda annual, year: annual.get(year),
        half_target=lambda annual, p, due: annual.get(p.year),
        plan_target=lambda indicator, annual: indicator.plan_target,
    ),
    Kind.QUALITATIVE: Rule(
        series=_latest_series(lambda r: None),
        stock=True,
        due=lambda annual, periods: dict.fromkeys(periods),
        year_target=lambda annual, year: None,
        half_target=lambda annual, p, due: None,
        plan_target=lambda indicator, annual: None,
    ),
}
assert set(RULES) == set(Kind.values), "every kind needs its rule"


# --- from a rule to an indicator's figures --------------------------------------------------------------------


def _targets_by_indicator(indicators: Iterable[Indicator]) -> dict[int, dict[int, Decimal]]:
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, year, value in Target.objects.filter(indicator__in=list(indicators)).values_list(
        "indicator_id", "year", "value"
    ):
        targets[indicator_id][year] = value
    return targets


@dataclass
class _Pace:
    """What every figure of one indicator needs to know about its pace."""

    indicator: Indicator
    rule: Rule
    periods: list[Period]
    series: Series
    due: dict[Period, Decimal | None]
    began: dict[Period, bool]
    seen: dict[Period, bool]  # anything reported up to the end of the semester
    pace_point: dict[Period, Period]  # the last semester begun by the end of each semester

    @classmethod
    def of(cls, indicator: Indicator, rule: Rule, series: Series, due, periods: list[Period], as_of) -> _Pace:
        began = {p: p.start <= as_of for p in periods}
        seen, pace_point = {}, {}
        any_so_far, last_begun = False, periods[0]
        for p in periods:
            any_so_far = any_so_far or series.to_end[p] is not None or bool(series.texts.get(p))
            seen[p] = any_so_far
            if began[p]:
                last_begun = p
            pace_point[p] = last_begun
        return cls(indicator, rule, periods, series, due, began, seen, pace_point)

    def figure(self, last: Period, first: Period, target: Decimal | None, actual: Decimal | None, n: int) -> Figure:
        """The figure of the semesters `first`…`last` (one semester, a year, or the plan to date)."""
        has_data, begun = self.seen[last], self.began[first]
        # pace is measured at the end of the period, or today if the period is still running
        pace_at = self.pace_point[last] if self.began[self.periods[0]] else first
        pace_actual = self.series.to_end[pace_at]
        text, state = self.series.texts.get(last, ""), self.series.states.get(last, "")
        if not self.indicator.is_targeted:
            status = Status.NOT_DUE if not begun else (Status.UNTARGETED if has_data else Status.NO_DATA)
            return Figure(None, actual, None, status, n, None, pace_actual, text, state)
        achievement = share(actual or 0, target) if begun or actual is not None else None
        status = pace_status(pace_actual, self.due[pace_at], has_data, begun)
        due = self.due[pace_at]
        return Figure(target, actual, achievement, status, n, due, pace_actual, text, state, self.rule.target_state)


def indicator_rollup(
    indicator: Indicator, annual: dict[int, Decimal], agg: _EntryAggregates, plan: Plan, as_of: datetime.date
) -> IndicatorRollup:
    """One indicator's figures for every semester, year and the plan to date, by its kind's rule."""
    periods = semesters(plan.years)
    rule = RULES[indicator.kind]
    targeted = indicator.is_targeted
    annual = rule.annual(indicator, annual, plan) if targeted else {}
    series = rule.series(indicator.id, agg, periods)
    due = rule.due(annual, periods) if targeted else dict.fromkeys(periods)
    pace = _Pace.of(indicator, rule, series, due, periods, as_of)

    half_figures = {}
    for p in periods:
        target = rule.half_target(annual, p, due) if targeted else None
        actual = series.to_end[p] if rule.stock else series.in_period[p]
        half_figures[p] = pace.figure(p, p, target, actual, series.entries[p])

    year_figures = {}
    for year in plan.years:
        s1, s2 = Period(year, 1), Period(year, 2)
        last = s2 if pace.began[s2] else s1
        target = rule.year_target(annual, year) if targeted else None
        n = series.entries[s1] + series.entries[s2]
        year_figures[year] = pace.figure(last, s1, target, series.years[year], n)

    last_begun = max((p for p in periods if pace.began[p]), default=periods[0])
    plan_target = rule.plan_target(indicator, annual) if targeted else None
    to_date = pace.figure(last_begun, periods[0], plan_target, series.to_end[last_begun], sum(series.entries.values()))
    due_years = {year for year, value in annual.items() if value}
    return IndicatorRollup(indicator, year_figures, half_figures, to_date, due_years, series.sex, series.sex_years)


def _pillar_figure(rows: list[IndicatorRollup], year: int | None) -> PillarFigure:
    if year is None:
        due = [row for row in rows if row.indicator.is_targeted and row.to_date.status != Status.NOT_DUE]
        values = [row.to_date.capped for row in due]
    else:
        due = [row for row in rows if year in row.due_years and row.years[year].status != Status.NOT_DUE]
        values = [row.years[year].capped for row in due]
    if not values:
        return PillarFigure(None, 0)
    return PillarFigure(sum(values, Decimal(0)) / len(values), len(values))


def compute(
    plan: Plan, filters: Filters | None = None, *, as_of: datetime.date, pillars: list[Pillar] | None = None
) -> PlanRollup:
    """Every indicator's figures for every year, semester and the plan to date, as on the day `as_of`.

    `pillars` saves a query when the caller has already read the plan's pillars.
    """
    given = {plan.pk: pillars} if pillars is not None else None
    return _compute([plan], filters or Filters(), as_of, given)[plan.pk]


def compute_many(
    plans: Sequence[Plan], filters: Filters | None = None, *, as_of: datetime.date
) -> dict[int, PlanRollup]:
    """Plan id → `compute(plan, filters, as_of=as_of)` for each plan, with the same few grouped queries
    as one plan takes, whatever the number of plans (the province view reads every regency's plan)."""
    return _compute(list(plans), filters or Filters(), as_of, None)


def _compute(
    plans: list[Plan],
    filters: Filters,
    as_of: datetime.date,
    given_pillars: dict[int, list[Pillar]] | None,
    *,
    _from_entries: bool = False,
) -> dict[int, PlanRollup]:
    """`_from_entries`: aggregate the entries themselves rather than their totals kept on write (the tests
    prove the two give the same figures)."""
    if not plans:
        return {}
    indicators = list(filters.indicators_of(plans))
    targets = _targets_by_indicator(indicators)
    if _from_entries:
        agg = _EntryAggregates(filters.entries_of(plans), indicators)
    else:
        agg = _EntryAggregates(filters.totals_of(plans), indicators, filters.totals_of(plans, by_place=True))
    pillars = given_pillars or _pillars(plans, filters, indicators)
    by_plan: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_plan[indicator.plan_id].append(indicator)
    return {
        plan.pk: _plan_rollup(
            plan, filters, min(as_of, plan.end_date), pillars[plan.pk], by_plan[plan.pk], targets, agg
        )
        for plan in plans
    }


def _pillars(plans: list[Plan], filters: Filters, indicators: list[Indicator]) -> dict[int, list[Pillar]]:
    """Plan id → its pillars by number: those of the indicators read when the filters name indicators, else all."""
    pillars: dict[int, list[Pillar]] = {plan.pk: [] for plan in plans}
    if filters.indicator_code or filters.indicator_ids is not None:
        for pillar in sorted({i.activity.program.pillar for i in indicators}, key=lambda p: p.number):
            pillars[pillar.plan_id].append(pillar)
    else:
        for pillar in Pillar.objects.filter(plan__in=plans).order_by("plan_id", "number"):
            pillars[pillar.plan_id].append(pillar)
    return pillars


def _plan_rollup(
    plan: Plan,
    filters: Filters,
    as_of: datetime.date,
    pillars: list[Pillar],
    indicators: list[Indicator],
    targets: dict[int, dict[int, Decimal]],
    agg: _EntryAggregates,
) -> PlanRollup:
    by_id = {p.id: p for p in pillars if not filters.pillar_number or p.number == filters.pillar_number}
    grouped: dict[int, list[IndicatorRollup]] = {pid: [] for pid in by_id}
    for indicator in indicators:
        row = indicator_rollup(indicator, targets.get(indicator.id, {}), agg, plan, as_of)
        grouped[indicator.activity.program.pillar_id].append(row)
    result = []
    for pid, pillar in by_id.items():
        rows = grouped[pid]
        result.append(
            PillarRollup(
                pillar, rows, {year: _pillar_figure(rows, year) for year in plan.years}, _pillar_figure(rows, None)
            )
        )
    return PlanRollup(plan, filters, as_of, result)


CACHE_SECONDS = 24 * 3600


def semesters_begun(plan: Plan, as_of: datetime.date) -> int:
    """How many of the plan's semesters have begun by `as_of`: all the rollup reads of the day (`_Pace.of`), so
    the rollup of two days with the same count is the same (completeness.calendar_point says it per semester)."""
    return sum(1 for period in semesters(plan.years) if period.start <= as_of)


def _cache_key(plan: Plan, filters: Filters, as_of: datetime.date) -> str:
    digest = hashlib.sha256(filters.key().encode()).hexdigest()[:32]
    return f"rollup-2:{plan.pk}:{plan.data_version}:{semesters_begun(plan, as_of)}:{digest}"


def _on_day(rollup: PlanRollup, as_of: datetime.date) -> PlanRollup:
    """A cached rollup as read on `as_of`: the same figures (the same semesters have begun), its day the reader's."""
    day = min(as_of, rollup.plan.end_date)
    return rollup if rollup.as_of == day else dataclasses.replace(rollup, as_of=day)


def cached_compute(
    plan: Plan, filters: Filters | None = None, *, as_of: datetime.date, pillars: list[Pillar] | None = None
) -> PlanRollup:
    """`compute()` kept in the cache, keyed on the plan's data version, the day and every filter.

    Every write to the plan's entries, targets or indicators moves `plan.data_version` on
    (indicators.signals, and the bulk writers directly), so a cached result is never stale;
    the caller must pass a plan read in the same request (`request.plan`), so that its
    version is the database's. Statuses move with the calendar, but only when a semester begins:
    the key holds how many have begun (`semesters_begun`), not the day, so midnight keeps the cache.
    """
    filters = filters or Filters()
    key = _cache_key(plan, filters, as_of)
    result = cache.get(key)
    if result is None:
        result = compute(plan, filters, as_of=as_of, pillars=pillars)
        cache.set(key, result, CACHE_SECONDS)
    return _on_day(result, as_of)


def cached_compute_many(
    plans: Sequence[Plan], filters: Filters | None = None, *, as_of: datetime.date
) -> dict[int, PlanRollup]:
    """Plan id → `cached_compute(plan, filters, as_of=as_of)`: one cache look-up for all the plans (under the
    keys the dashboards use, so each reads what the other computed), and the plans not found computed
    together by `compute_many()`."""
    filters = filters or Filters()
    keys = {plan.pk: _cache_key(plan, filters, as_of) for plan in plans}
    found = cache.get_many(list(keys.values()))
    results = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [plan for plan in plans if plan.pk not in results]
    if missing:
        computed = compute_many(missing, filters, as_of=as_of)
        cache.set_many({keys[pk]: rollup for pk, rollup in computed.items()}, CACHE_SECONDS)
        results.update(computed)
    return {plan.pk: _on_day(results[plan.pk], as_of) for plan in plans}


# --- year over year -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorChange(Change):
    """An indicator's figures in a year and in an earlier one (as PillarChange is a pillar's)."""

    row: IndicatorRollup
    now: Figure
    before: Figure


@dataclass(frozen=True)
class YearOverYear:
    """Two years of a plan side by side: each pillar's mean and each indicator's figures, and the change."""

    first: int
    second: int
    pillars: list[PillarChange]
    indicators: list[IndicatorChange]


def year_over_year(rollup: PlanRollup, first: int, second: int) -> YearOverYear:
    """The figures of `first` and `second` from one rollup (the same rules as each year alone), with the change
    from the first to the second: a pillar's mean and a targeted indicator's achievement (uncapped, as shown),
    in percentage points."""
    pillars = [PillarChange(p.pillar, p.years[second], p.years[first]) for p in rollup.pillars]
    indicators = [IndicatorChange(row, row.years[second], row.years[first]) for row in rollup.indicators]
    return YearOverYear(first, second, pillars, indicators)


# --- figures beside the rollup: kecamatan, highlights, reporting gaps, entry counts ----------------------------


@dataclass
class CoverageGrid:
    """The coverage indicators × the regency's kecamatan: the semester each place was first reached."""

    indicators: list[Indicator]
    kecamatan: list
    first: dict[tuple[int, int], Period]  # (indicator id, kecamatan id) → the semester it was first reached

    def reached(self, indicator_id: int, kecamatan_id: int) -> Period | None:
        return self.first.get((indicator_id, kecamatan_id))

    def reached_count(self, indicator_id: int) -> int:
        """How many of the grid's kecamatan the indicator has reached."""
        ids = {k.id for k in self.kecamatan}
        return sum(1 for (iid, kid) in self.first if iid == indicator_id and kid in ids)


def coverage_grid(
    plan: Plan, filters: Filters | None = None, *, up_to: int | None = None, kecamatan: list[Region] | None = None
) -> CoverageGrid:
    """Which kecamatan each coverage indicator has reached, and since which semester (its first entry there),
    by the coverage rule: a place counts once, from the semester it was first reached.

    `up_to` (a year): reached by the end of that year. The filters' agency and pillar choose the indicators,
    their kecamatan the one row. `kecamatan`: the regency's kecamatan, when the caller has read them. Two
    queries (three without `kecamatan`): the indicators, the first semesters.
    """
    filters = (filters or Filters()).replace(year=None)
    indicators = list(filters.indicators(plan).filter(kind=Kind.COVERAGE).order_by("code"))
    if kecamatan is None:
        kecamatan = list(Region.objects.filter(level=Region.Level.KECAMATAN, parent=plan.region_id).order_by("code"))
    if filters.kecamatan_id:
        kecamatan = [k for k in kecamatan if k.id == filters.kecamatan_id]
    first: dict[tuple[int, int], Period] = {}
    if indicators:
        rows = (
            filters.totals(plan, by_place=True)
            .filter(indicator_id__in=[i.id for i in indicators], kecamatan__isnull=False)
            .values("indicator_id", "kecamatan_id")
            .annotate(first=Min(F("year") * 10 + F("semester")))
            .order_by()
        )
        for row in rows:
            period = Period(row["first"] // 10, row["first"] % 10)
            if up_to is None or period.year <= up_to:
                first[(row["indicator_id"], row["kecamatan_id"])] = period
    return CoverageGrid(indicators, kecamatan, first)


@dataclass(frozen=True)
class KecamatanFigure:
    """An indicator in one kecamatan: how many entries name it, and the kind's figure there (None: entries only)."""

    entries: int
    value: Decimal | None


def kecamatan_label(indicator: Indicator) -> str | None:
    """What an indicator's kecamatan figure is (None: the kind has no figure per kecamatan, only entries)."""
    label = RULES[indicator.kind].kecamatan_label
    return str(label) if label else None


def kecamatan_table(
    plan: Plan, filters: Filters | None = None, kinds: dict[int, str] | None = None
) -> dict[tuple[int, int], KecamatanFigure]:
    """(indicator id, kecamatan id) → the indicator's figure there, by its kind's rule.

    count, periodic, tracked: Σ value; coverage: 1 when the place is reached; percent: Σ numerator ÷
    Σ denominator × 100; the other kinds: entries only. One grouped query for every indicator
    (and one for their kinds, unless `kinds` maps indicator id → kind already).
    """
    filters = filters or Filters()
    if kinds is None:
        kinds = dict(Indicator.objects.filter(plan=plan).values_list("id", "kind"))
    totals = filters.totals(plan, by_place=True)
    rows = (
        totals.filter(kecamatan__isnull=False)
        .values("indicator_id", "kecamatan_id")
        .annotate(**summed_fields(totals))
        .order_by()
    )
    table = {}
    for row in rows:
        rule = RULES[kinds[row["indicator_id"]]]
        value = rule.kecamatan(row) if rule.kecamatan else None
        table[(row["indicator_id"], row["kecamatan_id"])] = KecamatanFigure(row["n"], value)
    return table


def kecamatan_figures(plan: Plan, indicator: Indicator, filters: Filters | None = None) -> dict[int, KecamatanFigure]:
    """Kecamatan id → one indicator's figure there (see `kecamatan_table`)."""
    filters = (filters or Filters()).replace(indicator_ids=[indicator.id])
    table = kecamatan_table(plan, filters, kinds={indicator.id: indicator.kind})
    return {kecamatan_id: figure for (_iid, kecamatan_id), figure in table.items()}


def kecamatan_activity(plan: Plan, filters: Filters | None = None) -> dict[int, dict]:
    """Per kecamatan id: how many entries and how many distinct indicators record work there."""
    filters = filters or Filters()
    rows = (
        filters.totals(plan, by_place=True)
        .filter(kecamatan__isnull=False)
        .values("kecamatan_id")
        .annotate(entries=Sum("n"), indicators=Count("indicator_id", distinct=True))
        .order_by()
    )
    return {row["kecamatan_id"]: row for row in rows}


@dataclass(frozen=True)
class Highlight:
    code: str
    period: Period
    date: datetime.date
    agency: str
    kecamatan: str
    narrative: str


def highlights(
    plan: Plan, filters: Filters | None = None, per_pillar: int = HIGHLIGHTS_PER_PILLAR
) -> dict[int, list[Highlight]]:
    """Pillar number → the latest few narratives of official entries (filters.year: of that year only).

    One small ORDER BY … LIMIT query per pillar, so the cost never grows with the entries.
    """
    filters = filters or Filters()
    result = {}
    for number in Pillar.objects.filter(plan=plan).order_by("number").values_list("number", flat=True):
        if filters.pillar_number and number != filters.pillar_number:
            continue
        qs = (
            filters.entries(plan)
            .filter(indicator__activity__program__pillar__number=number)
            .exclude(narrative="")
            .select_related("indicator", "agency", "kecamatan")
            .order_by("-date", "-id")[:per_pillar]
        )
        result[number] = [
            Highlight(
                code=e.indicator.code,
                period=e.period,
                date=e.date,
                agency=e.agency.short_name,
                kecamatan=e.kecamatan.name if e.kecamatan else "",
                narrative=e.narrative,
            )
            for e in qs
        ]
    return result


def entry_counts(plan: Plan, filters: Filters | None = None) -> dict[str, int]:
    """How many entries stand behind the figures, by status (for data-quality notes)."""
    filters = filters or Filters()
    qs = ProgressEntry.objects.filter(indicator__plan=plan)
    if filters.agency_id:
        qs = qs.filter(agency_id=filters.agency_id)
    return dict(qs.values_list("status").annotate(n=Count("id")).order_by())


@dataclass
class DataValue:
    """The entries of one indicator in one semester at one place, added up by the kind's rule.

    `kecamatan_id` None: entries that name no kecamatan (the regency as a whole). Sums of
    value, its sex and age parts, numerator and denominator; for a milestone the latest
    status reported in the semester, for a level the latest value, for a qualitative indicator the latest narrative
    (latest: by date, then id, as in compute()). This is the form aggregate systems such
    as DHIS2 exchange data in: everything compute() derives can be derived again from it.
    """

    indicator: Indicator
    period: Period
    kecamatan_id: int | None
    entries: int
    value: int | None = None
    male: int | None = None
    female: int | None = None
    child: int | None = None
    adult: int | None = None
    numerator: int | None = None
    denominator: int | None = None
    milestone_status: str = ""
    narrative: str = ""


def data_values(plan: Plan, year: int | None = None, filters: Filters | None = None) -> list[DataValue]:
    """Every indicator × semester × kecamatan aggregate of the (official) entries, in code order."""
    filters = filters or Filters()
    indicators = {i.id: i for i in filters.indicators(plan)}
    entries = filters.totals(plan, by_place=True)  # kept on write (the narratives are read from the entries)
    if year is not None:
        entries = entries.filter(year=year)
    summed = [iid for iid, i in indicators.items() if not Kind(i.kind).is_latest]
    latest = [iid for iid, i in indicators.items() if Kind(i.kind).is_latest]
    result = []
    rows = (
        entries.filter(indicator_id__in=summed)
        .values("indicator_id", "year", "semester", "kecamatan_id")
        .annotate(**summed_fields(entries))
        .order_by()
    )
    for row in rows:
        parts = {name: row[name] for name in SUMMED_FIELDS}
        period = Period(row["year"], row["semester"])
        result.append(DataValue(indicators[row["indicator_id"]], period, row["kecamatan_id"], row["n"], **parts))
    # the latest report per semester, chosen as compute() chooses it: by date, then by id
    reports = latest_report_rows(entries, latest)
    best: dict[tuple[int, Period], dict] = {}
    counts: dict[tuple[int, Period], int] = defaultdict(int)
    for row in reports:
        key = (row["indicator_id"], Period(row["year"], row["semester"]))
        counts[key] += row["n"]
        if key not in best or (row["last_date"], row["last_id"]) > (best[key]["last_date"], best[key]["last_id"]):
            best[key] = row
    texts = dict(
        ProgressEntry.objects.filter(id__in=[row["last_id"] for row in best.values()]).values_list("id", "narrative")
    )
    for (iid, period), row in best.items():
        kind = indicators[iid].kind
        result.append(
            DataValue(
                indicators[iid],
                period,
                None,
                counts[(iid, period)],
                value=row["value"] if kind == Kind.LEVEL else None,
                milestone_status=row["milestone_status"] if kind == Kind.MILESTONE else "",
                narrative=texts.get(row["last_id"], "") if kind == Kind.QUALITATIVE else "",
            )
        )
    order = {iid: position for position, iid in enumerate(indicators)}
    result.sort(key=lambda v: (order[v.indicator.id], v.period, v.kecamatan_id or 0))
    return result
