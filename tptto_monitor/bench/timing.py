"""The timings behind `manage.py bench`: pages, summaries, the bare aggregate, and the table."""

from __future__ import annotations

import io
import logging
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import django
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import EntryStatus, Indicator, Kind, ProgressEntry
from programs.models import Plan
from reports.files import summary
from tptto_monitor.bench.data import (
    NATIONAL_USER,
    PROVINCE_USER,
    REGENCIES,
    REGENCY_USER,
    Province,
    add_entries,
    analyze,
    bench_user,
    build_province,
)

QUERY_BUDGET = 15
RATIO_BUDGET = 2.0
PAGE_MS_BUDGET = 500.0
BUDGET_SIZE = 1_000_000  # the time budgets apply at this size on PostgreSQL
FILE_BUDGETS_MS = {"pdf": 5000.0, "xlsx": 2000.0}
WRITE_SECONDS_BUDGET = 10.0  # a verified write shows on the national page within this (issue 20)

# ---------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------


class BenchError(Exception):
    pass


@dataclass
class Measure:
    size: int
    plan_entries: int
    what: str
    kind: str  # "page" or "pdf" / "xlsx"
    median_ms: float | None = None
    queries: int | None = None
    bare_ms: float | None = None
    cold_ms: float | None = None  # right after a write to every plan (no plan's figures cached)
    cold_queries: int | None = None
    one_ms: float | None = None  # right after a write to one plan (the others' figures cached)
    flushed_ms: float | None = None  # with the cache flushed (as after a restart of a per-process cache)
    flushed_queries: int | None = None
    peak_mb: float | None = None  # the worker's peak resident memory while it was measured
    error: str = ""  # why the page or file could not be measured (a page that did not answer 200)

    @property
    def ratio(self) -> float | None:
        if self.median_ms is None or not self.bare_ms:
            return None
        return self.median_ms / self.bare_ms


def timed(fn: Callable[[], object], runs: int) -> tuple[float, int]:
    """(median ms over `runs` calls after one warm-up, SQL queries of one call)."""
    fn()
    connection.queries_log.clear()  # a full log (9000 entries) would make the capture count 0
    with CaptureQueriesContext(connection) as captured:
        fn()
    queries = len(captured.captured_queries)  # read now: the next request resets the log
    times = []
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), queries


def timed_cold(fn: Callable[[], object], before: Callable[[], object], runs: int) -> tuple[float, int]:
    """(median ms of `fn` over `runs` calls, each right after `before` (untimed), SQL queries of one call)."""
    times, queries = [], None
    for _ in range(max(runs, 1)):
        before()
        if queries is None:
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
            queries = len(captured.captured_queries)
            continue
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), queries


def bare_aggregate_sql(plans: list[Plan], pillar_number: int | None = None) -> tuple[str, list]:
    """The one GROUP BY a page cannot do without: verified entries of the plans by indicator × year × semester."""
    q = connection.ops.quote_name
    entry, indicator = ProgressEntry._meta, Indicator._meta
    col = {name: q(entry.get_field(name).column) for name in ("indicator", "year", "semester", "status")}
    sums = ", ".join(
        f"SUM(e.{q(entry.get_field(n).column)})"
        for n in ("value", "numerator", "denominator", "male", "female", "child", "adult")
    )
    sql = (
        f"SELECT e.{col['indicator']}, e.{col['year']}, e.{col['semester']}, {sums}, COUNT(*) "  # noqa: S608
        f"FROM {q(entry.db_table)} e JOIN {q(indicator.db_table)} i ON i.{q('id')} = e.{col['indicator']} "
        f"WHERE i.{q(indicator.get_field('plan').column)} IN ({', '.join(['%s'] * len(plans))}) "
        f"AND e.{col['status']} = %s"
    )
    params: list = [plan.id for plan in plans] + [str(EntryStatus.VERIFIED)]
    if pillar_number is not None:
        ids = list(
            Indicator.objects.filter(plan__in=plans, activity__program__pillar__number=pillar_number).values_list(
                "id", flat=True
            )
        )
        sql += f" AND e.{col['indicator']} IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    sql += f" GROUP BY e.{col['indicator']}, e.{col['year']}, e.{col['semester']}"
    return sql, params


def _run_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


@dataclass
class Page:
    """A page timed through the test client, as a reader who may open it."""

    what: str
    url_name: str
    args: list
    client: Client
    plans: list[Plan]  # whose figures it shows (the bare aggregate reads their entries)
    pillar_number: int | None = None
    one: Plan | None = None  # the plan written to before "after a write to one plan" (None: the first of `plans`)
    every: list[Plan] | None = None  # the plans written to before "after a write to every plan" (None: `plans`)


def bench_pages(province: Province) -> list[Page]:
    """The real plan's overview and first pillar, a synthetic regency's overview (as one of her people), the
    province view of the real plan's province (as a province reviewer), and the national view with its XLSX (as a
    person of the country). Each warm, after a write to one plan, after a write to every plan (as on the first
    view of a day, the day being part of the cached figures' key) and with the cache flushed."""
    plan, other = province.base, province.synthetic_plans[0] if province.synthetic_plans else province.base
    region = province.province
    home = [p for p in province.plans if p.region.parent_id == region.id]

    def client(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    reviewer = client(bench_user(plan.region))
    neighbour = client(bench_user(other.region, REGENCY_USER))
    province_reviewer = client(bench_user(region, PROVINCE_USER))
    national = client(bench_user(username=NATIONAL_USER, national=True))
    every = province.plans
    return [
        Page("overview", "reports:overview", [plan.code], reviewer, [plan], every=every),
        Page("pillar 1", "reports:pillar", [plan.code, 1], reviewer, [plan], pillar_number=1, every=every),
        Page(f"overview {other.code}", "reports:overview", [other.code], neighbour, [other], every=every),
        Page(f"province {region.code}", "province:province", [region.code], province_reviewer, home, one=other),
        Page("national", "national:national", [], national, every, one=other),
        Page("national XLSX", "national:download", [], national, every, one=other),
    ]


def measure_pages(pages: list[Page], size: int, runs: int) -> list[Measure]:
    # a failing page is reported in the table, once, not as a traceback per request; and the one-line
    # log of every request (hundreds per size) would bury the table
    logging.disable(logging.ERROR)
    try:
        return [measure_page(page, size, runs) for page in pages]
    finally:
        logging.disable(logging.NOTSET)


def peak_reset() -> None:
    """Start a new peak of the worker's resident memory (Linux: 5 to /proc/self/clear_refs resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def peak_mb() -> float | None:
    """The worker's peak resident memory since the last `peak_reset` (VmHWM), else of its whole life."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except (ImportError, OSError):
        return None


def write_to(plans: list[Plan]) -> Callable[[], None]:
    """What a write does to the cached figures: the data version of each plan written to moves."""

    def write():
        for plan in plans:
            Plan.bump_data_version(plan.pk)

    return write


def measure_modes(m: Measure, fn: Callable[[], object], one: Plan, every: list[Plan], runs: int) -> None:
    """Time `fn` warm, after a write to one plan, after a write to every plan and with the cache flushed, and the
    worker's peak memory over all of it."""
    peak_reset()
    m.median_ms, m.queries = timed(fn, runs)
    m.one_ms, _ = timed_cold(fn, write_to([one]), runs)
    m.cold_ms, m.cold_queries = timed_cold(fn, write_to(every), runs)
    m.flushed_ms, m.flushed_queries = timed_cold(fn, cache.clear, runs)
    m.peak_mb = peak_mb()


def measure_page(page: Page, size: int, runs: int) -> Measure:
    """The page in every mode (`measure_modes`); one that does not answer 200 is an error."""
    plan_entries = ProgressEntry.objects.filter(indicator__plan__in=page.plans).count()
    m = Measure(size, plan_entries, page.what, "page")

    def get():
        response = page.client.get(url)
        if response.status_code != 200:
            raise BenchError(f"GET {url} answered {response.status_code}")
        return response

    try:
        url = reverse(page.url_name, args=page.args)
        measure_modes(m, get, page.one or page.plans[0], page.every or page.plans, runs)
    except Exception as exc:  # reported in the table; the bench carries on
        m.error = f"{type(exc).__name__}: {exc}"[:200]
    sql, params = bare_aggregate_sql(page.plans, page.pillar_number)
    m.bare_ms, _ = timed(lambda: _run_sql(sql, params), runs)
    return m


def measure_files(
    plan: Plan, size: int, plan_entries: int, runs: int, every: list[Plan] | None = None
) -> list[Measure]:
    year = plan.end_year
    results = []
    for fmt in ("pdf", "xlsx"):
        m = Measure(size, plan_entries, f"{fmt.upper()} {year}", fmt)
        try:
            measure_modes(
                m,
                lambda fmt=fmt: summary.build(plan, year, fmt, "id", as_of=timezone.localdate()),
                plan,
                every or [plan],
                runs,
            )
        except Exception as exc:  # reported in the table; the bench carries on
            m.error = f"{type(exc).__name__}: {exc}"[:160]
        results.append(m)
    return results


def write_to_national(page: Page, plan: Plan, timeout: float = 60.0) -> float | None:
    """Seconds from a verified entry's commit (to a summed indicator of `plan` in the national view's year) to the
    first national page that shows different figures; None if none did within `timeout`. The entry is removed
    afterwards, so that the data stays the generator's."""
    url = reverse(page.url_name, args=page.args)
    before = page.client.get(url).content
    year = _national_year(plan)
    indicator = (
        Indicator.objects.filter(plan=plan, kind=Kind.COUNT).exclude(standard_tag="").order_by("id").first()
        or Indicator.objects.filter(plan=plan, kind=Kind.COUNT).order_by("id").first()
    )
    if indicator is None or year is None:
        return None
    someone = User.objects.get(username=NATIONAL_USER)
    now = timezone.now()
    with transaction.atomic():
        entry = ProgressEntry.objects.create(
            indicator=indicator, agency_id=indicator.agency_id, year=year, semester=1, date=f"{year}-01-15",
            value=987_654, status=EntryStatus.VERIFIED, created_by=someone, submitted_by=someone, submitted_at=now,
            verified_by=someone, verified_at=now,
        )  # fmt: skip
    start = time.perf_counter()
    try:
        while time.perf_counter() - start < timeout:
            if page.client.get(url).content != before:
                return time.perf_counter() - start
            time.sleep(0.2)
        return None
    finally:
        entry.delete()


def _national_year(plan: Plan) -> int | None:
    """The year the national page shows by default: the plan's year the view picked (or its last year)."""
    from reports.national.overview import build

    view = build(None, as_of=timezone.localdate())
    return view.year if view.year is not None and plan.contains_year(view.year) else None


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _time_budgets_apply(m: Measure, vendor: str) -> bool:
    return vendor == "postgresql" and m.size >= BUDGET_SIZE


def verdict(m: Measure, vendor: str) -> tuple[str, str]:
    """(the budget that applies, PASS / MISS with the reason / FAIL: not measured, the reason below the table).

    A page's budgets hold warm and right after a change (figures recomputed), but the ratio to the bare
    aggregate, which is the floor of a page whose figures are cached."""
    if m.error:
        return "", "FAIL"
    misses = []
    if m.kind == "page":
        budget = f"q ≤ {QUERY_BUDGET}"
        for queries in dict.fromkeys(q for q in (m.queries, m.cold_queries, m.flushed_queries) if q is not None):
            if queries > QUERY_BUDGET:
                misses.append(f"{queries} queries")
        if _time_budgets_apply(m, vendor):
            budget += f", ≤ {RATIO_BUDGET:g}× bare, < {PAGE_MS_BUDGET:g} ms"
            if m.ratio is not None and m.ratio > RATIO_BUDGET:
                misses.append(f"{m.ratio:.1f}× bare")
            for ms, when in _times(m):
                if ms is not None and ms >= PAGE_MS_BUDGET:
                    misses.append(f"{ms:,.0f} ms{when}")
    else:
        limit = FILE_BUDGETS_MS[m.kind]
        if not _time_budgets_apply(m, vendor):
            return f"(< {limit / 1000:g} s at 1M on PostgreSQL)", "info"
        budget = f"< {limit / 1000:g} s"
        for ms, when in _times(m):
            if ms is not None and ms >= limit:
                misses.append(f"{ms / 1000:.1f} s{when}")
    return budget, ("MISS: " + ", ".join(misses)) if misses else "PASS"


def _times(m: Measure) -> tuple[tuple[float | None, str], ...]:
    return (
        (m.median_ms, ""),
        (m.one_ms, " after a write to one plan"),
        (m.cold_ms, " after a write to every plan"),
        (m.flushed_ms, " flushed"),
    )


def _queries(m: Measure) -> str:
    if m.queries is None:
        return "—"
    return " / ".join(str(q) for q in (m.queries, m.cold_queries, m.flushed_queries) if q is not None)


def format_table(results: list[Measure], vendor: str, latencies: dict[int, float | None] | None = None) -> str:
    header = [
        "entries (of its plans)",
        "what",
        "warm ms",
        "one plan written ms",
        "every plan written ms",
        "cache flushed ms",
        "queries (warm / written / flushed)",
        "peak MB",
        "bare aggregate ms",
        "page ÷ bare",
        "budget",
        "verdict",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    notes: list[str] = []
    for m in results:
        budget, word = verdict(m, vendor)
        if m.error:
            notes.append(f"{m.what} at {m.size:,}: {m.error}")
        ratio = "—" if m.ratio is None else f"{m.ratio:.1f}×"
        cells = [
            f"{m.size:,} ({m.plan_entries:,})",
            m.what,
            _ms(m.median_ms),
            _ms(m.one_ms),
            _ms(m.cold_ms),
            _ms(m.flushed_ms),
            _queries(m),
            "—" if m.peak_mb is None else f"{m.peak_mb:,.0f}",
            _ms(m.bare_ms),
            ratio,
            budget,
            word,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if notes:
        lines.append("")
        lines.append("FAIL: not measured:")
        lines += [f"- {note}" for note in dict.fromkeys(notes)]
    # the query count must not grow with the data
    lines.append("")
    for what in dict.fromkeys(m.what for m in results if m.kind == "page"):
        counts = [_queries(m) for m in results if m.what == what and m.queries is not None]
        if len(counts) > 1:
            same = len(set(counts)) == 1
            lines.append(
                f"Queries for {what} by size: {', '.join(counts)} → "
                f"{'independent of the data size: PASS' if same else 'grows with the data: MISS'}"
            )
    for size, seconds in (latencies or {}).items():
        seen = "not seen within 60 s: MISS" if seconds is None else f"{seconds:.2f} s"
        verdict_ = "" if seconds is None else (": PASS" if seconds <= WRITE_SECONDS_BUDGET else ": MISS")
        lines.append(f"A verified write to the national page at {size:,}: {seen}{verdict_}")
    return "\n".join(lines)


def environment_line() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]}"
    return (
        f"{timezone.localtime():%Y-%m-%d %H:%M %Z} · {db} · {os.cpu_count()} CPU cores · "
        f"Python {platform.python_version()} · Django {django.get_version()} · {_load()}"
    )


def _load() -> str:
    """The machine's load: other processes on a 2-core machine move the timings."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load average {one:.2f} / {five:.2f}"


@dataclass
class BenchRun:
    results: list[Measure] = field(default_factory=list)
    latencies: dict[int, float | None] = field(default_factory=dict)  # size → write to national page, seconds
    table: str = ""


def run(
    sizes: list[int],
    *,
    runs: int = 7,
    file_runs: int = 3,
    regencies: int = REGENCIES,
    seed: int = 20180101,
    out=None,
    files: bool = True,
    measure: bool = True,
) -> BenchRun:
    """Grow the data to each size in turn and measure (unless `measure` is False: the data only, to be measured
    later with --reuse); print progress and the table to `out`."""
    out = out or io.StringIO()

    def say(text: str) -> None:
        out.write(text + "\n")
        if hasattr(out, "flush"):
            out.flush()

    province = build_province(regencies=regencies)
    user = bench_user(province.base.region)
    pages = bench_pages(province)
    plan = province.base  # the real plan; the others are its synthetic copies
    say(environment_line())
    say(
        f"{len(province.plans)} plans ({len(province.indicators):,} indicators); "
        f"in {province.provinces} provinces; pages show {plan.code}, {pages[2].plans[0].code}, the province "
        f"{province.province.code} ({len(pages[3].plans)} plans) and the nation; entries are spread evenly "
        "over all plans."
    )
    report = BenchRun()
    vendor = connection.vendor
    for size in sorted(set(sizes)):
        have = ProgressEntry.objects.count()
        start = time.perf_counter()
        add_entries(province, size - have, user_id=user.id, seed=seed + have)
        analyze()
        loaded = time.perf_counter() - start
        total = ProgressEntry.objects.count()
        plan_entries = ProgressEntry.objects.filter(indicator__plan=plan).count()
        say(
            f"{total:,} entries ({max(size - have, 0):,} added and analysed in {loaded:.1f} s); "
            f"{plan_entries:,} in {plan.code}; {_load()}"
        )
        if not measure:
            continue
        # measured as in production: DEBUG off (no query log, no debug templates), plain static URLs
        with override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=["testserver"],
            SECURE_SSL_REDIRECT=False,
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        ):
            measured = measure_pages(pages, total, runs)
            if files:
                measured += measure_files(plan, total, plan_entries, file_runs, province.plans)
            logging.disable(logging.ERROR)
            try:
                report.latencies[total] = write_to_national(
                    pages[4], province.synthetic_plans[-1] if province.synthetic_plans else plan
                )
            finally:
                logging.disable(logging.NOTSET)
        for m in measured:
            say(
                f"  {m.what:<34} {_ms(m.median_ms):>10} ms  {_queries(m):>7} queries"
                f"  bare {_ms(m.bare_ms)} ms"
                f"  one written {_ms(m.one_ms)}  every written {_ms(m.cold_ms)}  flushed {_ms(m.flushed_ms)} ms"
                f"  peak {'—' if m.peak_mb is None else f'{m.peak_mb:,.0f}'} MB"
                f"{'  ' + m.error if m.error else ''}"
            )
        report.results += measured
        seconds = report.latencies[total]
        say(f"  a verified write on the national page: {'not seen' if seconds is None else f'{seconds:.2f} s'}")
    report.table = format_table(report.results, vendor, report.latencies)
    say("")
    say(report.table)
    return report
