"""Reporting completeness: which agency reported on which semester, and on time.

The DHIS2 'reporting rate' for a task force: for each agency × semester,

expected  the agency's indicators due in that semester (rules below)
received  those of them with at least one submitted or verified entry for the semester
on time   those received by the plan's deadline for the semester: the first moment any of their
          entries became submitted or verified (from the entries' history, so a correction
          after a return does not make an on-time report late) fell on or before the deadline day
rate      received ÷ expected × 100; none when nothing is due

Which indicators are due in a semester, by kind:
- count, coverage, percent, level, periodic (the other targeted kinds): both semesters of every year whose annual
  target is above zero: a year with nothing to achieve asks for no report;
- milestone: every semester up to and including the first in which 'achieved' was received;
  its state is reported each semester until then, and nothing after;
- tracked (and any standing quantity): every semester of the plan: a running count is
  reported each semester, zero included;
- qualitative: never: a narrative is written when there is something to tell, so its absence
  is not a missing report.

The deadline is the plan's own (`ReportingDeadline`) or 15 days after the semester ends.
Everything is computed with a fixed handful of grouped queries, whatever the number of
entries, for the day given (never today's date read here).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone

from indicators.models import (
    EntryStatus,
    Indicator,
    Kind,
    MilestoneStatus,
    ProgressEntry,
    ReportingDeadline,
    Target,
    default_deadline,
)
from programs.models import Agency, Plan
from programs.periods import Period, semesters

RECEIVED = (EntryStatus.SUBMITTED, EntryStatus.VERIFIED)
GOOD_FROM = Decimal(90)
FAIR_FROM = Decimal(50)


class State:
    """Where a semester stands on the day of the computation."""

    NOT_BEGUN = "not_begun"  # nothing can be reported yet
    OPEN = "open"  # running, or ended but before its deadline
    CLOSED = "closed"  # the deadline has passed: what is missing is overdue


@dataclass
class Cell:
    """One agency × semester."""

    agency: Agency
    period: Period
    deadline: datetime.date
    state: str
    expected: list[Indicator] = field(default_factory=list)
    received: list[Indicator] = field(default_factory=list)
    on_time: list[Indicator] = field(default_factory=list)

    @property
    def missing(self) -> list[Indicator]:
        received = {indicator.pk for indicator in self.received}
        return [indicator for indicator in self.expected if indicator.pk not in received]

    @property
    def overdue(self) -> list[Indicator]:
        return self.missing if self.state == State.CLOSED else []

    @property
    def unreported(self) -> bool:
        """The agency sent nothing of what it owed for the semester, and the deadline has passed: a reporting
        gap on the province page and in the summary (the cockpit lists each overdue indicator)."""
        return self.state == State.CLOSED and bool(self.expected) and not self.received

    @property
    def rate(self) -> Decimal | None:
        """received ÷ expected × 100, None when nothing is due."""
        if not self.expected:
            return None
        return Decimal(len(self.received)) * 100 / len(self.expected)

    @property
    def band(self) -> str:
        """For the colour of the cell (always shown with its numbers): good ≥ 90 %, fair ≥ 50 %, poor."""
        if self.state == State.NOT_BEGUN:
            return "not-begun"
        rate = self.rate
        if rate is None:
            return "none"
        if rate >= GOOD_FROM:
            return "good"
        return "fair" if rate >= FAIR_FROM else "poor"


@dataclass
class Completeness:
    plan: Plan
    as_of: datetime.date
    periods: list[Period]
    deadlines: dict[Period, datetime.date]
    agencies: list[Agency]
    cells: dict[tuple[int, Period], Cell]

    def cell(self, agency: Agency | int, period: Period) -> Cell:
        agency_id = agency if isinstance(agency, int) else agency.pk
        return self.cells[(agency_id, period)]

    def rows(self) -> list[tuple[Agency, list[Cell]]]:
        """Agency by agency, its semesters in order (for tables)."""
        return [(agency, [self.cell(agency, period) for period in self.periods]) for agency in self.agencies]

    def flat(self) -> list[Cell]:
        return [cell for _agency, cells in self.rows() for cell in cells]

    @property
    def calendar_point(self) -> str:
        """The calendar point of the semesters computed (all the plan's when no year was asked)."""
        return calendar_point(self.deadlines, self.as_of)


def deadlines_for(plan: Plan, periods: list[Period]) -> dict[Period, datetime.date]:
    """Each semester's deadline: the plan's own where it set one, else 15 days after the semester."""
    return _deadlines([plan], {plan.pk: periods})[plan.pk]


def _deadlines(plans: list[Plan], periods: dict[int, list[Period]]) -> dict[int, dict[Period, datetime.date]]:
    years = {p.year for plan_periods in periods.values() for p in plan_periods}
    own: dict[int, dict[Period, datetime.date]] = defaultdict(dict)
    for row in ReportingDeadline.objects.filter(plan__in=plans, year__in=years):
        own[row.plan_id][Period(row.year, row.semester)] = row.deadline
    return {
        plan.pk: {period: own[plan.pk].get(period, default_deadline(period)) for period in periods[plan.pk]}
        for plan in plans
    }


def _due_years(plans: list[Plan]) -> dict[int, set[int]]:
    """Indicator id → years whose annual target is above zero."""
    years: dict[int, set[int]] = defaultdict(set)
    rows = Target.objects.filter(indicator__plan__in=plans, value__gt=0).values_list("indicator_id", "year")
    for indicator_id, year in rows:
        years[indicator_id].add(year)
    return years


def _achieved_in(plans: list[Plan]) -> dict[int, Period]:
    """Milestone id → the first semester in which 'achieved' was received."""
    rows = (
        ProgressEntry.objects.filter(
            indicator__plan__in=plans,
            indicator__kind=Kind.MILESTONE,
            status__in=RECEIVED,
            milestone_status=MilestoneStatus.ACHIEVED,
        )
        .values("indicator_id", "year", "semester")
        .order_by()
        .distinct()
    )
    first: dict[int, Period] = {}
    for row in rows:
        period = Period(row["year"], row["semester"])
        if row["indicator_id"] not in first or period < first[row["indicator_id"]]:
            first[row["indicator_id"]] = period
    return first


def is_due(indicator: Indicator, period: Period, due_years: dict[int, set[int]], achieved: dict[int, Period]) -> bool:
    """The rule of the module docstring for one indicator and semester."""
    kind = Kind(indicator.kind)
    if kind == Kind.QUALITATIVE:
        return False
    if kind == Kind.MILESTONE:
        done = achieved.get(indicator.pk)
        return done is None or period <= done
    if kind.is_targeted:
        return period.year in due_years.get(indicator.pk, set())
    return True


def _first_received(plans: list[Plan], years: set[int]) -> dict[tuple[int, Period], datetime.datetime]:
    """(indicator id, semester) → when its first entry that is now received became submitted or verified.

    The moment comes from the entry's history: the earliest record with a received status.
    """
    history = ProgressEntry.history.model.objects.filter(id=OuterRef("id"), status__in=RECEIVED)
    first = Subquery(history.order_by("history_date").values("history_date")[:1])
    rows = (
        ProgressEntry.objects.filter(indicator__plan__in=plans, status__in=RECEIVED, year__in=years)
        .annotate(first_received=first)
        .values("indicator_id", "year", "semester")
        .annotate(first=Min("first_received"))
        .order_by()
    )
    return {(row["indicator_id"], Period(row["year"], row["semester"])): row["first"] for row in rows}


def _received(indicator_ids: list[int], years: set[int]) -> set[tuple[int, Period]]:
    """(indicator id, semester) with a received entry, without asking when (the history is not read).
    Asked for by indicator, so a year's reports are read from the index that holds them (entry_reporting_idx)."""
    rows = (
        ProgressEntry.objects.filter(indicator_id__in=indicator_ids, status__in=RECEIVED, year__in=years)
        .values_list("indicator_id", "year", "semester")
        .order_by()  # no ordering: the entries' default one would make DISTINCT return every entry
        .distinct()
    )
    return {(indicator_id, Period(year, semester)) for indicator_id, year, semester in rows}


def _state(period: Period, deadline: datetime.date, as_of: datetime.date) -> str:
    if period.start > as_of:
        return State.NOT_BEGUN
    return State.OPEN if as_of <= deadline else State.CLOSED


_LETTERS = {State.NOT_BEGUN: "n", State.OPEN: "o", State.CLOSED: "c"}


def calendar_point(deadlines: dict[Period, datetime.date], as_of: datetime.date) -> str:
    """Where the calendar stands for a plan's figures on the day `as_of`: one letter per semester of the plan, its
    state (n: not begun, o: open, c: closed). It changes only when a semester begins or a deadline passes.

    Every figure the day moves depends on it alone: the rollup reads the day only through which semesters have
    begun (a semester not begun is 'n' here; `rollup.semesters_begun`), completeness through each semester's
    state. Figures computed on two days with the same point are the same figures, so a cache key or a stored
    figure carries the point, never the day."""
    return "".join(_LETTERS[_state(period, deadline, as_of)] for period, deadline in sorted(deadlines.items()))


def calendar_points(plans: list[Plan], *, as_of: datetime.date) -> dict[int, str]:
    """Plan id → `calendar_point` of all the plan's semesters, in one query (the plans' own deadlines)."""
    deadlines = _deadlines(plans, {plan.pk: semesters(plan.years) for plan in plans}) if plans else {}
    return {pk: calendar_point(plan_deadlines, as_of) for pk, plan_deadlines in deadlines.items()}


def completeness(
    plan: Plan,
    *,
    as_of: datetime.date,
    periods: list[Period] | None = None,
    agency_id: int | None = None,
) -> Completeness:
    """Expected, received and on-time reports per agency × semester of the plan (or of `periods`).

    `as_of`: the day the semesters are judged on (open, closed); always given by the caller.
    Agencies listed: those responsible for at least one indicator of the plan (or just `agency_id`).
    """
    periods = sorted(periods or semesters(plan.years))
    return _completeness([plan], {plan.pk: periods}, as_of=as_of, agency_id=agency_id, timeliness=True)[plan.pk]


def completeness_many(
    plans: list[Plan],
    *,
    as_of: datetime.date,
    year: int | None = None,
    indicators: dict[int, list[Indicator]] | None = None,
) -> dict[int, Completeness]:
    """Plan id → `completeness(plan, as_of=…, periods=year_periods(plan, year))`, without the on-time part
    (whether a report came by its deadline is the cockpit's; what is missing is everyone's), in a fixed number
    of queries whatever the number of plans. `indicators` (plan id → its indicators, with their agencies)
    saves a query when the caller has read them (the plans' rollups have)."""
    periods = {plan.pk: year_periods(plan, year) for plan in plans}
    return _completeness(plans, periods, as_of=as_of, indicators=indicators, timeliness=False)


def _completeness(
    plans: list[Plan],
    periods: dict[int, list[Period]],
    *,
    as_of: datetime.date,
    agency_id: int | None = None,
    indicators: dict[int, list[Indicator]] | None = None,
    timeliness: bool,
) -> dict[int, Completeness]:
    if not plans:
        return {}
    deadlines = _deadlines(plans, periods)
    if indicators is None:
        rows = Indicator.objects.filter(plan__in=plans).select_related("agency").order_by("agency__short_name", "code")
        if agency_id is not None:
            rows = rows.filter(agency_id=agency_id)
        indicators = defaultdict(list)
        for indicator in rows:
            indicators[indicator.plan_id].append(indicator)
    due_years = _due_years(plans)
    achieved = _achieved_in(plans)
    years = {p.year for plan_periods in periods.values() for p in plan_periods}
    if timeliness:
        first = _first_received(plans, years)
        received = set(first)
    else:
        first = {}
        received = _received([i.pk for plan in plans for i in indicators[plan.pk]], years)

    result = {}
    for plan in plans:
        plan_deadlines = deadlines[plan.pk]
        agencies = {indicator.agency_id: indicator.agency for indicator in indicators[plan.pk]}
        cells = {
            (agency_id_, period): Cell(
                agency, period, plan_deadlines[period], _state(period, plan_deadlines[period], as_of)
            )
            for agency_id_, agency in agencies.items()
            for period in periods[plan.pk]
        }
        for indicator in indicators[plan.pk]:
            for period in periods[plan.pk]:
                if not is_due(indicator, period, due_years, achieved):
                    continue
                cell = cells[(indicator.agency_id, period)]
                cell.expected.append(indicator)
                if (indicator.pk, period) not in received:
                    continue
                cell.received.append(indicator)
                received_at = first.get((indicator.pk, period))
                if received_at is not None and timezone.localtime(received_at).date() <= cell.deadline:
                    cell.on_time.append(indicator)
        ordered = sorted(agencies.values(), key=lambda agency: agency.short_name)
        result[plan.pk] = Completeness(plan, as_of, periods[plan.pk], plan_deadlines, ordered, cells)
    return result


def year_periods(plan: Plan, year: int | None) -> list[Period]:
    """The two semesters of a year of the plan, or all of the plan's semesters."""
    return [p for p in semesters(plan.years) if year is None or p.year == year]


def overdue_for(plan: Plan, *, agency_id: int, as_of: datetime.date) -> list[Cell]:
    """The agency's semesters whose deadline has passed by `as_of` with indicators still not reported."""
    result = completeness(plan, as_of=as_of, agency_id=agency_id)
    return [cell for cell in result.flat() if cell.overdue]
