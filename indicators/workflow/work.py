"""An officer's work for the semester (her page *My work*): what is due, what came back, what waits.

Read-only: it gathers, for one agency of one plan on a given day (never today's date read here),

- the reporting semester: the semester running that day, or the plan's nearest when the day is
  outside the plan;
- what is due in it, indicator by indicator, by the completeness rule
  (`indicators.figures.completeness.is_due`: the cockpit's rule, not a second one), each with how
  far it got: received (submitted or verified), a draft or returned entry only, or nothing yet;
- the entries returned by the verifier (with the reason), then the drafts waiting to be submitted;
- the earlier semesters whose deadline passed with indicators still missing.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from indicators.figures.completeness import Cell, completeness
from indicators.models import EntryStatus, Indicator, ProgressEntry
from programs.models import Agency, Plan
from programs.periods import Period, semesters

WORK_RELATED = ("indicator__plan__region", "kecamatan")


class DueState:
    RECEIVED = "received"  # a submitted or verified entry for the semester
    STARTED = "started"  # only a draft or returned entry
    MISSING = "missing"  # nothing yet


@dataclass
class DueRow:
    indicator: Indicator
    state: str
    entries: int  # the indicator's entries of the semester, whatever their status


@dataclass
class Work:
    plan: Plan
    agency: Agency
    period: Period
    deadline: datetime.date
    due: list[DueRow]
    returned: list[ProgressEntry]
    drafts: list[ProgressEntry]
    overdue: list[Cell]

    @property
    def missing(self) -> int:
        return sum(1 for row in self.due if row.state != DueState.RECEIVED)


def reporting_period(plan: Plan, today: datetime.date) -> Period:
    """The semester running `today`, or the nearest one of the plan when `today` is outside it."""
    periods = semesters(plan.years)
    return min(max(Period.of_date(today), periods[0]), periods[-1])


def _entry_counts(plan: Plan, agency: Agency, period: Period) -> tuple[Counter, Counter]:
    """Per indicator id: the semester's entries, and those of them received (submitted or verified)."""
    rows = ProgressEntry.objects.filter(
        indicator__plan=plan, agency=agency, year=period.year, semester=period.semester
    ).values_list("indicator_id", "status")
    every, received = Counter(), Counter()
    for indicator_id, status in rows:
        every[indicator_id] += 1
        if status in (EntryStatus.SUBMITTED, EntryStatus.VERIFIED):
            received[indicator_id] += 1
    return every, received


def officer_work(plan: Plan, agency: Agency, *, as_of: datetime.date) -> Work:
    """The agency's work in `plan` as it stands on `as_of` (see the module docstring)."""
    period = reporting_period(plan, as_of)
    reporting = completeness(plan, as_of=as_of, agency_id=agency.pk)
    cell = reporting.cells.get((agency.pk, period))
    every, received = _entry_counts(plan, agency, period)
    due = []
    for indicator in cell.expected if cell else []:
        if received[indicator.pk]:
            state = DueState.RECEIVED
        elif every[indicator.pk]:
            state = DueState.STARTED
        else:
            state = DueState.MISSING
        due.append(DueRow(indicator, state, every[indicator.pk]))
    due.sort(key=lambda row: (row.state == DueState.RECEIVED, row.indicator.code))
    waiting = (
        ProgressEntry.objects.filter(
            indicator__plan=plan, agency=agency, status__in=[EntryStatus.RETURNED, EntryStatus.DRAFT]
        )
        .select_related(*WORK_RELATED)
        .order_by("-year", "-semester", "indicator__code", "-updated_at", "-id")
    )
    returned = [entry for entry in waiting if entry.status == EntryStatus.RETURNED]
    drafts = [entry for entry in waiting if entry.status == EntryStatus.DRAFT]
    overdue = [c for c in reporting.flat() if c.overdue and c.period != period]
    deadline = reporting.deadlines[period]
    return Work(plan, agency, period, deadline, due, returned, drafts, overdue)
