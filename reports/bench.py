"""Province-scale synthetic data and the timings behind `manage.py bench`.

Issue 4 (item 4) and issue 5 (item 5). The data is "as for a province of 22
regencies": the real plan plus 21 synthetic copies of it, one per synthetic
regency with 24 synthetic kecamatan each. Synthetic regions use the province
code 99, which Kemendagri does not assign, so `99.xx` / `99.xx.yy` can never
collide with a real region; synthetic plans are coded `bench-xx`. Entries are
spread over every plan, indicator kind, year and semester; most are verified.

This module writes to whatever database is connected. The `bench` command
calls it only inside its own throw-away database; the test calls it inside the
test database.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import io
import logging
import os
import platform
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import django
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import EntryStatus, Indicator, Kind, MilestoneStatus, ProgressEntry, Target
from indicators.roles import REVIEWER
from indicators.rollup import Filters, compute
from programs.models import Activity, Pillar, Plan, Program, Region
from programs.periods import semesters

REGENCIES = 22
KECAMATAN_PER_REGENCY = 24
SYNTHETIC_PROVINCE = "99"  # not a Kemendagri province code
PLAN_PREFIX = "bench-"
BENCH_USER = "bench-reviewer"
BATCH = 10_000  # rows per INSERT batch (SQLite) and per transaction
COPY_BATCH = 100_000  # rows per COPY (PostgreSQL)

QUERY_BUDGET = 15
RATIO_BUDGET = 2.0
PAGE_MS_BUDGET = 500.0
BUDGET_SIZE = 1_000_000  # the time budgets apply at this size on PostgreSQL
FILE_BUDGETS_MS = {"pdf": 5000.0, "xlsx": 2000.0}

STATUSES = [EntryStatus.VERIFIED, EntryStatus.SUBMITTED, EntryStatus.DRAFT, EntryStatus.RETURNED]
STATUS_CUM_WEIGHTS = [85, 93, 97, 100]  # 85 % verified, 8 % submitted, 4 % draft, 3 % returned
MILESTONES = [MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS, MilestoneStatus.ACHIEVED]
MILESTONE_CUM_WEIGHTS = [20, 70, 100]
NARRATIVE = "Kegiatan sintetis untuk uji beban (bench). Tidak ada nama korban."


# ---------------------------------------------------------------------------
# The province: 22 plans
# ---------------------------------------------------------------------------


@dataclass
class Province:
    base: Plan
    plans: list[Plan]
    indicators: list[tuple[int, str, int, int]]  # id, kind, agency id, plan id
    kecamatan: dict[int, list[int]]  # plan id → ids of its regency's kecamatan

    @property
    def synthetic_plans(self) -> list[Plan]:
        return [p for p in self.plans if p.code.startswith(PLAN_PREFIX)]


def real_plan() -> Plan:
    plan = Plan.objects.exclude(code__startswith=PLAN_PREFIX).order_by("-start_year", "id").first()
    if plan is None:
        raise RuntimeError("No plan loaded: run load_plan first")
    return plan


@transaction.atomic
def build_province(base: Plan | None = None, regencies: int = REGENCIES) -> Province:
    """The real plan plus `regencies - 1` synthetic copies (created once, then reused)."""
    base = base or real_plan()
    existing = set(Plan.objects.filter(code__startswith=PLAN_PREFIX).values_list("code", flat=True))
    wanted = [n for n in range(1, regencies) if f"{PLAN_PREFIX}{n:02d}" not in existing]
    if wanted:
        _copy_plan(base, wanted)
    plans = [base, *Plan.objects.filter(code__startswith=PLAN_PREFIX).order_by("code")][:regencies]
    plan_ids = [p.id for p in plans]
    indicators = list(
        Indicator.objects.filter(plan_id__in=plan_ids).order_by("id").values_list("id", "kind", "agency_id", "plan_id")
    )
    kecamatan: dict[int, list[int]] = {}
    for plan in plans:
        kecamatan[plan.id] = list(
            Region.objects.filter(parent_id=plan.region_id, level=Region.Level.KECAMATAN)
            .order_by("code")
            .values_list("id", flat=True)
        )
    return Province(base, plans, indicators, kecamatan)


def _copy_plan(base: Plan, numbers: list[int]) -> None:
    """Synthetic regencies, their kecamatan and a copy of the plan tree for each (bulk inserts)."""
    prov = SYNTHETIC_PROVINCE
    Region.objects.bulk_create(
        [
            Region(code=f"{prov}.{n:02d}", name=f"Kabupaten Sintetis {n:02d}", level=Region.Level.KABUPATEN)
            for n in numbers
        ],
        ignore_conflicts=True,
    )
    regencies = {r.code: r for r in Region.objects.filter(code__in=[f"{prov}.{n:02d}" for n in numbers])}
    Region.objects.bulk_create(
        [
            Region(
                code=f"{prov}.{n:02d}.{k:02d}",
                name=f"Kecamatan Sintetis {n:02d}-{k:02d}",
                level=Region.Level.KECAMATAN,
                parent=regencies[f"{prov}.{n:02d}"],
            )
            for n in numbers
            for k in range(1, KECAMATAN_PER_REGENCY + 1)
        ],
        ignore_conflicts=True,
    )
    Plan.objects.bulk_create(
        [
            Plan(
                code=f"{PLAN_PREFIX}{n:02d}",
                name_id=f"{base.name_id} (salinan sintetis {n:02d})"[:300],
                name_en=f"{base.name_en} (synthetic copy {n:02d})"[:300],
                region=regencies[f"{prov}.{n:02d}"],
                start_year=base.start_year,
                end_year=base.end_year,
                source="Synthetic copy made by manage.py bench; not real data.",
            )
            for n in numbers
        ]
    )
    new_plans = list(Plan.objects.filter(code__in=[f"{PLAN_PREFIX}{n:02d}" for n in numbers]))

    base_pillars = list(Pillar.objects.filter(plan=base))
    Pillar.objects.bulk_create(
        [Pillar(plan=p, number=x.number, name_id=x.name_id, name_en=x.name_en) for p in new_plans for x in base_pillars]
    )
    pillar_ids = {
        (plan_id, number): pk
        for pk, plan_id, number in Pillar.objects.filter(plan__in=new_plans).values_list("id", "plan_id", "number")
    }

    base_programs = list(Program.objects.filter(pillar__plan=base).select_related("pillar"))
    Program.objects.bulk_create(
        [
            Program(
                pillar_id=pillar_ids[(p.id, x.pillar.number)], letter=x.letter, name_id=x.name_id, name_en=x.name_en
            )
            for p in new_plans
            for x in base_programs
        ]
    )
    program_ids = {
        (plan_id, number, letter): pk
        for pk, plan_id, number, letter in Program.objects.filter(pillar__plan__in=new_plans).values_list(
            "id", "pillar__plan_id", "pillar__number", "letter"
        )
    }

    base_activities = list(Activity.objects.filter(program__pillar__plan=base).select_related("program__pillar"))
    Activity.objects.bulk_create(
        [
            Activity(
                program_id=program_ids[(p.id, x.program.pillar.number, x.program.letter)],
                number=x.number,
                name_id=x.name_id,
                name_en=x.name_en,
            )
            for p in new_plans
            for x in base_activities
        ]
    )
    new_activities = Activity.objects.filter(program__pillar__plan__in=new_plans).values_list(
        "id", "program__pillar__plan_id", "program__pillar__number", "program__letter", "number"
    )
    activity_ids = {(plan_id, number, letter, act): pk for pk, plan_id, number, letter, act in new_activities}

    base_indicators = list(Indicator.objects.filter(plan=base).select_related("activity__program__pillar"))
    copied = ["number", "code", "text_id", "text_en", "kind", "unit_id", "unit_en", "plan_target", "agency_id"]
    copied += ["agency_inferred", "note_id", "note_en"]
    Indicator.objects.bulk_create(
        [
            Indicator(
                plan=p,
                activity_id=activity_ids[
                    (p.id, x.activity.program.pillar.number, x.activity.program.letter, x.activity.number)
                ],
                **{name: getattr(x, name) for name in copied},
            )
            for p in new_plans
            for x in base_indicators
        ]
    )
    indicator_ids = {
        (plan_id, code): pk
        for pk, plan_id, code in Indicator.objects.filter(plan__in=new_plans).values_list("id", "plan_id", "code")
    }
    base_targets = list(Target.objects.filter(indicator__plan=base).values_list("indicator__code", "year", "value"))
    Target.objects.bulk_create(
        [
            Target(indicator_id=indicator_ids[(p.id, code)], year=year, value=value)
            for p in new_plans
            for code, year, value in base_targets
        ]
    )


# ---------------------------------------------------------------------------
# Entries
# ---------------------------------------------------------------------------

# Columns the generator fills, in this order; every other column takes its field default.
GENERATED = [
    "indicator",
    "agency",
    "year",
    "semester",
    "date",
    "kecamatan",
    "value",
    "male",
    "female",
    "child",
    "adult",
    "numerator",
    "denominator",
    "milestone_status",
    "narrative",
    "status",
    "return_reason",
    "created_by",
    "created_at",
    "updated_at",
    "submitted_by",
    "submitted_at",
    "verified_by",
    "verified_at",
]


def _columns() -> tuple[list[str], tuple]:
    """All ProgressEntry columns but the id, and the constant values of those the generator leaves alone."""
    meta = ProgressEntry._meta
    columns = [meta.get_field(name).column for name in GENERATED]
    constants = []
    for f in meta.concrete_fields:
        if f.primary_key or f.name in GENERATED:
            continue
        value = f.get_db_prep_save(f.get_default(), connection)
        if value is None and not f.null:
            raise RuntimeError(f"bench does not know how to fill ProgressEntry.{f.name}: teach reports/bench.py")
        columns.append(f.column)
        constants.append(value)
    return columns, tuple(constants)


class EntryFactory:
    """Rows of synthetic entries as tuples in the order of `_columns()`."""

    def __init__(self, province: Province, user_id: int, seed: int):
        self.rng = random.Random(seed)
        self.indicators = province.indicators
        self.kecamatan = province.kecamatan
        self.user_id = user_id
        today = timezone.localdate()
        self.today = today
        # the semesters of each plan that have begun, with their first day and length
        self.periods = {}
        for plan in province.plans:
            self.periods[plan.id] = [
                (p.year, p.semester, p.start, (min(p.end, today) - p.start).days + 1)
                for p in semesters(plan.years)
                if p.start <= today
            ]
        now = timezone.now().replace(microsecond=0)
        # COPY reads ISO text; the SQLite backend stores naive UTC text
        pg = connection.vendor == "postgresql"
        self.now = now.isoformat() if pg else connection.ops.adapt_datetimefield_value(now)
        self.serial = 0

    def rows(self, count: int) -> Iterator[tuple]:
        rng = self.rng
        choice, randint, random_ = rng.choice, rng.randint, rng.random
        user, now = self.user_id, self.now
        for _ in range(count):
            self.serial += 1
            indicator_id, kind, agency_id, plan_id = choice(self.indicators)
            year, semester, start, days = choice(self.periods[plan_id])
            day = (start + datetime.timedelta(days=rng.randrange(days))).isoformat()
            status = rng.choices(STATUSES, cum_weights=STATUS_CUM_WEIGHTS)[0]
            kecamatan = value = male = female = child = adult = numerator = denominator = None
            milestone = ""
            narrative = NARRATIVE
            if kind == Kind.COUNT:
                value = randint(1, 300)
                if random_() < 0.5:
                    male = randint(0, value)
                    female = value - male
                if random_() < 0.3:
                    child = randint(0, value)
                    adult = value - child
                if random_() < 0.6:
                    kecamatan = choice(self.kecamatan[plan_id])
            elif kind == Kind.COVERAGE:
                kecamatan = choice(self.kecamatan[plan_id])
            elif kind == Kind.PERCENT:
                denominator = randint(10, 60)
                numerator = randint(0, denominator)
            elif kind == Kind.MILESTONE:
                milestone = rng.choices(MILESTONES, cum_weights=MILESTONE_CUM_WEIGHTS)[0]
            elif kind in (Kind.PERIODIC, Kind.TRACKED):
                value = 1 if kind == Kind.PERIODIC else randint(1, 50)
                if random_() < 0.4:
                    kecamatan = choice(self.kecamatan[plan_id])
            else:  # qualitative
                narrative = f"Narasi sintetis nomor {self.serial}: koordinasi berjalan. Tidak ada nama korban."
            sent = status != EntryStatus.DRAFT
            verified = status == EntryStatus.VERIFIED
            yield (
                indicator_id,
                agency_id,
                year,
                semester,
                day,
                kecamatan,
                value,
                male,
                female,
                child,
                adult,
                numerator,
                denominator,
                milestone,
                narrative,
                str(status),
                "Data perlu dilengkapi (sintetis)." if status == EntryStatus.RETURNED else "",
                user,
                now,
                now,
                user if sent else None,
                now if sent else None,
                user if verified else None,
                now if verified else None,
            )


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def add_entries(province: Province, count: int, *, user_id: int, seed: int) -> None:
    """Insert `count` synthetic entries: COPY on PostgreSQL, batched executemany elsewhere."""
    if count <= 0:
        return
    factory = EntryFactory(province, user_id, seed)
    columns, constants = _columns()
    table = connection.ops.quote_name(ProgressEntry._meta.db_table)
    column_sql = ", ".join(connection.ops.quote_name(c) for c in columns)
    rows = (row + constants for row in factory.rows(count))
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({column_sql}) FROM STDIN"
        while count > 0:
            n = min(count, COPY_BATCH)
            buffer = io.StringIO()
            for _, row in zip(range(n), rows, strict=False):
                buffer.write("\t".join(map(_copy_text, row)))
                buffer.write("\n")
            buffer.seek(0)
            with transaction.atomic(), connection.cursor() as cursor:
                raw = cursor.cursor
                if hasattr(raw, "copy_expert"):  # psycopg2
                    raw.copy_expert(sql, buffer)
                else:  # psycopg 3
                    with raw.copy(sql) as copy:
                        copy.write(buffer.getvalue())
            count -= n
    else:
        sql = f"INSERT INTO {table} ({column_sql}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        while count > 0:
            n = min(count, BATCH)
            batch = [row for _, row in zip(range(n), rows, strict=False)]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, batch)
            count -= n
    # a bulk insert sends no signal: change every plan's data version, as the import does
    for plan_id in Plan.objects.values_list("pk", flat=True):
        Plan.bump_data_version(plan_id)


def analyze() -> None:
    """Fresh planner statistics. On PostgreSQL also VACUUM (outside a transaction), as autovacuum
    would after a bulk load, so that the visibility map allows index-only scans."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def bench_user() -> User:
    user, created = User.objects.get_or_create(username=BENCH_USER, defaults={"email": "bench@example.org"})
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=REVIEWER))
    return user


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
    cold_ms: float | None = None  # pages: right after a change to the data (figures not cached)
    fallback: bool = False
    error: str = ""
    note: str = ""

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


def timed_cold(fn: Callable[[], object], before: Callable[[], object], runs: int) -> float:
    """Median ms of `fn` over `runs` calls, each right after `before` (untimed)."""
    times = []
    for _ in range(max(runs, 1)):
        before()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bare_aggregate_sql(plan: Plan, pillar_number: int | None = None) -> tuple[str, list]:
    """The one GROUP BY a page cannot do without: verified entries of the plan by indicator × year × semester."""
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
        f"WHERE i.{q(indicator.get_field('plan').column)} = %s AND e.{col['status']} = %s"
    )
    params: list = [plan.id, str(EntryStatus.VERIFIED)]
    if pillar_number is not None:
        ids = list(
            Indicator.objects.filter(plan=plan, activity__program__pillar__number=pillar_number).values_list(
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


def _page_url(url_name: str, args: list) -> tuple[str | None, str]:
    try:
        return reverse(url_name, args=args), ""
    except Exception as exc:  # a missing or half-written URLconf: fall back
        return None, f"{type(exc).__name__}: {exc}"[:120]


def measure_pages(plan: Plan, client: Client, size: int, plan_entries: int, runs: int) -> list[Measure]:
    # a failing page is reported in the table, once, not as a traceback per request
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)
    try:
        return _measure_pages(plan, client, size, plan_entries, runs)
    finally:
        request_log.setLevel(level)


def _measure_pages(plan: Plan, client: Client, size: int, plan_entries: int, runs: int) -> list[Measure]:
    """Each page through the test client; while a page is missing or failing, `rollup.compute()` instead."""
    results = []
    pages = [("overview", "reports:overview", [], None), ("pillar 1", "reports:pillar", [1], 1)]
    for label, url_name, args, pillar_number in pages:
        m = Measure(size, plan_entries, label, "page")
        url, why = _page_url(url_name, args)
        if url is not None:

            def get(url=url):
                response = client.get(url)
                if response.status_code != 200:
                    raise BenchError(f"GET {url} answered {response.status_code}")
                return response

            try:
                m.median_ms, m.queries = timed(get, runs)
                # the first request after any change to the data: the cached figures are recomputed
                m.cold_ms = timed_cold(get, lambda: Plan.bump_data_version(plan.pk), runs)
            except Exception as exc:  # reported in the table; the bench carries on
                why = f"GET {url} failed: {type(exc).__name__}: {exc}"[:200]
        if m.median_ms is None:
            m.fallback, m.note = True, why
            try:
                filters = Filters(pillar_number=pillar_number)
                m.median_ms, m.queries = timed(lambda f=filters: compute(plan, f), runs)
            except Exception as exc:
                m.error = f"{type(exc).__name__}: {exc}"[:200]
        sql, params = bare_aggregate_sql(plan, pillar_number)
        m.bare_ms, _ = timed(lambda sql=sql, params=params: _run_sql(sql, params), runs)
        results.append(m)
    return results


def _summary_builder(fmt: str) -> tuple[Callable | None, str]:
    try:
        module = importlib.import_module(f"reports.summary_{fmt}")
    except ModuleNotFoundError as exc:
        if exc.name == f"reports.summary_{fmt}":
            return None, f"reports/summary_{fmt}.py not built yet"
        return None, f"import failed: {exc}"
    except Exception as exc:
        return None, f"import failed: {type(exc).__name__}: {exc}"[:160]
    build = getattr(module, "build", None)
    if build is None:
        return None, f"reports.summary_{fmt} has no build()"
    return build, ""


def _call_builder(build: Callable, plan: Plan, year: int):
    """Call `build` with what its signature asks for; consume whatever it returns."""
    known = {
        "plan": plan,
        "year": year,
        "period": year,
        "as_of": None,
        "language": "id",
        "lang": "id",
        "filters": None,
        "include_unverified": False,
    }
    args, kwargs = [], {}
    stream = io.BytesIO()
    for name, param in inspect.signature(build).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if name in known:
            value = known[name]
        elif name in ("output", "out", "stream", "fp", "file", "buffer"):
            value = stream
        elif param.default is not param.empty:
            continue
        else:
            raise BenchError(f"build() wants {name!r}: teach reports/bench.py")
        if param.kind == param.POSITIONAL_ONLY:
            args.append(value)
        else:
            kwargs[name] = value
    result = build(*args, **kwargs)
    if hasattr(result, "getvalue"):
        result = result.getvalue()
    size = len(result) if isinstance(result, bytes | str) else stream.tell()
    if not size:
        raise BenchError("build() produced an empty file")
    return result


def measure_files(plan: Plan, size: int, plan_entries: int, runs: int) -> list[Measure]:
    year = plan.end_year
    results = []
    for fmt in ("pdf", "xlsx"):
        m = Measure(size, plan_entries, f"{fmt.upper()} {year}", fmt)
        build, why = _summary_builder(fmt)
        if build is None:
            m.error = why
        else:
            try:
                m.median_ms, m.queries = timed(lambda build=build: _call_builder(build, plan, year), runs)
            except Exception as exc:
                m.error = f"{type(exc).__name__}: {exc}"[:160]
        results.append(m)
    return results


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _time_budgets_apply(m: Measure, vendor: str) -> bool:
    return vendor == "postgresql" and m.size >= BUDGET_SIZE


def verdict(m: Measure, vendor: str) -> tuple[str, str]:
    """(the budget that applies, PASS / MISS with the reason)."""
    if m.error:
        return "", "ERROR" if m.kind == "page" or "not built" not in m.error else "SKIPPED"
    if m.fallback:
        return "", "page not measured *"
    misses = []
    if m.kind == "page":
        budget = f"q ≤ {QUERY_BUDGET}"
        if m.queries is not None and m.queries > QUERY_BUDGET:
            misses.append(f"{m.queries} queries")
        if _time_budgets_apply(m, vendor):
            budget += f", ≤ {RATIO_BUDGET:g}× bare, < {PAGE_MS_BUDGET:g} ms"
            if m.ratio is not None and m.ratio > RATIO_BUDGET:
                misses.append(f"{m.ratio:.1f}× bare")
            if m.median_ms is not None and m.median_ms >= PAGE_MS_BUDGET:
                misses.append(f"{m.median_ms:,.0f} ms")
    else:
        limit = FILE_BUDGETS_MS[m.kind]
        if not _time_budgets_apply(m, vendor):
            return f"(< {limit / 1000:g} s at 1M on PostgreSQL)", "info"
        budget = f"< {limit / 1000:g} s"
        if m.median_ms is not None and m.median_ms >= limit:
            misses.append(f"{m.median_ms / 1000:.1f} s")
    return budget, ("MISS: " + ", ".join(misses)) if misses else "PASS"


def format_table(results: list[Measure], vendor: str) -> str:
    header = [
        "entries (plan)",
        "what",
        "median ms",
        "after a change ms",
        "queries",
        "bare aggregate ms",
        "page ÷ bare",
        "budget",
        "verdict",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    notes: list[str] = []
    for m in results:
        budget, word = verdict(m, vendor)
        what = m.what + (" *" if m.fallback else "")
        if m.error:
            notes.append(f"{m.what} at {m.size:,}: {m.error}")
        ratio = "—" if m.ratio is None else f"{m.ratio:.1f}×"
        cells = [
            f"{m.size:,} ({m.plan_entries:,})",
            what,
            _ms(m.median_ms),
            _ms(m.cold_ms),
            "—" if m.queries is None else str(m.queries),
            _ms(m.bare_ms),
            ratio,
            budget,
            word,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    fallbacks = [m for m in results if m.fallback]
    if fallbacks:
        lines.append("")
        lines.append(
            "\\* the page could not be timed, so indicators.rollup.compute(plan) was timed instead "
            "(no HTTP, session, template or charts):"
        )
        lines += [f"  - {note}" for note in dict.fromkeys(f"{m.what}: {m.note}" for m in fallbacks)]
    lines += [f"- {note}" for note in dict.fromkeys(notes)]
    # the query count must not grow with the data
    lines.append("")
    for what in dict.fromkeys(m.what for m in results if m.kind == "page"):
        counts = [m.queries for m in results if m.what == what and m.queries is not None]
        if len(counts) > 1:
            same = len(set(counts)) == 1
            lines.append(
                f"Queries for {what} by size: {', '.join(map(str, counts))} → "
                f"{'independent of the data size: PASS' if same else 'grows with the data: MISS'}"
            )
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
) -> BenchRun:
    """Grow the data to each size in turn and measure; print progress and the table to `out`."""
    out = out or io.StringIO()

    def say(text: str) -> None:
        out.write(text + "\n")
        if hasattr(out, "flush"):
            out.flush()

    province = build_province(regencies=regencies)
    user = bench_user()
    client = Client()
    client.force_login(user)
    plan = Plan.current()
    if plan is None:
        raise BenchError("no plan")
    say(environment_line())
    say(
        f"{len(province.plans)} plans ({len(province.indicators):,} indicators); "
        f"pages show Plan.current() = {plan.code}; entries are spread evenly over all plans."
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
            measured = measure_pages(plan, client, total, plan_entries, runs)
            if files:
                measured += measure_files(plan, total, plan_entries, file_runs)
        for m in measured:
            say(
                f"  {m.what:<10} {_ms(m.median_ms):>10} ms  {m.queries if m.queries is not None else '—':>3} queries"
                f"  bare {_ms(m.bare_ms)} ms"
                f"{f'  after a change {_ms(m.cold_ms)} ms' if m.cold_ms is not None else ''}"
                f"{'  ' + m.error if m.error else ''}"
            )
        report.results += measured
    report.table = format_table(report.results, vendor)
    say("")
    say(report.table)
    return report
