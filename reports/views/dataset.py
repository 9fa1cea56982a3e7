"""The analysis dataset download (docs/dataset.md), for those who download summaries:
reviewers, executives, verifiers and administrators."""

from django.http import Http404, HttpResponse
from django.urls import path

from programs.access import plan_page
from reports.built import dataset_files
from reports.exchange import dataset
from reports.views.access import download_limited, summary_reader_required
from reports.views.downloads import report_language
from tptto_monitor.lib import csv_style


@summary_reader_required
@plan_page
@download_limited
def download(request, fmt: str):
    if fmt not in dataset.FORMATS:
        raise Http404("Unknown format")
    plan = request.plan
    excel_id = fmt == "csv" and csv_style.excel_id_requested(request)
    content = dataset_files.dataset_file(plan, fmt, report_language())  # built ahead by a task, as a rule
    name = dataset.filename(plan, fmt)
    if excel_id:
        content, name = csv_style.excel_id(content, dataset.NUMBER_COLUMNS), csv_style.excel_id_filename(name)
    response = HttpResponse(content, content_type=dataset.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [path("reports/dataset.<str:fmt>", download, name="dataset")]
