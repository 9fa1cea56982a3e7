"""The annual summaries built ahead (reports.built): every year of the plan and the whole plan, in every format
of `summary.RENDERERS` and both languages, and the download's reading.

Queued by the coalesced build of the plan's files (`dataset_files.build_plan_files`): one task per year and one
for the whole plan (`build_plan_summary`), each at the builds' low priority, so that a job a person waits for
(an import) waits for one of them at most, not for all (a plan of 5,000 indicators takes minutes). The plan's
rollup is computed once per data version and kept in the cache (`rollup.cached_compute`), and every summary is
made from it (`summary.make_summary(rollup=…)`): one summary per year and language, rendered in every format;
what differs by year (highlights, the kecamatan table, the reports due) is read per year. A year's download
waits for its task while it runs (its mark) and never builds a second copy meanwhile; one that comes while the
task is still queued builds the file itself, and the task then leaves it as it is.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django_tasks import task

from indicators.figures.rollup import cached_compute
from programs.models import Plan
from reports.built import reading, store
from reports.dashboards import page_cache
from reports.files import summary

LANGUAGES = summary.LANGUAGES


def kind(year: int | None) -> str:
    """The stored file's kind: summary-2021, or summary-plan for the whole plan."""
    return f"summary-{year if year is not None else 'plan'}"


def _part(year: int | None) -> str:
    return kind(year)


def schedule(plan: Plan) -> None:
    """Queue the summaries of the plan's data version now: a task per year and one for the whole plan."""
    for year in (*plan.years, None):
        build_plan_summary.using(priority=reading.PRIORITY).enqueue(plan.pk, str(plan.data_version), year)


@task()
def build_plan_summary(plan_id: int, version: str, year: int | None) -> str:
    """The plan's summaries of `year` (None: the whole plan) in every format and language, unless the data
    changed since they were queued (the write that changed them queued the next build)."""
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None or str(plan.data_version) != version:
        return "stale"
    with reading.building(plan, _part(year)):
        build_summaries(plan, [year])
    return version


def build_summaries(plan: Plan, years=None) -> int:
    """Build and store the summaries of `years` (None in it: the whole plan; by default every year and the whole
    plan) of the plan's data version, from one rollup; how many files."""
    as_of = timezone.localdate()
    rollup = cached_compute(plan, as_of=as_of)
    stored = 0
    for year in (*plan.years, None) if years is None else years:
        for language in LANGUAGES:
            # a file a download built meanwhile (its task was still queued) is left as it is
            missing = [
                fmt
                for fmt in summary.RENDERERS
                if not default_storage.exists(store.name(plan, kind(year), fmt, language))
            ]
            if not missing:
                continue
            made = summary.make_summary(plan, year, language, as_of, rollup=rollup)
            with translation.override(language):
                for fmt in missing:
                    store.write(plan, kind(year), fmt, language, summary.RENDERERS[fmt].render(made))
                    stored += 1
    return stored


def summary_file(plan: Plan, year: int | None, fmt: str, language: str) -> bytes:
    """The summary as the plan's data stand: the built file, the one being built (waited for), or built now.

    Without files built ahead (settings.BUILD_FILES_AHEAD off), built once per data version in the cache.
    """

    def build() -> bytes:
        return summary.build(plan, year, fmt, language, as_of=timezone.localdate())

    if not settings.BUILD_FILES_AHEAD:
        return page_cache.get_or_build(page_cache.key("summary", plan, year, fmt, language), build)
    return reading.read_or_build(plan, kind(year), fmt, language, build, part=_part(year))
