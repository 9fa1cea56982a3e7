"""`/national/`: the provinces side by side for a year, and its XLSX download (reports.national)."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from reports.national import xlsx as national_xlsx
from reports.national.overview import build, check_reader
from reports.views.files import attachment


def _view(request):
    check_reader(request.user)
    value = request.GET.get("year", "")
    return build(int(value) if value.isdigit() and len(value) == 4 else None, as_of=timezone.localdate())


def national(request):
    return render(request, "reports/national.html", {"view": _view(request)})


def national_download(request):
    view = _view(request)
    return attachment(national_xlsx.render(view), f"national-{view.year}.xlsx")


app_name = "national"

urlpatterns = [
    path("national/", national, name="national"),
    path("national/national.xlsx", national_download, name="download"),
]
