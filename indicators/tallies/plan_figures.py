"""Each plan's published figures, stored per plan and year: what the province and national pages (and their
workbooks) show of a plan, read in one query for every plan instead of each plan's rollup from its entries.

What a year's figures hold (`figures_of_year`, plain JSON, decimals as strings): each pillar's mean achievement,
the indicators by status, the reporting gaps (agency-semesters past their deadline with nothing of what was due,
`Cell.unreported`) and the agencies with one, the standard-tag totals with their unit in every language, and
whether anything due was received. Every number comes from the rollup and completeness; nothing is computed here.

A stored row is current while the plan's data version and its calendar point (completeness.calendar_point: which
semesters have begun, which deadlines have passed) are those it was computed from; an ordinary midnight moves
neither. It is brought up to date

- by a task queued a couple of seconds after a write to the plan is committed (`schedule`, on
  programs.signals.plan_data_changed; a burst of writes queues one task, as reports.built does);
- by `manage.py rebuild_figures --stale` (cron, just after midnight) for the plans whose calendar point moved,
  and by a task a page queues when it had to show stale figures (`schedule_stale`);
- in the request, when a page finds few plans behind (`IN_REQUEST`) or a plan never computed.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

from indicators.figures import rollup
from indicators.figures.completeness import Completeness, calendar_points, completeness_many
from indicators.models import PlanFigures
from indicators.tallies.entry_totals import Rebuilt
from programs.models import Plan
from tptto_monitor.lib.queue import jobs_cache

QUIET_SECONDS = 2  # a recompute waits this long after the first write, for the writes of the same burst
DUE_SECONDS = 120  # a queued recompute not started by then lets the next write queue another
IN_REQUEST = 3  # a page computes at most this many plans whose stored figures are behind; beyond, a task does
CHUNK = 50  # plans computed together when rebuilding (about 1.3 MB of rollup each)
STALE_KEY = "figures-stale-due"


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def figures_of_year(plan_rollup: rollup.PlanRollup, reports: Completeness, year: int) -> dict:
    """What the pages over many plans show of one plan in `year`, as JSON (see the module docstring)."""
    cells = [cell for cell in reports.flat() if cell.period.year == year]
    units: dict[str, dict[str, str]] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for tag, (unit, _target, _actual) in plan_rollup.tag_totals(year).items():
                units.setdefault(tag, {})[language] = unit
    return {
        "pillars": {str(p.pillar.number): _text(p.years[year].achievement) for p in plan_rollup.pillars},
        "statuses": plan_rollup.status_counts(year),
        "gaps": sum(1 for cell in cells if cell.unreported),
        "agencies_with_gaps": sum(
            1 for _agency, row in reports.rows() if any(c.unreported for c in row if c.period.year == year)
        ),
        "tags": {
            tag: {"unit": units[tag], "target": _text(target), "actual": _text(actual)}
            for tag, (_unit, target, actual) in plan_rollup.tag_totals(year).items()
        },
        "reported": any(cell.received for cell in cells),
    }


def read(figures: dict, language: str | None = None) -> dict:
    """A year's stored figures as the pages use them: pillar number → achievement (Decimal or None), status
    counts, gaps, agencies with gaps, tag → (unit in `language`, target, actual), reported."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    fallback = settings.LANGUAGE_CODE

    def unit(units: dict[str, str]) -> str:
        return units.get(language[:2]) or units.get(fallback, "")

    return {
        "pillars": {int(number): _decimal(value) for number, value in figures["pillars"].items()},
        "statuses": dict(figures["statuses"]),
        "gaps": figures["gaps"],
        "agencies_with_gaps": figures["agencies_with_gaps"],
        "tags": {
            tag: (unit(t["unit"]), _decimal(t["target"]), _decimal(t["actual"])) for tag, t in figures["tags"].items()
        },
        "reported": figures["reported"],
    }


def store(plans: Sequence[Plan], *, as_of: datetime.date, cached: bool = False) -> dict[int, dict[int, dict]]:
    """Compute the plans' figures of every year together and store them; plan id → year → figures.

    The data version stored is the plan's as read by the caller, before the figures: a write committed meanwhile
    leaves the row behind, to be computed again. `cached`: through the rollups' cache, for a page (the tasks do
    not: a worker's own memory cache would only grow with rollups no page reads, 1.3 MB each)."""
    plans = list(plans)
    if not plans:
        return {}
    compute = rollup.cached_compute_many if cached else rollup.compute_many
    rollups = compute(plans, as_of=as_of)
    # the indicators (and the agencies responsible for them) from the rollups, which have read them
    indicators = {pk: [row.indicator for row in plan_rollup.indicators] for pk, plan_rollup in rollups.items()}
    reports = completeness_many(plans, as_of=as_of, indicators=indicators)
    now = timezone.now()
    computed: dict[int, dict[int, dict]] = {}
    rows = []
    for plan in plans:
        by_year = {year: figures_of_year(rollups[plan.pk], reports[plan.pk], year) for year in plan.years}
        computed[plan.pk] = by_year
        point = reports[plan.pk].calendar_point
        rows += [
            PlanFigures(
                plan=plan,
                year=year,
                data_version=plan.data_version,
                calendar_point=point,
                computed_at=now,
                figures=figures,
            )
            for year, figures in by_year.items()
        ]
    PlanFigures.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["plan", "year"],
        update_fields=["data_version", "calendar_point", "computed_at", "figures"],
    )
    # years the plan no longer has (rows replaced whole: what was not written now is not the plan's)
    PlanFigures.objects.filter(plan__in=plans).exclude(computed_at=now).delete()
    return computed


def stale(plans: Sequence[Plan], *, as_of: datetime.date) -> list[Plan]:
    """The plans with no stored figures, or figures of another data version or calendar point (two queries)."""
    plans = list(plans)
    points = calendar_points(plans, as_of=as_of)
    rows: dict[int, set[tuple[int, str]]] = {}
    for plan_id, version, point in (
        PlanFigures.objects.filter(plan__in=plans).values_list("plan_id", "data_version", "calendar_point").distinct()
    ):
        rows.setdefault(plan_id, set()).add((version, point))
    return [plan for plan in plans if rows.get(plan.pk) != {(plan.data_version, points[plan.pk])}]


def rebuild(
    plans: Sequence[Plan], *, as_of: datetime.date, chunk: int = CHUNK, progress: Callable[[int, int], None] = None
) -> int:
    """Store the figures of `plans`, `chunk` plans computed together at a time; how many plans."""
    plans = list(plans)
    for start in range(0, len(plans), chunk):
        store(plans[start : start + chunk], as_of=as_of)
        if progress:
            progress(min(start + chunk, len(plans)), len(plans))
    return len(plans)


def rebuild_step(plans: Sequence[Plan] | None = None) -> Rebuilt:
    """rebuild_figures' step: the stored figures of `plans` (None: every active plan); the rows written."""
    as_of = timezone.localdate()
    return _timed_rebuild(active_plans() if plans is None else plans, as_of)


def rebuild_stale_step(plans: Sequence[Plan] | None = None) -> Rebuilt:
    """rebuild_figures --stale: the stored figures of those of `plans` (None: every active plan) that are behind."""
    as_of = timezone.localdate()
    return _timed_rebuild(stale(active_plans() if plans is None else plans, as_of=as_of), as_of)


def _timed_rebuild(plans: Sequence[Plan], as_of: datetime.date) -> Rebuilt:
    started = time.perf_counter()
    plans = list(plans)
    rebuild(plans, as_of=as_of)
    return Rebuilt(sum(len(plan.years) for plan in plans), time.perf_counter() - started)


@dataclass
class YearFigures:
    """The year's figures of each plan asked for, and how many of them are behind their plan's data."""

    figures: dict[int, dict]  # plan id → figures_of_year (stored, or computed now)
    behind: int = 0  # plans shown with stored figures that are being brought up to date
    since: datetime.datetime | None = None  # when the oldest of those was computed


def year_figures(plans: Sequence[Plan], year: int, *, as_of: datetime.date) -> YearFigures:
    """Each plan's figures of `year` (every plan must run in it), read in one query for all the plans.

    Stored figures that are current are used as they are. When few plans are behind (at most IN_REQUEST), they
    are computed now, together, and stored; when more are, their stored figures are shown, said to be behind,
    and a task brings them up to date (without the tasks, FIGURES_STORED_AHEAD off, they are computed now too).
    A plan never computed is computed now. Two queries when every plan is current, whatever their number: the
    plans' deadlines (for the calendar point) and the stored figures."""
    plans = list(plans)
    points = calendar_points(plans, as_of=as_of)
    rows = {row.plan_id: row for row in PlanFigures.objects.filter(plan__in=plans, year=year)}
    missing = [plan for plan in plans if plan.pk not in rows]
    behind = [
        plan
        for plan in plans
        if plan.pk in rows
        and (rows[plan.pk].data_version != plan.data_version or rows[plan.pk].calendar_point != points[plan.pk])
    ]
    if len(missing) + len(behind) <= IN_REQUEST or not settings.FIGURES_STORED_AHEAD:
        missing, behind = missing + behind, []
    figures = {pk: row.figures for pk, row in rows.items()}
    for pk, by_year in store(missing, as_of=as_of, cached=True).items():
        figures[pk] = by_year[year]
    if behind:
        schedule_stale()
    since = min((rows[plan.pk].computed_at for plan in behind), default=None)
    return YearFigures({plan.pk: figures[plan.pk] for plan in plans}, len(behind), since)


# --- the tasks ------------------------------------------------------------------------------------------------


def _due_key(plan_id: int) -> str:
    return f"figures-due:{plan_id}"


def schedule(sender=None, *, plan_id: int, **kwargs) -> bool:
    """Queue one recompute of the plan's figures QUIET_SECONDS from now, unless one is queued already (a burst
    of writes queues one); True if queued. Connected to programs.signals.plan_data_changed (indicators.signals)."""
    if not settings.FIGURES_STORED_AHEAD:
        return False
    if not jobs_cache().add(_due_key(plan_id), 1, DUE_SECONDS):
        return False
    run_after = timezone.now() + datetime.timedelta(seconds=QUIET_SECONDS)
    recompute_plan.using(run_after=run_after).enqueue(plan_id)
    return True


@task()
def recompute_plan(plan_id: int) -> str:
    """Store the plan's figures of every year as its data stand now."""
    jobs_cache().delete(_due_key(plan_id))  # writes from now on queue the next recompute
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        return "gone"
    store([plan], as_of=timezone.localdate())
    return str(plan.data_version)


def active_plans():
    """The plans whose figures are kept: the active ones (the pages over many plans show no other)."""
    return Plan.objects.filter(status=Plan.Status.ACTIVE).order_by("pk")


def schedule_stale() -> bool:
    """Queue one recompute of every plan whose stored figures are behind, unless one is queued or running."""
    if not settings.FIGURES_STORED_AHEAD:
        return False
    if not jobs_cache().add(STALE_KEY, 1, DUE_SECONDS * 5):
        return False
    recompute_stale.enqueue()
    return True


@task()
def recompute_stale() -> int:
    """Store the figures of the active plans that are behind (after midnight: those whose calendar point moved)."""
    try:
        as_of = timezone.localdate()
        return rebuild(stale(active_plans(), as_of=as_of), as_of=as_of)
    finally:
        jobs_cache().delete(STALE_KEY)
