"""The bench generator at a tiny size, in the test database (the real bench runs in its own database)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse

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

    # the table: one row per size and page, with queries (warm / after a change) and the bare aggregate
    text = out.getvalue()
    assert (
        "| entries (of its plans) | what | median ms | after a change ms | queries (after a change) "
        "| bare aggregate ms | page ÷ bare |" in text
    )
    pages = [m for m in report.results if m.kind == "page"]
    other = synthetic.first().code
    assert [(m.size, m.what) for m in pages] == [
        (200, "overview"),
        (200, "pillar 1"),
        (200, f"overview {other}"),
        (200, "province 53, every plan changed"),
        (200, "province 53, 1 plan changed"),
    ]
    # every page answered 200, warm and right after a change, as a reader who may open it
    for m in pages:
        assert m.error == "", m.error
        assert 0 < m.queries <= timing.QUERY_BUDGET
        assert 0 < m.cold_queries <= timing.QUERY_BUDGET
        assert None not in (m.median_ms, m.cold_ms, m.bare_ms)
        assert f"| {m.size:,} (" in report.table
    # the province view reads all four plans; its bare aggregate too
    assert pages[3].plan_entries == pages[4].plan_entries == 200
    assert "FAIL" not in report.table
    assert "80 added" in text


def test_a_page_that_does_not_answer_is_a_failure(plan):
    """No falling back to something else: the row says FAIL and why, below the table."""
    province = data.build_province(regencies=2)
    stranger = Client()
    stranger.force_login(data.bench_user(Region.objects.get(code=f"{data.SYNTHETIC_PROVINCE}.01"), "stranger"))
    page = timing.Page("province 53", "province:province", ["53"], stranger, province.plans)
    m = timing.measure_pages([page], 0, runs=1)[0]
    assert m.error == f"BenchError: GET {reverse('province:province', args=['53'])} answered 404"
    assert m.median_ms is None and m.cold_ms is None and m.bare_ms is not None
    assert timing.verdict(m, "postgresql") == ("", "FAIL")
    table = timing.format_table([m], "postgresql")
    assert "| province 53 | — | — | — |" in table
    assert f"- province 53 at 0: {m.error}" in table


def test_verdicts_apply_the_budgets():
    page = timing.Measure(1_000_000, 45_000, "overview", "page", median_ms=300, queries=12, bare_ms=100)
    assert timing.verdict(page, "postgresql")[1] == "MISS: 3.0× bare"
    page.median_ms = 180
    assert timing.verdict(page, "postgresql")[1] == "PASS"
    page.cold_ms, page.cold_queries = 520, 16  # right after a change: the figures computed again
    assert timing.verdict(page, "postgresql")[1] == "MISS: 16 queries, 520 ms after a change"
    assert timing.verdict(page, "sqlite") == ("q ≤ 15", "MISS: 16 queries")
    pdf = timing.Measure(1_000_000, 45_000, "PDF 2022", "pdf", median_ms=6000, queries=20)
    assert timing.verdict(pdf, "postgresql") == ("< 5 s", "MISS: 6.0 s")
    assert timing.verdict(pdf, "sqlite")[1] == "info"


def test_in_place_refuses_any_database_but_the_bench_one(db):
    with pytest.raises(CommandError, match="only in the bench database"):
        call_command("bench", "--in-place", "--sizes", "10")
