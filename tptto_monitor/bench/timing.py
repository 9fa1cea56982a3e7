"""The timings behind `manage.py bench`: pages, summaries, the bare aggregate, and the table."""

from __future__ import annotations

import io
import logging
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import django
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from indicators.management.commands.rebuild_figures import STEPS
from indicators.models import EntryStatus, Indicator, Kind, ProgressEntry
from indicators.tallies import plan_figures
from programs.models import Plan
from reports.built.summary_files import summary_file
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
from tptto_monitor.lib.queue import jobs_cache

QUERY_BUDGET = 15
RATIO_BUDGET = 2.0
PAGE_MS_BUDGET = 200.0  # issue 20: warm, flushed, and after writes once the background work has run
RUNNING_MS_BUDGET = 2 * PAGE_MS_BUDGET  # … and at most twice that while it runs
BUDGET_SIZE = 1_000_000  # the time budgets apply at this size on PostgreSQL
FILE_BUDGETS_MS = {"pdf": PAGE_MS_BUDGET, "xlsx": PAGE_MS_BUDGET}  # a download reads the file built ahead
WRITE_SECONDS_BUDGET = 10.0  # a verified write shows on the national page within this (issue 20)
REBUILD_SECONDS_BUDGET = 300.0  # a full rebuild_figures (issue 20: 514 plans in at most 5 minutes)

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
    cold_ms: float | None = None  # after a write to every plan, once the background work (recompute, files) ran
    cold_queries: int | None = None
    running_ms: float | None = None  # right after a write to every plan, before the background work has run
    one_ms: float | None = None  # after a write to one plan, once its background work ran
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
    stored: bool = False  # it reads the plans' stored figures (province, nation): the background recompute matters


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
        Page(
            f"province {region.code}",
            "province:province",
            [region.code],
            province_reviewer,
            home,
            one=other,
            stored=True,
        ),
        Page("national", "national:national", [], national, every, one=other, stored=True),
        Page("national XLSX", "national:download", [], national, every, one=other, stored=True),
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


def write_to(plans: list[Plan], settle: Callable[[list[Plan]], object] | None = None) -> Callable[[], None]:
    """What a write does: the data version of each plan written to moves; then, with `settle`, the background
    work that follows a write (the stored figures recomputed, the files built), done here in place of the worker
    so that it is over before the page is timed."""

    def write():
        for plan in plans:
            Plan.bump_data_version(plan.pk)
        if settle is not None:
            fresh = list(Plan.objects.filter(pk__in=[plan.pk for plan in plans]))  # their new data versions
            settle(fresh)

    return write


def store_figures(plans: list[Plan]) -> None:
    """The background recompute of the plans' stored figures (plan_figures.recompute_plan's work), in chunks."""
    plan_figures.rebuild(plans, as_of=timezone.localdate())


def measure_modes(
    m: Measure,
    fn: Callable[[], object],
    one: Plan,
    every: list[Plan],
    runs: int,
    settle: Callable[[list[Plan]], object] | None = None,
) -> None:
    """Time `fn` warm; after a write to one plan and after a write to every plan, each once the background work
    (`settle`) has run; right after a write to every plan, while that work has yet to run; and with the cache
    flushed; and the worker's peak memory over all of it. The modes over every plan run at most twice: at a
    nation's size one write to every plan and its recompute take minutes."""
    peak_reset()
    m.median_ms, m.queries = timed(fn, runs)
    m.one_ms, _ = timed_cold(fn, write_to([one], settle), runs)
    few = min(runs, 2)
    m.running_ms, _ = timed_cold(fn, write_to(every), few)
    m.cold_ms, m.cold_queries = timed_cold(fn, write_to(every, settle), few)
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
        settle = store_figures if page.stored else None
        measure_modes(m, get, page.one or page.plans[0], page.every or page.plans, runs, settle)
    except Exception as exc:  # reported in the table; the bench carries on
        m.error = f"{type(exc).__name__}: {exc}"[:200]
    sql, params = bare_aggregate_sql(page.plans, page.pillar_number)
    m.bare_ms, _ = timed(lambda: _run_sql(sql, params), runs)
    return m


def measure_files(
    plan: Plan, size: int, plan_entries: int, runs: int, every: list[Plan] | None = None
) -> list[Measure]:
    """The year summary as a download reads it (reports.built.summary_files.summary_file): the file built ahead,
    or, right after a write and before the build has run, built in the request."""
    year = plan.end_year
    results = []
    for fmt in ("pdf", "xlsx"):
        m = Measure(size, plan_entries, f"{fmt.upper()} {year}", fmt)

        def download(fmt=fmt) -> bytes:
            return summary_file(Plan.objects.get(pk=plan.pk), year, fmt, "id")  # the plan read per request

        def build_ahead(plans: list[Plan], download=download) -> None:
            if any(p.pk == plan.pk for p in plans):
                download()  # no build under way: the download builds the file once and stores it for the next

        try:
            measure_modes(m, download, plan, every or [plan], runs, build_ahead)
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
    # the measurements' writes queued recomputes and builds that no worker ran (their work was done in place):
    # the worker started now must find only the recompute this write queues, as on a quiet day
    DBTaskResult.objects.all().delete()
    jobs_cache().clear()
    worker = start_worker()
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
        worker.terminate()
        worker.wait(timeout=60)
        entry.delete()


def start_worker() -> subprocess.Popen:
    """`manage.py db_worker` on the bench database (the environment's DATABASE_URL), as `make serve` runs one."""
    manage = str(settings.BASE_DIR / "manage.py")
    return subprocess.Popen([sys.executable, manage, "db_worker", "--verbosity", "0"])  # noqa: S603


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
                if ms is not None and ms > PAGE_MS_BUDGET:
                    misses.append(f"{ms:,.0f} ms{when}")
            budget += f" (≤ {RUNNING_MS_BUDGET:g} ms while the recompute runs)"
            if running := _running_miss(m):
                misses.append(running)
    else:
        limit = FILE_BUDGETS_MS[m.kind]
        if not _time_budgets_apply(m, vendor):
            return f"(≤ {limit:g} ms at 1M on PostgreSQL)", "info"
        budget = f"≤ {limit:g} ms, built ahead"
        for ms, when in _times(m):
            if ms is not None and ms > limit:
                misses.append(f"{ms:,.0f} ms{when}")
    return budget, ("MISS: " + ", ".join(misses)) if misses else "PASS"


def _times(m: Measure) -> tuple[tuple[float | None, str], ...]:
    return (
        (m.median_ms, ""),
        (m.one_ms, " after a write to one plan"),
        (m.cold_ms, " after a write to every plan"),
        (m.flushed_ms, " flushed"),
    )


def _running_miss(m: Measure) -> str | None:
    """A page over its budget while the background work after a write to every plan has yet to run."""
    if m.running_ms is not None and m.running_ms > RUNNING_MS_BUDGET:
        return f"{m.running_ms:,.0f} ms while the recompute runs"
    return None


def _queries(m: Measure) -> str:
    if m.queries is None:
        return "—"
    return " / ".join(str(q) for q in (m.queries, m.cold_queries, m.flushed_queries) if q is not None)


def format_table(
    results: list[Measure],
    vendor: str,
    latencies: dict[int, float | None] | None = None,
    rebuilds: dict[int, tuple[int, float]] | None = None,
) -> str:
    header = [
        "entries (of its plans)",
        "what",
        "warm ms",
        "one plan written ms",
        "every plan written ms",
        "… before the recompute ms",
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
            _ms(m.running_ms),
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
    for size, (plans, seconds) in (rebuilds or {}).items():
        verdict_ = "PASS" if seconds * 514 / max(plans, 1) <= REBUILD_SECONDS_BUDGET else "MISS"
        lines.append(
            f"rebuild_figures of {plans} plans at {size:,}: {seconds:,.1f} s "
            f"(≤ {REBUILD_SECONDS_BUDGET:g} s for 514 plans, scaled by the plans: {verdict_})"
        )
    return "\n".join(lines)


def rebuild_figures(say: Callable[[str], None]) -> tuple[int, float]:
    """Every step of `manage.py rebuild_figures` over every plan, timed: (plans, seconds)."""
    plans = Plan.objects.count()
    start = time.perf_counter()
    for label, step in STEPS:
        done = step(None)
        say(f"  rebuild_figures · {label}: {done.rows:,} rows in {done.seconds:.1f} s")
    return plans, time.perf_counter() - start


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
    rebuilds: dict[int, tuple[int, float]] = field(default_factory=dict)  # size → (plans, rebuild_figures seconds)
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
        report.rebuilds[total] = rebuild_figures(say)
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
                f"  one written {_ms(m.one_ms)}  every written {_ms(m.cold_ms)} (before the recompute"
                f" {_ms(m.running_ms)})  flushed {_ms(m.flushed_ms)} ms"
                f"  peak {'—' if m.peak_mb is None else f'{m.peak_mb:,.0f}'} MB"
                f"{'  ' + m.error if m.error else ''}"
            )
        report.results += measured
        seconds = report.latencies[total]
        say(f"  a verified write on the national page: {'not seen' if seconds is None else f'{seconds:.2f} s'}")
    report.table = format_table(report.results, vendor, report.latencies, report.rebuilds)
    say("")
    say(report.table)
    return report
