"""The annual summaries: the "Reports" page and the PDF, XLSX and CSV downloads.

Stable addresses for the office's bookmarks and scheduled jobs:
/rad/<slug>/reports/<year>/summary.<pdf|xlsx|csv> and /rad/<slug>/reports/plan/summary.<pdf|xlsx|csv>
(the addresses without /rad/<slug>/ still lead to the default plan); a CSV with `?style=excel-id`
comes in the Excel (Indonesian settings) style (tptto_monitor.lib.csv_style).
The file is in the reader's language (Indonesian unless they chose English).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language

from programs.access import plan_page
from programs.models import Plan
from reports.built import summary_files
from reports.dashboards import page_cache
from reports.files import summary, summary_csv
from reports.views.access import download_limited, summary_reader_required
from tptto_monitor.lib import csv_style


def report_language() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


@summary_reader_required
@plan_page
def summaries(request):
    plan = request.plan
    return render(request, "reports/summaries.html", {"plan": plan, "formats": list(summary.FORMATS)})


def _download(request, plan: Plan, year: int | None, fmt: str) -> HttpResponse:
    """The file, built once per plan data version, year, format and language, then served like a static file.

    Built ahead by a task after a write (reports.built.summary_files), as a rule; its ETag names that
    version, so a browser that has it gets a 304 without the file being read again (even on another app server).
    """
    if fmt not in summary.FORMATS:
        raise Http404("Unknown format")
    if year is not None and not plan.contains_year(year):
        raise Http404("Year outside the plan")
    excel_id = fmt == "csv" and csv_style.excel_id_requested(request)
    language = report_language()
    key = page_cache.key("summary", plan, year, fmt, language)
    etag = '"' + key.partition(":")[2][:32] + ("-" + csv_style.EXCEL_ID if excel_id else "") + '"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is None:
        content = summary_files.summary_file(plan, year, fmt, language)  # built ahead by a task, as a rule
        name = summary.filename(plan, year, fmt)
        if excel_id:
            content, name = csv_style.excel_id(content, summary_csv.NUMBER_COLUMNS), csv_style.excel_id_filename(name)
        response = HttpResponse(content, content_type=summary.FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Content-Length"] = len(content)
    else:
        response = not_modified
    response["ETag"] = etag
    # private: only the signed-in reader's browser keeps it; no-cache: it asks (If-None-Match) every time
    response["Cache-Control"] = "private, no-cache"
    return response


@summary_reader_required
@plan_page
@download_limited
def year_summary(request, year: int, fmt: str):
    return _download(request, request.plan, year, fmt)


@summary_reader_required
@plan_page
@download_limited
def plan_summary(request, fmt: str):
    return _download(request, request.plan, None, fmt)


urlpatterns = [
    path("reports/", summaries, name="summaries"),
    path("reports/<int:year>/summary.<str:fmt>", year_summary, name="year_summary"),
    path("reports/plan/summary.<str:fmt>", plan_summary, name="plan_summary"),
]
