"""Each plan's published figures stored per year (indicators.tallies.plan_figures): equal to the figures computed
now, current until the plan's data or its calendar point move (never at an ordinary midnight), recomputed by one
task after a burst of writes, and after midnight only for the plans whose calendar point moved."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from conftest import run_queued_jobs
from indicators.figures import rollup
from indicators.figures.completeness import calendar_points, completeness_many
from indicators.models import PlanFigures, ReportingDeadline
from indicators.tallies import plan_figures
from indicators.tests.factories import entry
from indicators.tests.plan_helpers import make_plan
from programs.models import Plan

BELU = "rad-belu-2019-2023"
MARCH, MAY = datetime.date(2021, 3, 1), datetime.date(2021, 5, 20)


@pytest.fixture
def entries(plan):
    """TTU's socialisation (1,000 people a year): 300 + 200 verified in 2021; the plan at its data version."""
    entry("1.a.1.1", "2021S1", value=300)
    entry("1.a.1.1", "2021S2", value=200)
    plan.refresh_from_db()
    return plan


def tasks_queued(name: str = "recompute_plan"):
    return DBTaskResult.objects.filter(task_path=f"indicators.tallies.plan_figures.{name}", status="READY")


def computed_now(plan: Plan, year: int, as_of: datetime.date, language: str) -> dict:
    """The column as the province page computed it before the figures were stored (rollup and completeness of the
    year), to compare with what is stored."""
    with translation.override(language):
        figures = rollup.compute(plan, as_of=as_of)
        [reports] = completeness_many([plan], as_of=as_of, year=year).values()
        cells = reports.flat()
        return {
            "pillars": {p.pillar.number: p.years[year].achievement for p in figures.pillars},
            "statuses": figures.status_counts(year),
            "gaps": sum(1 for cell in cells if cell.unreported),
            "agencies_with_gaps": sum(1 for _a, row in reports.rows() if any(c.unreported for c in row)),
            "tags": figures.tag_totals(year),
            "reported": any(cell.received for cell in cells),
        }


def test_the_stored_figures_are_the_figures_computed_now(entries):
    plan = entries
    plan_figures.store([plan], as_of=MAY)
    rows = {row.year: row for row in PlanFigures.objects.filter(plan=plan)}
    assert sorted(rows) == [2018, 2019, 2020, 2021, 2022]
    assert {row.data_version for row in rows.values()} == {plan.data_version}
    # 2018S1 … 2020S2 closed (2020S2's deadline was 15 January 2021), 2021S1 open, the rest not begun
    assert {row.calendar_point for row in rows.values()} == {"cccccconnn"}
    for year, row in rows.items():
        for language in ("id", "en"):
            assert plan_figures.read(row.figures, language) == computed_now(plan, year, MAY, language), (year, language)
    reach = rows[2021].figures["tags"]["socialisation-reach"]
    assert reach == {"unit": {"id": "orang", "en": "people"}, "target": "1000.00", "actual": "500"}
    assert plan_figures.read(rows[2021].figures, "en")["tags"]["socialisation-reach"] == (
        "people",
        Decimal(1000),
        Decimal(500),
    )


def test_two_plans_are_stored_as_each_alone(entries):
    belu = make_plan(BELU)
    entry("1.a.1.1", "2021S1", rad=BELU, value=400)
    plan_figures.store([entries, belu], as_of=MAY)
    stored = {(row.plan_id, row.year): row.figures for row in PlanFigures.objects.all()}
    assert len(stored) == 10  # five years each
    reach = {pk: stored[pk, 2021]["tags"]["socialisation-reach"]["actual"] for pk in (entries.pk, belu.pk)}
    assert reach == {entries.pk: "500", belu.pk: "400"}
    for plan in (entries, belu):
        for year in plan.years:
            assert plan_figures.read(stored[plan.pk, year], "id") == computed_now(plan, year, MAY, "id")


def test_the_calendar_point_moves_when_a_semester_begins_or_a_deadline_passes(plan):
    """2021S1's deadline is 15 July (15 days after it ends): open on the 15th, closed on the 16th."""

    def point(day: datetime.date) -> str:
        return calendar_points([plan], as_of=day)[plan.pk]

    assert point(MARCH) == point(MAY) == "cccccconnn"
    assert point(datetime.date(2021, 6, 30)) == "cccccconnn"
    assert point(datetime.date(2021, 7, 1)) == "ccccccoonn"  # 2021S2 begins
    assert point(datetime.date(2021, 7, 15)) == "ccccccoonn"
    assert point(datetime.date(2021, 7, 16)) == "ccccccconn"  # 2021S1's deadline has passed
    ReportingDeadline.objects.create(plan=plan, year=2021, semester=1, deadline=datetime.date(2021, 7, 31))
    assert point(datetime.date(2021, 7, 16)) == "ccccccoonn"  # the plan's own deadline
    assert point(datetime.date(2030, 1, 1)) == "c" * 10


def test_two_days_with_one_calendar_point_have_the_same_figures(entries):
    march, may = plan_figures.store([entries], as_of=MARCH), plan_figures.store([entries], as_of=MAY)
    assert march == may


def test_the_rollups_cache_keeps_its_figures_over_midnight_and_says_the_readers_day(entries, monkeypatch):
    computed = []
    real = rollup._compute
    monkeypatch.setattr(rollup, "_compute", lambda plans, *args: computed.append(len(plans)) or real(plans, *args))
    first = rollup.cached_compute(entries, as_of=MARCH)
    second = rollup.cached_compute(entries, as_of=MAY)
    assert computed == [1]  # the same semesters have begun: read from the cache
    assert (first.as_of, second.as_of) == (MARCH, MAY)
    assert second.indicator("1.a.1.1").years[2021] == first.indicator("1.a.1.1").years[2021]
    assert [r.as_of for r in rollup.cached_compute_many([entries], as_of=MAY).values()] == [MAY]
    rollup.cached_compute(entries, as_of=datetime.date(2021, 7, 1))  # 2021S2 has begun: computed again
    assert computed == [1, 1]


def test_a_write_leaves_the_figures_behind_and_a_burst_queues_one_recompute(
    entries, settings, django_capture_on_commit_callbacks
):
    settings.FIGURES_STORED_AHEAD = True
    today = timezone.localdate()
    plan_figures.store([entries], as_of=today)
    assert plan_figures.stale([entries], as_of=today) == []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            entry("1.a.1.1", "2021S2", value=10)
    entries.refresh_from_db()
    assert plan_figures.stale([entries], as_of=today) == [entries]
    [queued] = tasks_queued()
    assert queued.args_kwargs["args"] == [entries.pk]
    assert 0 < (queued.run_after - timezone.now()).total_seconds() <= plan_figures.QUIET_SECONDS
    tasks_queued().update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    run_queued_jobs()
    assert plan_figures.stale([entries], as_of=today) == []
    stored = PlanFigures.objects.get(plan=entries, year=2021).figures
    assert stored["tags"]["socialisation-reach"]["actual"] == "600"  # 300 + 200 + ten of 10
    with django_capture_on_commit_callbacks(execute=True):
        entry("1.a.1.1", "2021S2", value=10)
    assert tasks_queued().count() == 1  # the next write queues the next recompute


def test_nothing_is_queued_when_turned_off(entries, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry("1.a.1.1", "2021S2", value=10)
    assert not tasks_queued().exists()


def test_after_midnight_only_the_plans_whose_calendar_point_moved_are_recomputed(entries, monkeypatch):
    """TTU's 2021S1 deadline is 15 July; Belu set its own, 31 July. From the 15th to the 16th TTU's point moves
    (its deadline passed), Belu's does not: the midnight run recomputes TTU alone."""
    belu = make_plan(BELU)
    ReportingDeadline.objects.create(plan=belu, year=2021, semester=1, deadline=datetime.date(2021, 7, 31))
    entries, belu = Plan.objects.get(pk=entries.pk), Plan.objects.get(pk=belu.pk)  # at their data versions
    plans = [entries, belu]
    plan_figures.rebuild(plans, as_of=datetime.date(2021, 7, 15))
    assert plan_figures.stale(plans, as_of=datetime.date(2021, 7, 15)) == []
    assert plan_figures.stale(plans, as_of=datetime.date(2021, 7, 16)) == [entries]
    stored = dict(PlanFigures.objects.filter(year=2021).values_list("plan_id", "computed_at"))
    computed = []
    real = rollup.compute_many
    monkeypatch.setattr(rollup, "compute_many", lambda plans, **kw: computed.append(plans) or real(plans, **kw))
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2021, 7, 16))
    assert plan_figures.recompute_stale.call() == 1
    assert [[plan.code for plan in plans] for plans in computed] == [[entries.code]]
    after = dict(PlanFigures.objects.filter(year=2021).values_list("plan_id", "computed_at"))
    assert after[belu.pk] == stored[belu.pk] and after[entries.pk] > stored[entries.pk]
    assert plan_figures.stale(plans, as_of=datetime.date(2021, 7, 16)) == []


def rebuild_figures(*args) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("rebuild_figures", *args, stdout=out)
    return out.getvalue()


def test_rebuild_figures_stores_every_active_plan_one_plan_or_those_behind(entries):
    belu = make_plan(BELU)
    assert "Stored figures of the plans (per year): 10 rows" in rebuild_figures()  # five years of each plan
    assert PlanFigures.objects.count() == 10
    out = rebuild_figures("--stale")
    assert "Stored figures of the plans (per year): 0 rows" in out
    assert "Entry totals" not in out  # kept on write: never behind
    entry("1.a.1.1", "2021S1", rad=BELU, value=400)
    before = dict(PlanFigures.objects.filter(year=2021).values_list("plan_id", "computed_at"))
    assert "Stored figures of the plans (per year): 5 rows" in rebuild_figures("--stale")
    after = dict(PlanFigures.objects.filter(year=2021).values_list("plan_id", "computed_at"))
    assert after[entries.pk] == before[entries.pk] and after[belu.pk] > before[belu.pk]
    assert PlanFigures.objects.get(plan=belu, year=2021).figures["tags"]["socialisation-reach"]["actual"] == "400"
    Plan.objects.filter(pk=belu.pk).update(status=Plan.Status.CLOSED)
    assert "Stored figures of the plans (per year): 5 rows" in rebuild_figures("--rad", BELU)  # whatever its status
    with pytest.raises(CommandError):
        rebuild_figures("--rad", "rad-nowhere")
