"""The annual summaries built ahead (reports.built): every year of the plan and the whole plan, in every format
of `summary.RENDERERS` and both languages, and the download's reading.

Built by the same coalesced task as the dataset (`dataset_files.build_plan_files`), after it. The plan's
rollup is computed once and every summary is made from it (`summary.make_summary(rollup=…)`), one summary per
year and language rendered in every format; what differs by year (highlights, the kecamatan table, the
reports due) is still read per year.
"""

from django.conf import settings
from django.utils import timezone, translation

from indicators.figures.rollup import compute
from programs.models import Plan
from reports.built import reading, store
from reports.dashboards import page_cache
from reports.files import summary

LANGUAGES = summary.LANGUAGES


def kind(year: int | None) -> str:
    """The stored file's kind: summary-2021, or summary-plan for the whole plan."""
    return f"summary-{year if year is not None else 'plan'}"


def build_summaries(plan: Plan) -> int:
    """Build and store every summary of the plan's data version; how many files."""
    as_of = timezone.localdate()
    rollup = compute(plan, as_of=as_of)
    stored = 0
    for language in LANGUAGES:
        for year in (*plan.years, None):
            made = summary.make_summary(plan, year, language, as_of, rollup=rollup)
            with translation.override(language):
                for fmt, renderer in summary.RENDERERS.items():
                    store.write(plan, kind(year), fmt, language, renderer.render(made))
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
    return reading.read_or_build(plan, kind(year), fmt, language, build)
