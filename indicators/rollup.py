"""The rollup engine: every figure that any page, chart, export or API shows.

Nothing else computes a figure. `compute()` reads the plan's indicators and
annual targets, aggregates the progress entries in the database with a
handful of grouped queries (never a loop over entries in Python), and applies
DESIGN.md's rule for each kind:

count      actual = Σ value; year target = the annual target
coverage   actual = distinct kecamatan reached up to the end of the period
percent    actual = Σ numerator ÷ Σ denominator × 100 (never a mean of percentages)
milestone  actual = latest status up to the end of the period: 0 / 50 / 100
periodic   actual = Σ deliverables in the period, against the period's target
tracked    actual = Σ value; no target, no achievement
qualitative  the latest narrative; no number

Achievement = actual ÷ target × 100, uncapped. A pillar's achievement is the
mean of its targeted indicators' achievements, each capped at 100, over the
indicators whose target falls due in that year (a due indicator without data
counts as 0); the number of indicators behind each mean is kept with it.

Status against pace: actual to date ÷ target due to date (linear across the
elapsed semesters): ≥ 85 % on track, 50–85 % behind, < 50 % off track; no
entry yet: no data; the period has not begun: not due.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import MILESTONE_SCORE, Indicator, Kind, ProgressEntry, Target
from programs.models import Pillar, Plan
from programs.periods import Period, semesters

HUNDRED = Decimal(100)
ON_TRACK_FROM = Decimal("0.85")
BEHIND_FROM = Decimal("0.50")


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

    def entries(self, plan: Plan):
        qs = ProgressEntry.objects.official(self.include_unverified).filter(indicator__plan=plan)
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

    def indicators(self, plan: Plan):
        qs = Indicator.objects.filter(plan=plan).select_related("activity__program__pillar", "agency")
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

    @property
    def capped(self) -> Decimal:
        return min(self.achievement or Decimal(0), HUNDRED)

    @property
    def status_label(self) -> str:
        return Status.label(self.status)


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

    def status_counts(self, year: int | None = None) -> dict[str, int]:
        counts = dict.fromkeys(Status.ORDER, 0)
        for row in self.indicators:
            figure = row.to_date if year is None else row.years[year]
            counts[figure.status] += 1
        return counts


def _ratio(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    if actual is None or not target:
        return None
    return actual / target * HUNDRED


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


class _EntryAggregates:
    """The grouped queries behind every figure; one instance per compute()."""

    def __init__(self, plan: Plan, filters: Filters, indicators: list[Indicator]):
        entries = filters.entries(plan)
        kinds = defaultdict(list)
        for indicator in indicators:
            kinds[indicator.kind].append(indicator.id)

        # 1. sums and entry counts per indicator × semester (every kind but milestone/qualitative)
        self.sums: dict[tuple[int, int, int], dict] = {}
        summed = kinds[Kind.COUNT] + kinds[Kind.PERIODIC] + kinds[Kind.TRACKED] + kinds[Kind.PERCENT]
        if summed or kinds[Kind.COVERAGE]:
            rows = (
                entries.filter(indicator_id__in=summed + kinds[Kind.COVERAGE])
                .values("indicator_id", "year", "semester")
                .annotate(
                    value=Sum("value"),
                    numerator=Sum("numerator"),
                    denominator=Sum("denominator"),
                    male=Sum("male"),
                    female=Sum("female"),
                    child=Sum("child"),
                    adult=Sum("adult"),
                    n=Count("id"),
                )
                .order_by()
            )
            for row in rows:
                self.sums[(row["indicator_id"], row["year"], row["semester"])] = row

        # 2. coverage: the semester each place was first reached
        self.first_reached: dict[int, list[int]] = defaultdict(list)
        if kinds[Kind.COVERAGE]:
            firsts = (
                entries.filter(indicator_id__in=kinds[Kind.COVERAGE], kecamatan__isnull=False)
                .values("indicator_id", "kecamatan_id")
                .annotate(first=Min(F("year") * 10 + F("semester")))
                .order_by()
            )
            for row in firsts:
                self.first_reached[row["indicator_id"]].append(row["first"])

        # 3. milestones and qualitative: per semester (and status), the latest date and id reported;
        #    then the texts of the latest qualitative reports
        self.milestones: dict[int, list[tuple]] = defaultdict(list)
        self.narratives: dict[int, list[tuple]] = defaultdict(list)
        latest_kinds = kinds[Kind.MILESTONE] + kinds[Kind.QUALITATIVE]
        if latest_kinds:
            rows = list(
                entries.filter(indicator_id__in=latest_kinds)
                .values("indicator_id", "year", "semester", "milestone_status")
                .annotate(last_date=Max("date"), last_id=Max("id"), n=Count("id"))
                .order_by()
            )
            qualitative = set(kinds[Kind.QUALITATIVE])
            text_ids = [r["last_id"] for r in rows if r["indicator_id"] in qualitative]
            texts = (
                dict(ProgressEntry.objects.filter(id__in=text_ids).values_list("id", "narrative")) if text_ids else {}
            )
            for row in rows:
                key = (row["year"] * 10 + row["semester"], row["last_date"], row["last_id"])
                if row["indicator_id"] in qualitative:
                    self.narratives[row["indicator_id"]].append((*key, texts.get(row["last_id"], ""), row["n"]))
                elif row["milestone_status"]:
                    self.milestones[row["indicator_id"]].append((*key, row["milestone_status"], row["n"]))


def _targets_by_indicator(indicators: Iterable[Indicator]) -> dict[int, dict[int, Decimal]]:
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, year, value in Target.objects.filter(indicator__in=list(indicators)).values_list(
        "indicator_id", "year", "value"
    ):
        targets[indicator_id][year] = value
    return targets


def _indicator_rollup(
    indicator: Indicator, annual: dict[int, Decimal], agg: _EntryAggregates, plan: Plan, as_of: datetime.date
) -> IndicatorRollup:
    periods = semesters(plan.years)
    kind = indicator.kind
    iid = indicator.id
    began = {p: p.start <= as_of for p in periods}

    # per-semester actuals (in the semester) and cumulative actuals (to its end)
    in_period: dict[Period, Decimal | None] = {}
    to_end: dict[Period, Decimal | None] = {}
    counts: dict[Period, int] = {}
    texts: dict[Period, str] = {}
    sex = {"male": 0, "female": 0, "child": 0, "adult": 0}
    sex_years: dict[int, dict[str, int]] = {}

    if kind in (Kind.COUNT, Kind.PERIODIC, Kind.TRACKED):
        running = Decimal(0)
        seen = False
        for p in periods:
            row = agg.sums.get((iid, p.year, p.semester))
            counts[p] = row["n"] if row else 0
            value = Decimal(row["value"] or 0) if row else Decimal(0)
            in_period[p] = value if row else None
            running += value
            seen = seen or bool(row)
            to_end[p] = running if seen else None
            if row:
                year_parts = sex_years.setdefault(p.year, {})
                for part in sex:
                    sex[part] += row[part] or 0
                    if row[part]:
                        year_parts[part] = year_parts.get(part, 0) + row[part]
    elif kind == Kind.PERCENT:
        num = den = 0
        for p in periods:
            row = agg.sums.get((iid, p.year, p.semester))
            counts[p] = row["n"] if row else 0
            if row and row["denominator"]:
                in_period[p] = Decimal(row["numerator"] or 0) / Decimal(row["denominator"]) * HUNDRED
                num += row["numerator"] or 0
                den += row["denominator"]
            else:
                in_period[p] = None
            to_end[p] = Decimal(num) / Decimal(den) * HUNDRED if den else None
    elif kind == Kind.COVERAGE:
        firsts = agg.first_reached.get(iid, [])
        for p in periods:
            row = agg.sums.get((iid, p.year, p.semester))
            counts[p] = row["n"] if row else 0
            reached = sum(1 for first in firsts if first <= p.index)
            new = sum(1 for first in firsts if first == p.index)
            to_end[p] = Decimal(reached) if firsts and min(firsts) <= p.index else None
            in_period[p] = Decimal(new) if counts[p] else None
    elif kind in (Kind.MILESTONE, Kind.QUALITATIVE):
        reports = agg.milestones.get(iid, []) if kind == Kind.MILESTONE else agg.narratives.get(iid, [])
        for p in periods:
            upto = [r for r in reports if r[0] <= p.index]
            counts[p] = sum(r[4] for r in reports if r[0] == p.index)
            if not upto:
                to_end[p] = in_period[p] = None
                continue
            # the latest report: by period, then date, then (for ties) the highest id
            latest = max(upto, key=lambda r: (r[0], r[1], r[2]))
            if kind == Kind.MILESTONE:
                score = Decimal(MILESTONE_SCORE[latest[3]])
                to_end[p] = score
                in_period[p] = score if counts[p] else None
            else:
                texts[p] = latest[3]
                to_end[p] = in_period[p] = None

    # targets due: per semester half of the annual target (percent and milestone: see below)
    # targets due to the end of each semester: half the annual target per semester, running total
    # (percent: the year's target; milestone: linear from 0 to 100 over the plan's semesters)
    due: dict[Period, Decimal | None] = {}
    running_due = Decimal(0)
    for position, p in enumerate(periods, start=1):
        if not indicator.is_targeted:
            due[p] = None
        elif kind == Kind.PERCENT:
            due[p] = annual.get(p.year)
        elif kind == Kind.MILESTONE:
            due[p] = HUNDRED * position / len(periods)
        else:
            running_due += annual.get(p.year, Decimal(0)) / 2
            due[p] = running_due
    # whether anything was reported up to the end of each semester; the last semester begun by then
    seen: dict[Period, bool] = {}
    pace_point: dict[Period, Period] = {}
    any_so_far = False
    last_begun_so_far = periods[0]
    for p in periods:
        any_so_far = any_so_far or to_end[p] is not None or bool(texts.get(p))
        seen[p] = any_so_far
        if began[p]:
            last_begun_so_far = p
        pace_point[p] = last_begun_so_far

    def figure(
        p_last: Period, p_first: Period, period_target: Decimal | None, actual: Decimal | None, n: int, text: str = ""
    ) -> Figure:
        has_data = seen[p_last]
        begun = began[p_first]
        # pace is measured at the end of the period, or today if the period is still running
        pace_at = pace_point[p_last] if began[periods[0]] else p_first
        if not indicator.is_targeted:
            status = Status.NOT_DUE if not begun else (Status.UNTARGETED if has_data else Status.NO_DATA)
            return Figure(None, actual, None, status, n, None, to_end.get(pace_at), text)
        achievement = _ratio(actual if actual is not None else (Decimal(0) if begun else None), period_target)
        if kind == Kind.MILESTONE:
            period_target_pct = HUNDRED if period_target else None
            achievement = _ratio(actual if actual is not None else Decimal(0), period_target_pct) if begun else None
        status = pace_status(to_end[pace_at], due[pace_at], has_data, begun)
        return Figure(period_target, actual, achievement, status, n, due[pace_at], to_end[pace_at], text)

    years: dict[int, Figure] = {}
    for year in plan.years:
        s1, s2 = Period(year, 1), Period(year, 2)
        last = s2 if began[s2] else s1
        target = annual.get(year) if indicator.is_targeted else None
        if kind in (Kind.COUNT, Kind.PERIODIC, Kind.TRACKED):
            parts = [in_period[s1], in_period[s2]]
            actual = sum((v for v in parts if v is not None), Decimal(0)) if any(v is not None for v in parts) else None
        elif kind == Kind.PERCENT:
            rows = [agg.sums.get((indicator.id, year, s)) for s in (1, 2)]
            num = sum((r["numerator"] or 0) for r in rows if r)
            den = sum((r["denominator"] or 0) for r in rows if r)
            actual = Decimal(num) / Decimal(den) * HUNDRED if den else None
        elif kind == Kind.COVERAGE:
            target = sum((v for y, v in annual.items() if y <= year), Decimal(0)) if annual else None
            actual = to_end[last]
        else:  # milestone, qualitative: the state at the end of the year
            actual = to_end[last]
        years[year] = figure(last, s1, target, actual, counts[s1] + counts[s2], texts.get(last, ""))

    semester_figures: dict[Period, Figure] = {}
    for p in periods:
        if not indicator.is_targeted:
            target = None
        elif kind == Kind.PERCENT:
            target = annual.get(p.year)
        elif kind == Kind.COVERAGE:
            target = due[p]
        elif kind == Kind.MILESTONE:
            target = annual.get(p.year)
        else:
            target = annual.get(p.year, Decimal(0)) / 2
        actual = to_end[p] if kind in (Kind.COVERAGE, Kind.MILESTONE) else in_period[p]
        semester_figures[p] = figure(p, p, target, actual, counts[p], texts.get(p, ""))

    last_begun = max((p for p in periods if began[p]), default=periods[0])
    plan_target = indicator.plan_target
    if kind in (Kind.COUNT, Kind.PERIODIC, Kind.COVERAGE) and annual:
        plan_target = sum(annual.values(), Decimal(0))
    to_date = figure(
        last_begun, periods[0], plan_target, to_end[last_begun], sum(counts.values()), texts.get(last_begun, "")
    )
    due_years = {year for year, value in annual.items() if value} if indicator.is_targeted else set()
    recorded_sex = {part: total for part, total in sex.items() if total}
    recorded_years = {year: parts for year, parts in sex_years.items() if parts}
    return IndicatorRollup(indicator, years, semester_figures, to_date, due_years, recorded_sex, recorded_years)


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
    plan: Plan, filters: Filters | None = None, as_of: datetime.date | None = None, pillars: list[Pillar] | None = None
) -> PlanRollup:
    """Every indicator's figures for every year, semester and the plan to date.

    `pillars` saves a query when the caller has already read the plan's pillars.
    """
    filters = filters or Filters()
    today = timezone.localdate()
    as_of = min(as_of or today, plan.end_date)
    indicators = list(filters.indicators(plan))
    targets = _targets_by_indicator(indicators)
    agg = _EntryAggregates(plan, filters, indicators)
    if pillars is None and (filters.indicator_code or filters.indicator_ids is not None):
        pillars = sorted({i.activity.program.pillar for i in indicators}, key=lambda p: p.number)
    elif pillars is None:
        pillars = list(Pillar.objects.filter(plan=plan).order_by("number"))
    by_id = {p.id: p for p in pillars if not filters.pillar_number or p.number == filters.pillar_number}
    grouped: dict[int, list[IndicatorRollup]] = {pid: [] for pid in by_id}
    for indicator in indicators:
        row = _indicator_rollup(indicator, targets.get(indicator.id, {}), agg, plan, as_of)
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


def kecamatan_breakdown(plan: Plan, filters: Filters | None = None) -> dict[tuple[int, int], dict]:
    """Per indicator × kecamatan: entries and Σ value (coverage: reached = 1)."""
    filters = filters or Filters()
    rows = (
        filters.entries(plan)
        .filter(kecamatan__isnull=False)
        .values("indicator_id", "kecamatan_id")
        .annotate(n=Count("id"), value=Sum("value"), numerator=Sum("numerator"), denominator=Sum("denominator"))
        .order_by()
    )
    return {(r["indicator_id"], r["kecamatan_id"]): r for r in rows}


def entry_counts(plan: Plan, filters: Filters | None = None) -> dict[str, int]:
    """How many entries stand behind the figures, by status (for data-quality notes)."""
    filters = filters or Filters()
    qs = ProgressEntry.objects.filter(indicator__plan=plan)
    if filters.agency_id:
        qs = qs.filter(agency_id=filters.agency_id)
    return dict(qs.values_list("status").annotate(n=Count("id")).order_by())


def reporting_gaps(plan: Plan, as_of: datetime.date | None = None) -> dict[int, list[Period]]:
    """Agency id → elapsed semesters in which it has no submitted or verified entry."""
    as_of = min(as_of or timezone.localdate(), plan.end_date)
    elapsed = [p for p in semesters(plan.years) if p.end <= as_of]
    reported = set(
        ProgressEntry.objects.filter(indicator__plan=plan)
        .filter(Q(status="verified") | Q(status="submitted"))
        .values_list("agency_id", "year", "semester")
        .distinct()
    )
    agencies = set(Indicator.objects.filter(plan=plan).values_list("agency_id", flat=True).distinct())
    return {agency: [p for p in elapsed if (agency, p.year, p.semester) not in reported] for agency in sorted(agencies)}


def kecamatan_figures(plan: Plan, indicator: Indicator, filters: Filters | None = None) -> dict[int, dict]:
    """Per kecamatan id: entries and the indicator's figure there, following its kind's rule.

    count, periodic, tracked: Σ value; coverage: 1 when the place is reached;
    percent: Σ numerator ÷ Σ denominator × 100; milestone, qualitative: entries only.
    """
    filters = filters or Filters()
    breakdown = kecamatan_breakdown(plan, Filters(**{**filters.__dict__, "indicator_ids": [indicator.id]}))
    result = {}
    for (_indicator_id, kecamatan_id), row in breakdown.items():
        if indicator.kind in (Kind.COUNT, Kind.PERIODIC, Kind.TRACKED):
            value = Decimal(row["value"] or 0)
        elif indicator.kind == Kind.COVERAGE:
            value = Decimal(1)
        elif indicator.kind == Kind.PERCENT and row["denominator"]:
            value = Decimal(row["numerator"] or 0) / Decimal(row["denominator"]) * HUNDRED
        else:
            value = None
        result[kecamatan_id] = {"entries": row["n"], "value": value}
    return result


def kecamatan_activity(plan: Plan, filters: Filters | None = None) -> dict[int, dict]:
    """Per kecamatan id: how many entries and how many distinct indicators record work there."""
    filters = filters or Filters()
    rows = (
        filters.entries(plan)
        .filter(kecamatan__isnull=False)
        .values("kecamatan_id")
        .annotate(entries=Count("id"), indicators=Count("indicator_id", distinct=True))
        .order_by()
    )
    return {row["kecamatan_id"]: row for row in rows}


CACHE_SECONDS = 24 * 3600


def cached_compute(plan: Plan, filters: Filters | None = None, pillars: list[Pillar] | None = None) -> PlanRollup:
    """`compute()` kept in the cache, keyed on the plan's data version.

    Every write to the plan's entries, targets or indicators moves `plan.data_version` on
    (indicators.signals, and the bulk writers directly), so a cached result is never stale;
    the caller must pass a plan read in the same request (`Plan.current()`), so that its
    version is the database's. The day is part of the key: statuses move with the calendar.
    """
    filters = filters or Filters()
    as_of = min(timezone.localdate(), plan.end_date)
    key = "rollup:" + ":".join(
        str(part)
        for part in (
            plan.pk,
            plan.data_version,
            as_of.isoformat(),
            filters.include_unverified,
            filters.agency_id,
            filters.kecamatan_id,
            filters.pillar_number,
            filters.indicator_code,
            filters.year,
            sorted(filters.indicator_ids) if filters.indicator_ids is not None else None,
        )
    )
    result = cache.get(key)
    if result is None:
        result = compute(plan, filters, as_of, pillars)
        cache.set(key, result, CACHE_SECONDS)
    return result
