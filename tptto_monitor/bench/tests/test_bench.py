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

    # 4 plans: the real one and 3 synthetic copies, on the first three other regencies of its province (NTT),
    # each with its real kecamatan (Kemendagri codes, from idn-area-data)
    plans = Plan.objects.order_by("code")
    assert plans.count() == 4
    synthetic = plans.filter(code__startswith=data.PLAN_PREFIX).order_by("id")
    assert [p.region.code for p in synthetic] == ["53.01", "53.02", "53.04"]
    assert [p.region.name for p in synthetic] == [
        "Kabupaten Kupang",
        "Kabupaten Timor Tengah Selatan",
        "Kabupaten Belu",
    ]
    assert all(p.region.parent == plan.region.parent for p in synthetic)
    kecamatan = Region.objects.filter(level="kecamatan", parent__in=[p.region for p in synthetic])
    assert kecamatan.count() == REAL_KECAMATAN["53.01"] + REAL_KECAMATAN["53.02"] + REAL_KECAMATAN["53.04"]
    assert not kecamatan.exclude(code__regex=r"^53\.0[124]\.\d{2}$").exists()
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

    # the table: one row per size and page: warm, after a write to one plan, to every plan (once the background
    # work ran, and before it), with the cache flushed
    text = out.getvalue()
    assert (
        "| entries (of its plans) | what | warm ms | one plan written ms | every plan written ms "
        "| … before the recompute ms | cache flushed ms "
        "| queries (warm / written / flushed) | peak MB | bare aggregate ms | page ÷ bare |" in text
    )
    pages = [m for m in report.results if m.kind == "page"]
    other = synthetic.first().code
    assert [(m.size, m.what) for m in pages] == [
        (200, "overview"),
        (200, "pillar 1"),
        (200, f"overview {other}"),
        (200, "province 53"),
        (200, "national"),
        (200, "national XLSX"),
    ]
    # every page answered 200, warm and right after a change, as a reader who may open it
    for m in pages:
        assert m.error == "", m.error
        assert 0 < m.queries <= timing.QUERY_BUDGET
        # written or flushed, the province and national views take 18 queries on main today (over the budget of
        # 15: the table says MISS); counted, not asserted here
        assert m.cold_queries > 0
        assert m.flushed_queries > 0
        assert None not in (m.median_ms, m.one_ms, m.cold_ms, m.running_ms, m.flushed_ms, m.bare_ms)
        assert m.peak_mb > 20  # this process: Django and its data
        assert f"| {m.size:,} (" in report.table
    # the province view and the national view read all four plans; their bare aggregate too
    assert pages[3].plan_entries == pages[4].plan_entries == pages[5].plan_entries == 200
    assert "FAIL" not in report.table
    # a verified write showed on the national page (computed when asked for, today), and was taken away again
    assert 0 < report.latencies[200] < 60
    assert f"A verified write to the national page at 200: {report.latencies[200]:.2f} s" in report.table
    assert ProgressEntry.objects.count() == 200
    assert "80 added" in text
    # rebuild_figures timed at each size, over every plan (the 4 plans of the bench)
    assert report.rebuilds[200][0] == 4
    assert f"rebuild_figures of 4 plans at 200: {report.rebuilds[200][1]:,.1f} s" in report.table


def test_a_page_that_does_not_answer_is_a_failure(plan):
    """No falling back to something else: the row says FAIL and why, below the table."""
    province = data.build_province(regencies=2)
    stranger = Client()
    stranger.force_login(data.bench_user(Region.objects.get(code="53.01"), "stranger"))
    page = timing.Page("province 53", "province:province", ["53"], stranger, province.plans)
    m = timing.measure_pages([page], 0, runs=1)[0]
    assert m.error == f"BenchError: GET {reverse('province:province', args=['53'])} answered 404"
    assert m.median_ms is None and m.cold_ms is None and m.bare_ms is not None
    assert timing.verdict(m, "postgresql") == ("", "FAIL")
    table = timing.format_table([m], "postgresql")
    assert "| province 53 | — | — | — |" in table
    assert f"- province 53 at 0: {m.error}" in table


REAL_KECAMATAN = {"53.01": 24, "53.02": 32, "53.04": 12}  # Kemendagri, as idn-area-data lists them


def test_the_regencies_spread_over_the_country_province_by_province(plan):
    """After the real plan's province (22 regencies: 21 others), whole provinces in code order: plan 22 is Aceh's
    first regency, and all 513 others take every regency of the country but the real plan's once."""
    slots = data.regency_slots(plan.region)
    assert len(slots) == data.COUNTRY_REGENCIES - 1
    assert len({s.regency[0] for s in slots}) == len(slots) and plan.region.code not in {s.regency[0] for s in slots}
    assert {s.province[0] for s in slots[:21]} == {"53"}
    assert slots[21].regency == ("11.01", "Kabupaten Aceh Selatan") and slots[21].province == ("11", "Aceh")
    assert len({s.province[0] for s in slots}) == 38
    made = data._regions(plan, [22])[22]
    assert (made.code, made.level, made.parent.code, made.parent.level) == ("11.01", "kabupaten", "11", "provinsi")
    kecamatan = Region.objects.filter(parent=made, level="kecamatan")
    assert kecamatan.count() == len(slots[21].kecamatan) > 0
    assert kecamatan.filter(code="11.01.01", name="Bakongan").exists()


def test_regencies_beyond_the_country_are_refused(db):
    with pytest.raises(CommandError, match="514 regencies"):
        call_command("bench", "--regencies", "515", "--sizes", "10")


def test_verdicts_apply_the_budgets():
    page = timing.Measure(1_000_000, 45_000, "overview", "page", median_ms=300, queries=12, bare_ms=100)
    assert timing.verdict(page, "postgresql")[1] == "MISS: 3.0× bare, 300 ms"  # and over 200 ms
    page.median_ms = 180
    assert timing.verdict(page, "postgresql")[1] == "PASS"
    page.median_ms = 200  # issue 20: at most 200 ms
    assert timing.verdict(page, "postgresql")[1] == "PASS"
    page.cold_ms, page.cold_queries = 201, 16  # after a write to every plan, once the recompute ran
    assert timing.verdict(page, "postgresql")[1] == "MISS: 16 queries, 201 ms after a write to every plan"
    page.cold_ms, page.running_ms = 150, 400  # while the recompute runs: at most twice the budget
    assert timing.verdict(page, "postgresql")[1] == "MISS: 16 queries"
    page.running_ms, page.flushed_ms, page.flushed_queries = 401, 610, 16
    assert timing.verdict(page, "postgresql")[1] == "MISS: 16 queries, 610 ms flushed, 401 ms while the recompute runs"
    assert timing.verdict(page, "sqlite") == ("q ≤ 15", "MISS: 16 queries")
    pdf = timing.Measure(1_000_000, 45_000, "PDF 2022", "pdf", median_ms=250, queries=20)
    assert timing.verdict(pdf, "postgresql") == ("≤ 200 ms, built ahead", "MISS: 250 ms")
    assert timing.verdict(pdf, "sqlite")[1] == "info"


def test_in_place_refuses_any_database_but_the_bench_one(db):
    with pytest.raises(CommandError, match="only in the bench database"):
        call_command("bench", "--in-place", "--sizes", "10")
