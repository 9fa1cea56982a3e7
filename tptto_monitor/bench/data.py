"""Province-scale synthetic data for `manage.py bench`.

The data is "as for a country": the real plan plus `regencies - 1` copies of it,
one per real regency of Indonesia (Kemendagri codes and names, with their real
kecamatan, from idn-area-data, as `load_regions` reads them): first the other
regencies of the real plan's province (22 plans: the province of NTT side by side),
then the regencies of the other provinces in code order, whole provinces at a time,
up to all 514. The copies are loaded from the plan file by the plan loader itself
(`indicators.plans.loader.load_plan_data`), so they are made, and validated,
exactly as the real plan is; synthetic plans are coded `bench-xx`. Entries are
spread over every plan, indicator kind, year and semester; most are verified.
(A bench database made before this kept its copies under the synthetic province
code 99, which Kemendagri does not assign; `--reuse` keeps them there.)

This module writes to whatever database is connected, which is why it lives
here, in a development package, and not in `reports/` (which only reads).
The `bench` command calls it only inside its own throw-away database; the
test calls it inside the test database.
"""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.utils import timezone

from indicators.models import EntryStatus, Indicator, Kind, MilestoneStatus, ProgressEntry
from indicators.models.roles import REVIEWER
from indicators.plans.loader import load_plan_data, read_plan_file
from indicators.tallies import entry_totals
from programs.models import Agency, Plan, Region, StaffProfile
from programs.periods import semesters
from programs.regions import table

REGENCIES = 22
KECAMATAN_PER_REGENCY = 24
SYNTHETIC_PROVINCE = "99"  # not a Kemendagri province code: where older bench databases kept their copies
COUNTRY_REGENCIES = 514  # regencies and cities of Indonesia in idn-area-data
NATIONAL_USER = "bench-national-reviewer"  # reads the national view
PLAN_PREFIX = "bench-"
BENCH_USER = "bench-reviewer"  # reads the real plan's regency
PROVINCE_USER = "bench-province-reviewer"  # reads the province view
REGENCY_USER = "bench-regency-reviewer"  # reads a synthetic regency's dashboard
BATCH = 10_000  # rows per INSERT batch (SQLite) and per transaction
COPY_BATCH = 100_000  # rows per COPY (PostgreSQL)

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

    @property
    def province(self) -> Region:
        return self.base.region.parent

    @property
    def provinces(self) -> int:
        return len({p.region.parent_id for p in self.plans})


def real_plan() -> Plan:
    plan = Plan.objects.exclude(code__startswith=PLAN_PREFIX).order_by("-start_year", "id").first()
    if plan is None:
        raise RuntimeError("No plan loaded: run load_plan first")
    return plan


@transaction.atomic
def build_province(base: Plan | None = None, regencies: int = REGENCIES) -> Province:
    """The real plan plus `regencies - 1` synthetic copies on real regencies (created once, then reused)."""
    base = base or real_plan()
    if base.region.parent is None:
        raise RuntimeError(f"{base.region} has no province: the synthetic regencies need one to join")
    if regencies > COUNTRY_REGENCIES:
        raise RuntimeError(f"Indonesia has {COUNTRY_REGENCIES} regencies and cities; {regencies} asked for")
    existing = set(Plan.objects.filter(code__startswith=PLAN_PREFIX).values_list("code", flat=True))
    wanted = [n for n in range(1, regencies) if f"{PLAN_PREFIX}{n:02d}" not in existing]
    if wanted:
        _copy_plan(base, wanted)
    # made in number order: by id, not by code ("bench-100" sorts before "bench-11")
    plans = [base, *Plan.objects.filter(code__startswith=PLAN_PREFIX).select_related("region").order_by("id")]
    plans = plans[:regencies]
    plan_ids = [p.id for p in plans]
    indicators = list(
        Indicator.objects.filter(plan_id__in=plan_ids).order_by("id").values_list("id", "kind", "agency_id", "plan_id")
    )
    kecamatan: dict[int, list[int]] = {plan.id: [] for plan in plans}
    by_region = {plan.region_id: plan.id for plan in plans}
    rows = Region.objects.filter(parent_id__in=by_region, level=Region.Level.KECAMATAN).order_by("code")
    for region_id, parent_id in rows.values_list("id", "parent_id"):
        kecamatan[by_region[parent_id]].append(region_id)
    return Province(base, plans, indicators, kecamatan)


@dataclass
class Slot:
    """A real regency a synthetic plan is put on, with its province and kecamatan (Kemendagri codes)."""

    province: tuple[str, str]  # code, name
    regency: tuple[str, str]
    kecamatan: list[tuple[str, str]]


def regency_slots(base: Region) -> list[Slot]:
    """Every regency of the country but the real plan's, its own province's first, then by code."""
    provinces = {row["code"]: row["name"] for row in table("provinces.csv")}
    districts: dict[str, list[tuple[str, str]]] = {}
    for row in table("districts.csv"):
        districts.setdefault(row["regency_code"], []).append((row["code"], row["name"]))
    home = base.parent.code
    rows = [row for row in table("regencies.csv") if row["code"] != base.code]
    rows.sort(key=lambda row: (row["province_code"] != home, row["code"]))
    return [
        Slot(
            (row["province_code"], provinces[row["province_code"]]),
            (row["code"], row["name"]),
            districts.get(row["code"], []),
        )
        for row in rows
    ]


def _regions(base: Plan, numbers: list[int]) -> dict[int, Region]:
    """The regency of each synthetic plan `n` (slot n - 1), with its province and kecamatan, made where missing."""
    slots = regency_slots(base.region)
    if max(numbers) > len(slots):
        raise RuntimeError(f"idn-area-data holds {len(slots) + 1} regencies; plan {max(numbers)} has none")
    chosen = {n: slots[n - 1] for n in numbers}
    level = Region.Level
    Region.objects.bulk_create(
        [Region(code=s.province[0], name=s.province[1], level=level.PROVINSI) for s in chosen.values()],
        ignore_conflicts=True,
    )
    provinces = {r.code: r for r in Region.objects.filter(code__in={s.province[0] for s in chosen.values()})}
    Region.objects.bulk_create(
        [
            Region(code=s.regency[0], name=s.regency[1], level=level.KABUPATEN, parent=provinces[s.province[0]])
            for s in chosen.values()
        ],
        ignore_conflicts=True,
    )
    regencies = {r.code: r for r in Region.objects.filter(code__in={s.regency[0] for s in chosen.values()})}
    Region.objects.bulk_create(
        [
            Region(code=code, name=name, level=level.KECAMATAN, parent=regencies[s.regency[0]])
            for s in chosen.values()
            for code, name in s.kecamatan
        ],
        ignore_conflicts=True,
    )
    return {n: regencies[s.regency[0]] for n, s in chosen.items()}


def _clone_agency(agency: Agency, region: Region) -> Agency:
    fields = ("code", "name_id", "name_en", "short_name", "is_secretariat")
    return Agency(region=region, **{name: getattr(agency, name) for name in fields})


def _copy_plan(base: Plan, numbers: list[int]) -> None:
    """Synthetic regencies with their kecamatan, and the plan file loaded again for each of them."""
    regencies = _regions(base, numbers)
    data = read_plan_file()
    if data["plan"]["code"] != base.code:
        raise RuntimeError(f"bench copies the plan file of {data['plan']['code']}, but the pages show {base.code}")
    own = list(Agency.objects.filter(region=base.region))
    for n in numbers:
        # each regency has agencies of its own (copies of the real regency's, same codes)
        Agency.objects.bulk_create([_clone_agency(agency, regencies[n]) for agency in own], ignore_conflicts=True)
        spec = data["plan"]
        copy = {
            **data,
            "plan": {
                **spec,
                "code": f"{PLAN_PREFIX}{n:02d}",
                "name_id": f"{spec['name_id']} (salinan sintetis {n:02d})"[:300],
                "name_en": f"{spec['name_en']} (synthetic copy {n:02d})"[:300],
                "source": "Synthetic copy made by manage.py bench; not real data.",
            },
        }
        load_plan_data(copy, region=regencies[n])


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
            raise RuntimeError(f"bench does not know how to fill ProgressEntry.{f.name}: teach bench/data.py")
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
            elif kind == Kind.LEVEL:
                value = randint(0, 4)
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
    # a bulk insert sends no signal: build the entries' totals again and change every plan's data version, as the
    # import does
    entry_totals.rebuild()
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


def bench_user(region: Region | None = None, username: str = BENCH_USER, *, national: bool = False) -> User:
    """A reviewer the pages are timed as; given a regency or a province, she belongs to it (else she may read
    no plan); `national`: she belongs to the country (reads the national view)."""
    user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=REVIEWER))
    if national:
        StaffProfile.objects.update_or_create(user=user, defaults={"region": None, "national": True})
    elif region is not None:
        StaffProfile.objects.update_or_create(user=user, defaults={"region": region})
    return user
