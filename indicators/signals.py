"""Every change to a plan's entries, targets or indicators moves the plan's data version on,
so that figures cached by `indicators.figures.rollup.cached_compute` are never served stale.

Bulk writes send no signals: `bump_data_version` is called by them directly (the import,
seed_demo, the benchmark's generator). Rows loaded from a fixture or a backup (raw saves) are
skipped: `restore` moves every plan's version on once, after the whole load.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from indicators.models import Indicator, PillarNarrative, ProgressEntry, Target
from indicators.tallies import plan_figures
from programs.models import Plan
from programs.signals import plan_data_changed

# a plan's stored figures are recomputed by a task once a burst of writes to it is committed (indicators.tallies)
plan_data_changed.connect(plan_figures.schedule, dispatch_uid="indicators.tallies.plan_figures.schedule")


@receiver([post_save, post_delete], sender=ProgressEntry, dispatch_uid="entry_changes_plan_data")
def entry_changed(sender, instance: ProgressEntry, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    Plan.bump_data_version(instance.indicator.plan_id)


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


@receiver([post_save, post_delete], sender=PillarNarrative, dispatch_uid="narrative_changes_plan_data")
def narrative_changed(sender, instance: PillarNarrative, raw: bool = False, **kwargs) -> None:
    """The summaries print the narrative: a cached PDF or DOCX must be built again."""
    if raw:
        return
    Plan.bump_data_version(instance.pillar.plan_id)
