"""The bench generator at a tiny size, in the test database (the real bench runs in its own database)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F

from indicators.models import EntryStatus, Indicator, Kind, ProgressEntry, Target
from programs.models import Plan, Region
from tptto_monitor.bench import data, timing


def test_generator_builds_a_province_and_the_table_prints(plan):
    # a first batch, then run() grows the data to the size asked for
    # 4 regencies rather than 22 keep the test short; the code is the same
    province = data.build_province(regencies=4)
    data.add_entries(province, 120, user_id=data.bench_user().id, seed=1)
    assert ProgressEntry.objects.count() == 120
    out = io.StringIO()
    report = timing.run([200], runs=1, file_runs=1, regencies=4, out=out)

    # 4 plans: the real one and 3 synthetic copies, each with its own regency and 24 kecamatan
    plans = Plan.objects.order_by("code")
    assert plans.count() == 4
    synthetic = plans.filter(code__startswith=data.PLAN_PREFIX)
    assert synthetic.count() == 3
    assert all(p.region.code.startswith(f"{data.SYNTHETIC_PROVINCE}.") for p in synthetic)
    assert all(p.region_id != plan.region_id for p in synthetic)
    assert Region.objects.filter(code__startswith=f"{data.SYNTHETIC_PROVINCE}.", level="kecamatan").count() == 3 * 24
    # the copies come from the plan loader: the same tree, kinds and targets as the real plan
    per_plan = Indicator.objects.values("plan").annotate(n=Count("id"))
    assert {row["n"] for row in per_plan} == {plan.indicators.count()}

    def tree(p):
        targets = Target.objects.filter(indicator__plan=p).values_list("indicator__code", "year", "value")
        return sorted(p.indicators.values_list("code", "kind")), sorted(targets)

    for copy in synthetic:
        assert tree(copy) == tree(plan)

    # the sizes were reached by growing, spread over plans, kinds and periods, mostly verified
    entries = ProgressEntry.objects.all()
    assert entries.count() == 200
    assert entries.values("indicator__plan").distinct().count() == 4
    assert entries.values("indicator__kind").distinct().count() >= 5
    assert entries.values("year", "semester").distinct().count() >= 8
    assert entries.filter(status=EntryStatus.VERIFIED).count() >= 140
    assert not entries.exclude(year__gte=plan.start_year, year__lte=plan.end_year).exists()
    coverage = entries.filter(indicator__kind=Kind.COVERAGE)
    assert not coverage.filter(kecamatan__isnull=True).exists()
    # every kecamatan named belongs to the entry's own regency
    assert not entries.filter(kecamatan__isnull=False).exclude(kecamatan__parent=F("indicator__plan__region")).exists()
    assert not entries.filter(indicator__kind=Kind.PERCENT, denominator__isnull=True).exists()
    assert not entries.filter(indicator__kind=Kind.MILESTONE, milestone_status="").exists()
    assert not entries.exclude(agency=F("indicator__agency")).exists()

    # the table: one row per size and page, with queries and the bare aggregate
    text = out.getvalue()
    assert (
        "| entries (plan) | what | median ms | after a change ms | queries | bare aggregate ms | page ÷ bare |" in text
    )
    pages = [m for m in report.results if m.kind == "page"]
    assert [(m.size, m.what) for m in pages] == [(200, "overview"), (200, "pillar 1")]
    for m in pages:
        assert m.error == "", m.error
        assert m.queries and m.queries > 0
        assert m.bare_ms is not None and m.median_ms is not None
        assert f"| {m.size:,} (" in report.table
    assert "80 added" in text


def test_verdicts_apply_the_budgets():
    page = timing.Measure(1_000_000, 45_000, "overview", "page", median_ms=300, queries=12, bare_ms=100)
    assert timing.verdict(page, "postgresql")[1] == "MISS: 3.0× bare"
    page.median_ms = 180
    assert timing.verdict(page, "postgresql")[1] == "PASS"
    page.queries = 16
    assert timing.verdict(page, "sqlite") == ("q ≤ 15", "MISS: 16 queries")
    pdf = timing.Measure(1_000_000, 45_000, "PDF 2022", "pdf", median_ms=6000, queries=20)
    assert timing.verdict(pdf, "postgresql") == ("< 5 s", "MISS: 6.0 s")
    assert timing.verdict(pdf, "sqlite")[1] == "info"


def test_in_place_refuses_any_database_but_the_bench_one(db):
    with pytest.raises(CommandError, match="only in the bench database"):
        call_command("bench", "--in-place", "--sizes", "10")
