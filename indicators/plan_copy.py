"""Copy a plan's structure (pillars → programs → activities → indicators) into a new plan.

Used for the next plan of a regency (`manage.py copy_plan`) and wherever a plan
is needed twice (the province benchmark, tests with two regencies). Annual
targets are not copied: the new plan's years get the default split of each
plan target.
"""

from django.db import transaction

from indicators.models import Indicator, Target
from programs.models import Plan

# fields that belong to the copy itself, not to the indicator's content
NOT_COPIED = {"id", "plan", "activity"}


def _clone(obj, **changes):
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in NOT_COPIED}
    values.pop("id", None)
    values.update(changes)
    return type(obj)(**values)


@transaction.atomic
def copy_structure(source: Plan, target: Plan, *, targets: dict[str, object] | None = None) -> dict[str, Indicator]:
    """Copy every pillar, program, activity and indicator of `source` into the saved, empty `target`.

    `targets`: a new plan target per indicator code (the carry-over); the others keep theirs.
    Returns the new indicators by code.
    """
    targets = targets or {}
    created: dict[str, Indicator] = {}
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
                    copy = _clone(indicator, plan_id=target.pk, activity_id=new_activity.pk)
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


def new_plan_like(source: Plan, **fields) -> Plan:
    """A saved plan with `source`'s names and the given fields (code, region, years, status …), validated."""
    values = {"name_id": source.name_id, "name_en": source.name_en, "source": source.source, "region": source.region}
    values.update(fields)
    plan = Plan(**values)
    plan.full_clean()
    plan.save()
    return plan
