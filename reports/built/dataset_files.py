"""The analysis dataset built ahead (reports.built): the task that builds it (and the summaries), and the
download's reading."""

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

from programs.models import Plan
from reports.built import reading, store, summary_files
from reports.exchange import dataset
from tptto_monitor.lib.queue import jobs_cache

QUIET_SECONDS = 60  # a build waits this long after the first write, for the writes that follow it
LANGUAGES = ("id", "en")


def schedule(sender=None, *, plan_id: int, **kwargs) -> bool:
    """Queue one build of the plan's files QUIET_SECONDS from now, unless one is queued already; True if queued."""
    if not settings.BUILD_FILES_AHEAD:
        return False
    if not jobs_cache().add(f"build-due:{plan_id}", 1, QUIET_SECONDS):
        return False
    run_after = timezone.now() + datetime.timedelta(seconds=QUIET_SECONDS)
    build_plan_files.using(run_after=run_after, priority=reading.PRIORITY).enqueue(plan_id)
    return True


@task()
def build_plan_files(plan_id: int) -> str:
    """The plan's dataset files of its data version now; then its summaries are queued, a task per year
    (reports.built.summary_files), so that a job a person waits for never waits for more than one of them."""
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        return "gone"
    jobs_cache().delete(f"build-due:{plan_id}")  # writes from now on queue the next build
    summary_files.schedule(plan)  # marked as coming before the dataset is built: their downloads wait for them
    with reading.building(plan):
        for language in LANGUAGES:
            with translation.override(language):
                for fmt in dataset.FORMATS:
                    content = dataset.build(plan, fmt, timezone.localdate(), language)
                    store.write(plan, "dataset", fmt, language, content)
        store.prune(plan)
    return str(plan.data_version)


def dataset_file(plan: Plan, fmt: str, language: str) -> bytes:
    """The dataset of the plan as it stands: the built file, the one being built (waited for), or built now."""
    return reading.read_or_build(
        plan, "dataset", fmt, language, lambda: dataset.build(plan, fmt, timezone.localdate(), language)
    )
