"""Copy a plan's structure (pillars → programs → activities → indicators) into a new plan.

Used for the next plan of a regency (`manage.py copy_plan`) and wherever a plan
is needed twice (the province benchmark, tests with two regencies). Annual
targets are not copied: the new plan's years get the default split of each
plan target.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from indicators.figures.rollup import compute
from indicators.models import Indicator, Kind, Target
from programs.models import Agency, Plan, Region
from tptto_monitor.lib.numbers import format_number

# the kinds whose unmet part can be carried into the next plan: things done and places reached
CARRIED_KINDS = (Kind.COUNT, Kind.COVERAGE)
ZERO = Decimal(0)

# fields that belong to the copy itself, not to the indicator's content
NOT_COPIED = {"id", "plan", "activity", "predecessor"}


def _clone(obj, **changes):
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in NOT_COPIED}
    values.pop("id", None)
    values.update(changes)
    return type(obj)(**values)


@transaction.atomic
def copy_structure(
    source: Plan, target: Plan, *, targets: dict[str, object] | None = None, successor: bool = False
) -> dict[str, Indicator]:
    """Copy every pillar, program, activity and indicator of `source` into the saved, empty `target`.

    `targets`: a new plan target per indicator code (the carry-over); the others keep theirs.
    `successor`: the target plan is the next plan of `source` (copy_plan), so each copy remembers its
    predecessor; a plan of another regency that merely borrows the structure does not.
    Returns the new indicators by code.
    """
    targets = targets or {}
    created: dict[str, Indicator] = {}
    agencies = _agencies_in(target.region, Agency.objects.filter(indicators__plan=source).distinct())
    pillars = source.pillars.prefetch_related("programs__activities__indicators").order_by("number")
    for pillar in pillars:
        new_pillar = _clone(pillar, plan_id=target.pk)
        new_pillar.save()
        for program in pillar.programs.all():
            new_program = _clone(program, pillar_id=new_pillar.pk)
            new_program.save()
            for activity in program.activities.all():
                new_activity = _clone(activity, program_id=new_program.pk)
                new_activity.save()
                for indicator in activity.indicators.all():
                    copy = _clone(
                        indicator,
                        plan_id=target.pk,
                        activity_id=new_activity.pk,
                        agency_id=agencies.get(indicator.agency_id, indicator.agency_id),
                    )
                    if successor:
                        copy.predecessor_id = indicator.pk
                    if indicator.code in targets:
                        copy.plan_target = targets[indicator.code]
                    if copy.due_year is not None:
                        # a milestone falls due as far into the new plan as it did into the old one
                        offset = copy.due_year - source.start_year
                        copy.due_year = min(target.start_year + offset, target.end_year)
                    copy.plan = target
                    copy.full_clean(validate_unique=False, validate_constraints=False)
                    copy.save()
                    created[copy.code] = copy
    Target.objects.bulk_create(
        Target(indicator=indicator, year=year, value=value)
        for indicator in created.values()
        for year, value in indicator.default_annual_targets().items()
    )
    return created


def _agencies_in(region: Region, used) -> dict[int, int]:
    """Old agency id → the id of the agency of the same code in `region`, made (with the same names) where the
    regency has none yet; shared agencies stay as they are."""
    own = Agency.objects.by_code(region)
    mapped = {}
    for agency in used:
        if agency.region_id in (None, region.pk):
            continue
        twin = own.get(agency.code)
        if twin is None:
            twin = _clone(agency, region_id=region.pk)
            twin.full_clean(validate_constraints=False)
            twin.save()
        mapped[agency.pk] = twin.pk
    return mapped


def new_plan_like(source: Plan, **fields) -> Plan:
    """A saved plan with `source`'s names and the given fields (code, region, years, status …), validated."""
    values = {"name_id": source.name_id, "name_en": source.name_en, "source": source.source, "region": source.region}
    values.update(fields)
    plan = Plan(**values)
    plan.full_clean()
    plan.save()
    return plan


@dataclass(frozen=True)
class CarryOver:
    """What a count or coverage indicator of the old plan left unmet: its new plan target."""

    code: str
    target: Decimal
    actual: Decimal  # the official (verified) actual to date; for coverage, the places reached
    unmet: Decimal  # target − actual, never below 0


def carry_over(source: Plan, *, as_of: datetime.date) -> list[CarryOver]:
    """Each targeted count and coverage indicator's unmet part, from the rollup's plan-to-date figures."""
    rows = []
    for row in compute(source, as_of=as_of).indicators:
        indicator = row.indicator
        if indicator.kind not in CARRIED_KINDS or indicator.plan_target is None:
            continue
        actual = row.to_date.actual or Decimal(0)
        rows.append(CarryOver(indicator.code, indicator.plan_target, actual, max(indicator.plan_target - actual, ZERO)))
    return rows


def parse_years(text: str) -> tuple[int, int]:
    """'2023-2027' → (2023, 2027); anything else is refused with a clear message."""
    match = re.fullmatch(r"\s*(\d{4})\s*[-–]\s*(\d{4})\s*", text or "")
    if match is None:
        raise ValidationError(_("Years must be given as FIRST-LAST, e.g. 2023-2027, not “%(text)s”.") % {"text": text})
    start, end = int(match.group(1)), int(match.group(2))
    if end < start:
        raise ValidationError(
            _("The last year %(end)s comes before the first year %(start)s.") % {"start": start, "end": end}
        )
    return start, end


def renamed(name: str, source: Plan, years: tuple[int, int]) -> str:
    """The old plan's name for the new years: its year span replaced where the name states it, else added."""
    new = f"{years[0]}–{years[1]}"
    for old in (f"{source.start_year}–{source.end_year}", f"{source.start_year}-{source.end_year}"):
        if old in name:
            return name.replace(old, new)
    return f"{name} {new}" if name else name


@transaction.atomic
def copy_plan(
    source: Plan, *, code: str, years: tuple[int, int], carry: bool, as_of: datetime.date, name: str | None = None
):
    """The next plan of `source`'s regency: a draft with its structure, each indicator remembering its
    predecessor; with `carry`, each count and coverage target is what the old plan left unmet. Its name is
    `name`, else the old one with the new years.
    All or nothing: a refused plan (slug taken, years overlapping a plan that is not closed) leaves nothing."""
    if Plan.objects.filter(code=code).exists():
        raise ValidationError(_("A plan with the slug “%(code)s” already exists.") % {"code": code})
    carried = carry_over(source, as_of=as_of) if carry else []
    names = (
        {"name_id": name, "name_en": name}
        if name
        else {"name_id": renamed(source.name_id, source, years), "name_en": renamed(source.name_en, source, years)}
    )
    plan = new_plan_like(source, code=code, start_year=years[0], end_year=years[1], status=Plan.Status.DRAFT, **names)
    created = copy_structure(source, plan, targets={row.code: row.unmet for row in carried}, successor=True)
    for row in carried:
        # the indicator's text still states the old plan's target: its note says where the new one comes from
        indicator = created[row.code]
        indicator.note_id = _carried_note("id", row, source, indicator.note_id)
        indicator.note_en = _carried_note("en", row, source, indicator.note_en)
        indicator.save(update_fields=["note_id", "note_en"])
    return plan, carried


def _carried_note(language: str, row: CarryOver, source: Plan, note: str) -> str:
    with translation.override(language):
        said = _("Target carried over from %(plan)s: %(target)s, of which %(actual)s reached, leaves %(unmet)s.") % {
            "plan": source.code,
            "target": format_number(row.target),
            "actual": format_number(row.actual),
            "unmet": format_number(row.unmet),
        }
    return f"{said} {note}".strip()
