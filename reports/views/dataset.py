"""The analysis dataset download (docs/dataset.md), for those who download summaries:
reviewers, executives, verifiers and administrators."""

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone

from programs.access import plan_page
from reports.exchange import dataset
from reports.views.access import summary_reader_required
from reports.views.downloads import report_language


@summary_reader_required
@plan_page
def download(request, fmt: str):
    if fmt not in dataset.FORMATS:
        raise Http404("Unknown format")
    plan = request.plan
    content = dataset.build(plan, fmt, timezone.localdate(), report_language())
    response = HttpResponse(content, content_type=dataset.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{dataset.filename(plan, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [path("reports/dataset.<str:fmt>", download, name="dataset")]
