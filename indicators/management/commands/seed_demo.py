"""Fill the current plan with invented, clearly labelled demo entries and demo users.

Runs only in demo mode (settings.DEMO_MODE: DEBUG on and DEMO not 0). The
entries are deterministic (random.Random(2018)), marked is_demo=True, and every
narrative starts with "Data demo" and names nobody. Running it again changes
nothing; `--reset` deletes the demo entries (and their history) and makes them
again. The demo users share one fixed, documented password, DEMO_PASSWORD
below, which is printed on every run; they exist only where demo mode is on.
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators.models import EntryStatus, Indicator, Kind, MilestoneStatus, ProgressEntry
from indicators.models.roles import ADMINISTRATOR, EXECUTIVE, OFFICER, REVIEWER, VERIFIER
from indicators.tallies import entry_totals
from programs.management.rad import add_rad_argument, plan_from_option
from programs.models import Agency, Plan, Region, StaffProfile
from programs.periods import Period, semesters

DEMO_PASSWORD = "demo-tppo-ttu"  # noqa: S105 (demo accounts, created only in demo mode; documented)
SEED = 2018

# username → (role, agency code or None, is_staff, full name)
DEMO_USERS = {
    "demo_officer": (OFFICER, "disnakertrans", False, "Demo Petugas Disnakertrans"),
    "demo_officer_dinsos": (OFFICER, "dinsos", False, "Demo Petugas Dinas Sosial"),
    "demo_verifier": (VERIFIER, "sekretariat", False, "Demo Verifikator Sekretariat"),
    "demo_reviewer": (REVIEWER, None, False, "Demo Reviewer IOM"),
    "demo_executive": (EXECUTIVE, None, False, "Demo Kantor Bupati"),
    "demo_admin": (ADMINISTRATOR, "sekretariat", True, "Demo Administrator"),
    # of the plan's province, not its regency: reads every regency of the province, changes nothing
    "demo_province": (REVIEWER, None, False, "Demo Gugus Tugas Provinsi"),
    # of the country (StaffProfile.national): reads every province and regency and the national view, changes nothing
    "demo_national": (REVIEWER, None, False, "Demo Gugus Tugas Nasional"),
}
PROVINCE_USERS = {"demo_province"}
NATIONAL_USERS = {"demo_national"}

RETURN_REASON = "Data demo: mohon lampirkan daftar hadir kegiatan dan perbaiki jumlah peserta."

QUALITATIVE_TEXTS = [
    "Data demo: rapat koordinasi lintas OPD membahas tindak lanjut kasus TPPO dan pembagian peran.",
    "Data demo: aparat penegak hukum menyepakati alur rujukan kasus dan berbagi data perkara.",
    "Data demo: forum perencanaan daerah membahas anggaran program pencegahan TPPO.",
    "Data demo: kelompok peduli TPPO di desa aktif melaporkan dugaan perekrutan tidak resmi.",
    "Data demo: petugas layanan kesehatan dan sosial menerapkan standar layanan bagi korban.",
    "Data demo: koordinasi dengan daerah tujuan untuk pemulangan pekerja migran bermasalah.",
]
KIND_TEXTS = {
    Kind.COUNT: "Data demo: kegiatan %(unit)s tercatat pada semester %(period)s.",
    Kind.TRACKED: "Data demo: jumlah %(unit)s dicatat dari laporan semester %(period)s.",
    Kind.COVERAGE: "Data demo: kegiatan kini ada di wilayah ini sejak semester %(period)s.",
    Kind.PERCENT: "Data demo: hasil uji pemahaman setelah pelatihan, semester %(period)s.",
    Kind.MILESTONE: "Data demo: perkembangan dokumen pada semester %(period)s.",
    Kind.PERIODIC: "Data demo: laporan/pertemuan berkala semester %(period)s terlaksana.",
    Kind.LEVEL: "Data demo: jumlah %(unit)s yang ada pada akhir semester %(period)s.",
}
PEOPLE_UNITS = {"orang"}
TRACKED_RANGES = {"orang": (5, 80), "kasus": (1, 12), "e-KTP": (200, 1500)}
COVERAGE_REACH = [24, 18, 11, 7]  # places reached by the 1st, 2nd, … coverage indicator


class DemoBuilder:
    """Makes the unsaved demo entries for every indicator of a plan."""

    def __init__(self, plan: Plan, users: dict[str, User], today: datetime.date):
        self.rng = random.Random(SEED)
        self.plan = plan
        self.today = today
        self.periods = [period for period in semesters(plan.years) if period.start <= today]
        self.kecamatan = list(Region.objects.filter(parent=plan.region, level=Region.Level.KECAMATAN).order_by("code"))
        self.users = users
        creators = {"disnakertrans": users["demo_officer"], "dinsos": users["demo_officer_dinsos"]}
        self.creator_for = lambda agency: creators.get(agency.code, users["demo_admin"])
        self.entries: list[ProgressEntry] = []
        self.seen: set[tuple] = set()

    # -- helpers -------------------------------------------------------------------------------------------------

    def day_in(self, period: Period) -> datetime.date:
        end = min(period.end, self.today)
        return period.start + datetime.timedelta(days=self.rng.randint(0, (end - period.start).days))

    def add(self, indicator: Indicator, period: Period, **values) -> ProgressEntry | None:
        day = values.pop("date", None) or self.day_in(period)
        narrative = values.pop("narrative", None) or KIND_TEXTS[indicator.kind] % {
            "unit": indicator.unit_id or "kegiatan",
            "period": period,
        }
        entry = ProgressEntry(
            indicator=indicator,
            agency=indicator.agency,
            year=period.year,
            semester=period.semester,
            date=day,
            narrative=narrative,
            is_demo=True,
            created_by=self.creator_for(indicator.agency),
            **values,
        )
        key = (indicator.pk, period, entry.kecamatan_id, day, entry.value, entry.numerator, entry.milestone_status)
        if key in self.seen:
            return None
        self.seen.add(key)
        self.entries.append(entry)
        return entry

    def split(self, value: int) -> dict[str, int]:
        male = round(value * self.rng.uniform(0.35, 0.65))
        parts = {"male": male, "female": value - male}
        if self.rng.random() < 0.5:
            child = round(value * self.rng.uniform(0.0, 0.3))
            parts.update(child=child, adult=value - child)
        return parts

    def some_kecamatan(self) -> Region | None:
        # Most work happens in a handful of kecamatan near Kefamenanu.
        if self.rng.random() < 0.3:
            return None
        return self.kecamatan[min(int(self.rng.expovariate(0.15)), len(self.kecamatan) - 1)]

    # -- one method per kind --------------------------------------------------------------------------------------

    def count(self, indicator: Indicator) -> None:
        target = int(indicator.plan_target)
        pace = self.rng.uniform(0.55, 1.15)  # how far along the indicator is
        people = indicator.unit_id in PEOPLE_UNITS
        if target <= 10:
            for _n in range(max(1, round(target * pace))):
                self.add(indicator, self.rng.choice(self.periods), value=1, kecamatan=self.some_kecamatan())
            return
        per_period = target * pace / (len(self.plan.years) * 2)
        for period in self.periods:
            sessions = self.rng.choice([0, 1, 1, 2, 2, 3])
            for _n in range(sessions):
                value = max(1, round(per_period / 1.5 * self.rng.uniform(0.5, 1.5)))
                parts = self.split(value) if people else {}
                self.add(indicator, period, value=value, kecamatan=self.some_kecamatan(), **parts)

    def tracked(self, indicator: Indicator) -> None:
        low, high = TRACKED_RANGES.get(indicator.unit_id, (1, 3))
        for period in self.periods:
            if self.rng.random() < 0.15:
                continue
            value = self.rng.randint(low, high)
            parts = self.split(value) if indicator.unit_id in PEOPLE_UNITS else {}
            self.add(indicator, period, value=value, kecamatan=self.some_kecamatan(), **parts)

    def coverage(self, indicator: Indicator, rank: int) -> None:
        reach = COVERAGE_REACH[rank % len(COVERAGE_REACH)]
        places = self.rng.sample(self.kecamatan, min(reach, len(self.kecamatan)))
        for place in places:
            self.add(indicator, self.rng.choice(self.periods), value=1, kecamatan=place)

    def percent(self, indicator: Indicator) -> None:
        for index, period in enumerate(self.periods):
            if self.rng.random() < 0.4:
                continue
            denominator = self.rng.randint(12, 30)
            share = 0.25 + 0.4 * index / max(1, len(self.periods) - 1) + self.rng.uniform(-0.1, 0.1)
            numerator = min(denominator, max(0, round(denominator * share)))
            self.add(indicator, period, numerator=numerator, denominator=denominator)

    def milestone(self, indicator: Indicator) -> None:
        last = len(self.periods) - 1
        if indicator.due_year and last >= 1:
            # due early in the plan (the RAD's own drafting and enactment): under way at once, done by then
            done_by = max([i for i, p in enumerate(self.periods) if p.year <= indicator.due_year] + [1])
            self.add(indicator, self.periods[0], milestone_status=MilestoneStatus.IN_PROGRESS)
            self.add(indicator, self.periods[done_by], milestone_status=MilestoneStatus.ACHIEVED)
            return
        if last < 1:
            self.add(indicator, self.periods[0], milestone_status=MilestoneStatus.NOT_STARTED)
            return
        started = self.rng.randint(1, max(1, last // 2))
        achieved = self.rng.randint(started + 1, last + 2)  # beyond the last period: not achieved yet
        self.add(indicator, self.periods[0], milestone_status=MilestoneStatus.NOT_STARTED)
        for index in range(started, min(achieved, last + 1)):
            if index == started or self.periods[index].semester == 2:
                self.add(indicator, self.periods[index], milestone_status=MilestoneStatus.IN_PROGRESS)
        if achieved <= last:
            self.add(indicator, self.periods[achieved], milestone_status=MilestoneStatus.ACHIEVED)

    def periodic(self, indicator: Indicator) -> None:
        for period in self.periods:
            if self.rng.random() < 0.2:
                continue  # some semesters the deliverable is missing
            self.add(indicator, period, value=1)

    def level(self, indicator: Indicator) -> None:
        # a standing quantity, counted again once a year: it grows towards the level to hold, one at a time
        target = int(indicator.plan_target or 1)
        now = 0
        for period in self.periods:
            if period.semester == 2 or period == self.periods[-1]:
                now = min(target + 1, now + self.rng.choice([0, 1, 1]))
                self.add(indicator, period, value=now)

    def qualitative(self, indicator: Indicator) -> None:
        for period in self.periods:
            if period.semester == 2 and self.rng.random() < 0.8:
                self.add(indicator, period, narrative=self.rng.choice(QUALITATIVE_TEXTS))

    # -- workflow status --------------------------------------------------------------------------------------------

    def moment(self, day: datetime.date, after_days: int) -> datetime.datetime:
        moment = datetime.datetime.combine(day + datetime.timedelta(days=after_days), datetime.time(10))
        return min(timezone.make_aware(moment), timezone.now())

    def set_status(self, entry: ProgressEntry) -> None:
        recent = entry.period.index >= self.periods[-2].index if len(self.periods) > 1 else True
        roll = self.rng.random()
        if recent:
            status = EntryStatus.DRAFT if roll < 0.2 else EntryStatus.SUBMITTED if roll < 0.6 else EntryStatus.VERIFIED
        else:
            status = EntryStatus.DRAFT if roll < 0.03 else EntryStatus.SUBMITTED if roll < 0.1 else EntryStatus.VERIFIED
        entry.status = status
        entry.created_at = self.moment(entry.date, self.rng.randint(0, 10))
        if status != EntryStatus.DRAFT:
            entry.submitted_by = entry.created_by
            entry.submitted_at = self.moment(entry.date, self.rng.randint(11, 20))
        if status == EntryStatus.VERIFIED:
            entry.verified_by = self.users["demo_verifier"]
            entry.verified_at = self.moment(entry.date, self.rng.randint(21, 45))

    def build(self) -> list[ProgressEntry]:
        if not self.periods:
            return []
        indicators = Indicator.objects.filter(plan=self.plan).select_related("plan__region", "agency")
        coverage_rank = 0
        for indicator in indicators:
            if indicator.kind == Kind.COVERAGE:
                self.coverage(indicator, coverage_rank)
                coverage_rank += 1
            else:
                getattr(self, indicator.kind)(indicator)
        for entry in self.entries:
            self.set_status(entry)
        # Exactly one returned entry, so the officer's "returned" view has something to show.
        returnable = [e for e in self.entries if e.agency.code == "disnakertrans" and e.status == EntryStatus.SUBMITTED]
        returned = (returnable or [e for e in self.entries if e.status == EntryStatus.SUBMITTED] or self.entries)[0]
        returned.status = EntryStatus.RETURNED
        returned.return_reason = RETURN_REASON
        returned.submitted_by = returned.submitted_by or returned.created_by
        returned.submitted_at = returned.submitted_at or returned.created_at
        returned.verified_by = returned.verified_at = None
        for entry in self.entries:
            entry.clean()  # the model's rules; the database checks its constraints on insert
            entry._history_user = entry.created_by
            entry._history_date = entry.created_at
        return self.entries


def demo_username(name: str, region) -> str:
    """The demo users of the first plan's regency (and province) keep their plain names; another regency's
    (or province's) carry its code, so seeding a second plan never moves the first one's people."""
    if name in NATIONAL_USERS:
        return name  # one for the country
    first = Plan.objects.default()
    home = first.region.parent if name in PROVINCE_USERS else first.region
    return name if home is None or region.pk == home.pk else f"{name}_{region.code.replace('.', '_')}"


def ensure_demo_users(plan: Plan) -> dict[str, User]:
    """One user per role in the plan's regency, a province reviewer when the regency has a province, and the
    country's reviewer; keyed by the role's name in DEMO_USERS."""
    users = {}
    for name, (role, agency_code, is_staff, full_name) in DEMO_USERS.items():
        national = name in NATIONAL_USERS
        region = None if national else plan.region.parent if name in PROVINCE_USERS else plan.region
        if region is None and not national:
            continue
        username = demo_username(name, region)
        first, _sep, last = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": is_staff,
                "email": f"{username}@demo.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        agency = Agency.objects.by_code(plan.region)[agency_code] if agency_code else None
        StaffProfile.objects.update_or_create(
            user=user, defaults={"agency": agency, "region": region, "national": national}
        )
        users[name] = user
    return users


def delete_demo_entries(plan: Plan) -> int:
    """The plan's demo entries and their history; another plan's stay."""
    demo = ProgressEntry.objects.filter(is_demo=True, indicator__plan=plan)
    count = demo.count()
    with entry_totals.batch():  # each deletion's signal names its indicator; each is refreshed once
        demo.delete()
    indicators = Indicator.objects.filter(plan=plan).values("pk")
    ProgressEntry.history.filter(is_demo=True, indicator_id__in=indicators).delete()
    return count


class Command(BaseCommand):
    help = "Fill the plan with demo entries and create one demo user per role (demo mode only; idempotent)."

    def add_arguments(self, parser):
        add_rad_argument(parser)
        parser.add_argument("--reset", action="store_true", help="delete the demo entries and make them again")
        parser.add_argument(
            "--if-demo-mode", action="store_true", help="outside demo mode, say so and exit without error (make run)"
        )

    def handle(self, *args, reset: bool, rad: str | None = None, if_demo_mode: bool = False, **options):
        if not settings.DEMO_MODE and if_demo_mode:
            self.stdout.write(_("Not in demo mode (DEBUG off or DEMO=0): no demo data and no demo users."))
            return
        if not settings.DEMO_MODE:
            raise CommandError(
                _("Demo data is only loaded in demo mode (DEBUG on and DEMO not 0); nothing was changed.")
            )
        plan = plan_from_option(rad)
        if not Region.objects.filter(parent=plan.region, level=Region.Level.KECAMATAN).exists():
            raise CommandError(
                _(
                    "%(regency)s has no kecamatan loaded: run `manage.py load_regions %(code)s` first; "
                    "nothing was changed."
                )
                % {"regency": plan.region.name, "code": plan.region.code}
            )
        with transaction.atomic():
            users = ensure_demo_users(plan)
            if reset:
                removed = delete_demo_entries(plan)
                self.stdout.write(_("Removed %(count)s demo entries.") % {"count": removed})
            if ProgressEntry.objects.filter(is_demo=True, indicator__plan=plan).exists():
                self.stdout.write(_("Demo entries already exist; nothing changed (use --reset to make them again)."))
            else:
                entries = DemoBuilder(plan, users, timezone.localdate()).build()
                bulk_create_with_history(entries, ProgressEntry, default_change_reason="Data demo")
                Plan.bump_data_version(plan.pk)  # a bulk insert sends no signal
                entry_totals.refresh({entry.indicator_id for entry in entries})
                self.stdout.write(self.style.SUCCESS(_("Created %(count)s demo entries.") % {"count": len(entries)}))
        self.print_users(users)

    def print_users(self, users: dict[str, User]) -> None:
        self.stdout.write(_("Demo users (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        for name, user in users.items():
            role, agency_code, _staff, _full = DEMO_USERS[name]
            self.stdout.write(f"  {user.username:28} {role:14} {agency_code or '-'}")
