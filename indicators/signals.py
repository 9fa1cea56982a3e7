"""Every change to a plan's entries, targets or indicators moves the plan's data version on,
so that figures cached by `indicators.figures.rollup.cached_compute` are never served stale.

Bulk writes send no signals: `bump_data_version` is called by them directly (the import,
seed_demo, the benchmark's generator). Rows loaded from a fixture or a backup (raw saves) are
skipped: `restore` moves every plan's version on once, after the whole load.
"""

from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save
from django.dispatch import receiver

from indicators.models import Indicator, PillarNarrative, ProgressEntry, ReportingDeadline, Target
from indicators.tallies import entry_totals, plan_figures
from programs.models import Activity, Agency, Pillar, Plan, Program
from programs.signals import plan_data_changed

# a plan's stored figures are recomputed by a task once a burst of writes to it is committed (indicators.tallies)
plan_data_changed.connect(plan_figures.schedule, dispatch_uid="indicators.tallies.plan_figures.schedule")


@receiver([post_save, post_delete], sender=ProgressEntry, dispatch_uid="entry_changes_plan_data")
def entry_changed(sender, instance: ProgressEntry, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    Plan.bump_data_version(instance.indicator.plan_id)


# The entries' totals (indicators/tallies/entry_totals.py), in the write's transaction: each entry remembers the
# indicator, status and semester it was read with, so its save refreshes the cell (indicator × semester) it leaves
# and the one it joins, and a save that changes no total (a draft's) costs nothing.
@receiver(post_init, sender=ProgressEntry, dispatch_uid="entry_remembers_its_totals")
def entry_read(sender, instance: ProgressEntry, **kwargs) -> None:
    entry_totals.remember(instance)


@receiver([pre_save, pre_delete], sender=ProgressEntry, dispatch_uid="entry_recalls_its_totals")
def entry_about_to_change(sender, instance: ProgressEntry, raw: bool = False, **kwargs) -> None:
    if not raw:
        entry_totals.recall(instance)


@receiver(post_save, sender=ProgressEntry, dispatch_uid="entry_saved_refreshes_totals")
def entry_saved(sender, instance: ProgressEntry, raw: bool = False, **kwargs) -> None:
    if raw:
        return  # a restore rebuilds every total after its load
    entry_totals.refresh(cells=entry_totals.touched(instance))
    entry_totals.remember(instance)


@receiver(post_delete, sender=ProgressEntry, dispatch_uid="entry_deleted_refreshes_totals")
def entry_deleted(sender, instance: ProgressEntry, **kwargs) -> None:
    entry_totals.refresh(cells=entry_totals.touched(instance, deleted=True))


@receiver([post_save, post_delete], sender=Target, dispatch_uid="target_changes_plan_data")
def target_changed(sender, instance: Target, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    Plan.bump_data_version(instance.indicator.plan_id)


@receiver([post_save, post_delete], sender=Indicator, dispatch_uid="indicator_changes_plan_data")
def indicator_changed(sender, instance: Indicator, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    Plan.bump_data_version(instance.plan_id)
    if kwargs["signal"] is post_save and entry_totals.regrouped(instance):
        entry_totals.refresh([instance.pk])
    entry_totals.remember_kind(instance)


@receiver(post_init, sender=Indicator, dispatch_uid="indicator_remembers_its_kind")
def indicator_read(sender, instance: Indicator, **kwargs) -> None:
    entry_totals.remember_kind(instance)


@receiver([post_save, post_delete], sender=ReportingDeadline, dispatch_uid="deadline_changes_plan_data")
def deadline_changed(sender, instance: ReportingDeadline, raw: bool = False, **kwargs) -> None:
    """A deadline moves the plan's reporting gaps: the summaries, the stored figures and the pages over many plans,
    which show them, are built again."""
    if raw:
        return
    Plan.bump_data_version(instance.plan_id)


@receiver([post_save, post_delete], sender=Pillar, dispatch_uid="pillar_changes_plan_data")
@receiver([post_save, post_delete], sender=Program, dispatch_uid="program_changes_plan_data")
@receiver([post_save, post_delete], sender=Activity, dispatch_uid="activity_changes_plan_data")
def frame_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """The pages and files print the pillars', programs' and activities' names: a renamed one is shown at once,
    not after the plan's next entry. Read by id, not through the instance's parents: when a whole plan is deleted
    they may be gone already (then nothing is bumped)."""
    if raw:
        return
    if sender is Pillar:
        plans = [instance.plan_id]
    elif sender is Program:
        plans = Pillar.objects.filter(pk=instance.pillar_id).values_list("plan_id", flat=True)
    else:
        plans = Program.objects.filter(pk=instance.program_id).values_list("pillar__plan_id", flat=True)
    for plan_id in plans:
        Plan.bump_data_version(plan_id)


@receiver([post_save, post_delete], sender=Agency, dispatch_uid="agency_changes_plan_data")
def agency_changed(sender, instance: Agency, raw: bool = False, **kwargs) -> None:
    """The pages and files name each indicator's agency: every plan with an indicator of a renamed agency."""
    if raw:
        return
    for plan_id in Indicator.objects.filter(agency_id=instance.pk).values_list("plan_id", flat=True).distinct():
        Plan.bump_data_version(plan_id)


@receiver([post_save, post_delete], sender=PillarNarrative, dispatch_uid="narrative_changes_plan_data")
def narrative_changed(sender, instance: PillarNarrative, raw: bool = False, **kwargs) -> None:
    """The summaries print the narrative: a cached PDF or DOCX must be built again."""
    if raw:
        return
    Plan.bump_data_version(instance.pillar.plan_id)
