"""The annual summaries: the "Reports" page and the PDF, XLSX and CSV downloads.

Stable addresses for the office's bookmarks and scheduled jobs:
/reports/<year>/summary.<pdf|xlsx|csv> and /reports/plan/summary.<pdf|xlsx|csv>.
The file is in the reader's language (Indonesian unless they chose English).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language

from programs.models import Plan
from reports import summary
from reports.access import summary_reader_required


def current_plan_or_404() -> Plan:
    plan = Plan.current()
    if plan is None:
        raise Http404("No plan loaded")
    return plan


def report_language() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


@summary_reader_required
def summaries(request):
    plan = current_plan_or_404()
    return render(request, "reports/summaries.html", {"plan": plan, "formats": list(summary.FORMATS)})


def _download(plan: Plan, year: int | None, fmt: str) -> HttpResponse:
    if fmt not in summary.FORMATS:
        raise Http404("Unknown format")
    if year is not None and not plan.contains_year(year):
        raise Http404("Year outside the plan")
    content = summary.build(plan, year, fmt, report_language(), as_of=timezone.localdate())
    response = HttpResponse(content, content_type=summary.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{summary.filename(plan, year, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@summary_reader_required
def year_summary(request, year: int, fmt: str):
    return _download(current_plan_or_404(), year, fmt)


@summary_reader_required
def plan_summary(request, fmt: str):
    return _download(current_plan_or_404(), None, fmt)


urlpatterns = [
    path("reports/", summaries, name="summaries"),
    path("reports/<int:year>/summary.<str:fmt>", year_summary, name="year_summary"),
    path("reports/plan/summary.<str:fmt>", plan_summary, name="plan_summary"),
]
