"""The entries' totals kept on write equal a rebuild from the entries, and the figures read from them equal the
figures read from the entries, after a random sequence of writes through the real write paths: the workflow
services (create, edit, submit, resubmit, verify, return, reopen), the bulk actions, the progress import and its
undo, the DHIS2 import, a deletion. Seeded, so a failure is the same on every run (and on both databases)."""

import contextlib
import datetime
import json
import random
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_user
from indicators.figures.rollup import Filters, _compute, data_values
from indicators.intake.dhis2 import import_values
from indicators.intake.progress import import_file
from indicators.intake.undo import UndoRefused, import_undo
from indicators.models import (
    KIND_FIELDS,
    EntryStatus,
    EntryTotal,
    ImportReceipt,
    Indicator,
    Kind,
    ProgressEntry,
    SemesterTotal,
)
from indicators.models.roles import ADMINISTRATOR, OFFICER, VERIFIER
from indicators.tallies import entry_totals
from indicators.tests.import_helpers import xlsx
from indicators.workflow import bulk, services
from programs.models import Agency, Region
from programs.periods import semesters
from reports.exchange import dhis2 as dhis2_export

AS_OF = datetime.date(2026, 11, 30)
STEPS = 60


def kept_rows() -> list[tuple]:
    """Every column of every row of both tables (by place, by semester)."""
    found = []
    for model in (EntryTotal, SemesterTotal):
        columns = (*model.KEY, "n", *model.SUMS, "last_date", "last_id")
        found += [(model.__name__, *row) for row in model.objects.values_list(*columns)]
    return sorted(found, key=lambda row: tuple((v is not None, v) for v in row))


class World:
    """The plan, its people and what a random step may choose from."""

    def __init__(self, plan, rnd: random.Random):
        self.plan, self.rnd = plan, rnd
        self.indicators = list(Indicator.objects.filter(plan=plan).select_related("plan", "agency").order_by("code"))
        self.kecamatan = list(Region.objects.filter(parent=plan.region, level=Region.Level.KECAMATAN).order_by("code"))
        self.periods = semesters(plan.years)
        self.officers = {}
        self.dhis2_saved = 0
        secretariat = Agency.objects.get(code="sekretariat", region=plan.region)
        self.verifier = make_user("p_verifier", VERIFIER, secretariat)
        self.admin = make_user("p_admin", ADMINISTRATOR, secretariat, is_staff=True)

    def officer(self, agency_id: int):
        if agency_id not in self.officers:
            self.officers[agency_id] = make_user(f"p_officer_{agency_id}", OFFICER, Agency.objects.get(pk=agency_id))
        return self.officers[agency_id]

    def values(self, indicator) -> dict:
        rnd, period = self.rnd, self.rnd.choice(self.periods)
        fields = KIND_FIELDS[indicator.kind]
        days = (period.end - period.start).days
        values = {
            "year": period.year,
            "semester": period.semester,
            "date": period.start + datetime.timedelta(days=rnd.randint(0, days)),
            "narrative": rnd.choice(["", "Sosialisasi di balai desa", "Rapat koordinasi"]),
        }
        if "kecamatan" in fields and (indicator.kind == Kind.COVERAGE or rnd.random() < 0.6):
            values["kecamatan"] = rnd.choice(self.kecamatan)
        if "value" in fields:
            values["value"] = rnd.randint(0, 40)
            if "male" in fields and rnd.random() < 0.5:
                values["male"] = rnd.randint(0, values["value"])
                values["female"] = values["value"] - values["male"]
        if "numerator" in fields:
            values["denominator"] = rnd.randint(1, 30)
            values["numerator"] = rnd.randint(0, values["denominator"])
        if "milestone_status" in fields:
            values["milestone_status"] = rnd.choice(["not_started", "in_progress", "achieved"])
        return values

    def entries(self, *statuses) -> list[ProgressEntry]:
        found = ProgressEntry.objects.filter(indicator__plan=self.plan, status__in=statuses).order_by("pk")
        return list(found.select_related("indicator__plan__region", "agency"))

    def pick(self, *statuses) -> ProgressEntry | None:
        found = self.entries(*statuses)
        return self.rnd.choice(found) if found else None

    # --- the steps: each a write through one of the real write paths ---------------------------------------

    def create(self):
        indicator = self.rnd.choice(self.indicators)
        services.create_entry(
            user=self.officer(indicator.agency_id),
            indicator=indicator,
            values=self.values(indicator),
            allow_duplicate=True,
            warning_comment="Checked.",
        )

    def edit(self):
        entry = self.pick(EntryStatus.DRAFT, EntryStatus.RETURNED)
        if entry:
            services.update_entry(
                user=self.officer(entry.agency_id),
                entry=entry,
                version=entry.version,
                values=self.values(entry.indicator),
                allow_duplicate=True,
                warning_comment="Checked.",
            )

    def submit(self):
        entry = self.pick(EntryStatus.DRAFT)
        if entry:
            services.submit_entry(user=self.officer(entry.agency_id), entry=entry)

    def resubmit(self):
        entry = self.pick(EntryStatus.RETURNED)
        if entry:
            services.resubmit_entry(user=self.officer(entry.agency_id), entry=entry, answer="Corrected.")

    def verify(self):
        entry = self.pick(EntryStatus.SUBMITTED)
        if entry:
            services.verify_entry(user=self.verifier, entry=entry)

    def send_back(self):
        entry = self.pick(EntryStatus.SUBMITTED, EntryStatus.VERIFIED)
        if entry and entry.status == EntryStatus.SUBMITTED:
            services.return_entry(user=self.verifier, entry=entry, reason="Which kecamatan?")
        elif entry:
            services.reopen_entry(user=self.verifier, entry=entry, reason="The number is wrong.")

    def bulk(self):
        submitted = [e.pk for e in self.entries(EntryStatus.SUBMITTED)]
        chosen = self.rnd.sample(submitted, min(len(submitted), self.rnd.randint(1, 6)))
        if self.rnd.random() < 0.7:
            bulk.verify_entries(user=self.verifier, plan=self.plan, ids=chosen)
        else:
            bulk.return_entries(user=self.verifier, plan=self.plan, ids=chosen, reason="Check the dates.")
        drafts = self.entries(EntryStatus.DRAFT)
        for agency_id in {e.agency_id for e in drafts}:
            mine = [e.pk for e in drafts if e.agency_id == agency_id]
            bulk.submit_entries(user=self.officer(agency_id), plan=self.plan, ids=mine[:4])

    def import_file(self):
        summed = [i for i in self.indicators if i.kind in (Kind.COUNT, Kind.TRACKED, Kind.PERIODIC)]
        rows = []
        for _ in range(self.rnd.randint(1, 5)):
            indicator = self.rnd.choice(summed)
            values = self.values(indicator)
            rows.append(
                {
                    "code": indicator.code,
                    "period": f"{values['year']}S{values['semester']}",
                    "date": values["date"].isoformat(),
                    "kecamatan": values["kecamatan"].code if "kecamatan" in values else None,
                    "value": values["value"],
                }
            )
        receipt = ImportReceipt.objects.create(token=uuid.uuid4(), file_name="p.xlsx", imported_by=self.admin)
        status = self.rnd.choice([EntryStatus.DRAFT, EntryStatus.SUBMITTED])
        result = import_file(
            xlsx(rows), plan=self.plan, user=self.admin, status=status, warning_comment="Checked.", receipt=receipt
        )
        assert result.saved == len(rows), [row.errors for row in result.bad_rows]
        receipt.saved, receipt.plan = result.saved, self.plan
        receipt.save(update_fields=["saved", "plan"])

    def undo(self):
        receipt = ImportReceipt.objects.filter(plan=self.plan, undone_at=None).order_by("-pk").first()
        if receipt:
            with contextlib.suppress(UndoRefused):  # one of its entries was verified meanwhile
                import_undo(receipt=receipt, user=self.admin)

    def dhis2(self):
        """The plan's verified values as DHIS2 writes them, imported back as submitted entries."""
        payload = dhis2_export.build(self.plan, self.rnd.choice(list(self.plan.years)), "json")
        if json.loads(payload)["dataValues"]:
            result = import_values(payload, plan=self.plan, user=self.admin)
            assert result.ok, result.problems
            self.dhis2_saved += result.saved

    def delete(self):
        entry = self.pick(EntryStatus.DRAFT, EntryStatus.SUBMITTED, EntryStatus.VERIFIED, EntryStatus.RETURNED)
        if entry:
            entry.delete()

    def step(self):
        actions = [
            (self.create, 8),
            (self.edit, 2),
            (self.submit, 4),
            (self.resubmit, 1),
            (self.verify, 4),
            (self.send_back, 2),
            (self.bulk, 2),
            (self.import_file, 2),
            (self.undo, 1),
            (self.dhis2, 1),
            (self.delete, 1),
        ]
        action = self.rnd.choices([a for a, _ in actions], weights=[w for _, w in actions])[0]
        with contextlib.suppress(services.WorkflowError, PermissionDenied, ValidationError):
            action()  # a refusal writes nothing: the totals must still agree
        return action.__name__


def assert_figures_agree(world: World) -> None:
    plan = world.plan
    kecamatan = world.kecamatan[0]
    agency = world.indicators[0].agency
    for filters in (
        Filters(),
        Filters(include_unverified=True),
        Filters(agency_id=agency.pk, include_unverified=True),
        Filters(kecamatan_id=kecamatan.pk),
        Filters(year=2019, include_unverified=True),
        Filters(pillar_number=1),
        Filters(indicator_code=world.indicators[3].code),
    ):
        kept = _compute([plan], filters, AS_OF, None)[plan.pk]
        read = _compute([plan], filters, AS_OF, None, _from_entries=True)[plan.pk]
        assert kept.pillars == read.pillars, filters


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_totals_equal_a_rebuild_after_random_writes(plan, seed):
    world = World(plan, random.Random(seed))
    done = []
    for n in range(STEPS):
        done.append(world.step())
        if n % 15 == 14:
            kept = kept_rows()
            entry_totals.rebuild()
            assert kept == kept_rows(), (seed, done)
            assert_figures_agree(world)
    counted = ProgressEntry.objects.filter(status__in=[EntryStatus.VERIFIED, EntryStatus.SUBMITTED]).count()
    assert sum(EntryTotal.objects.values_list("n", flat=True)) == counted
    assert sum(SemesterTotal.objects.values_list("n", flat=True)) == counted
    assert counted > 5 and {"create", "verify", "import_file"} <= set(done)  # the sequence wrote something
    assert data_values(plan)  # the aggregates read from the totals
