"""`/national/`: the provinces side by side for a year, and its XLSX download (reports.national)."""

import functools

from django.urls import path
from django.utils import timezone

from reports.national import xlsx as national_xlsx
from reports.national.overview import active_plans_read, build, check_reader
from reports.views.content import page_over_plans
from reports.views.files import attachment


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


def _view(request):
    check_reader(request.user)
    return build(_year(request), as_of=timezone.localdate())


def national(request):
    check_reader(request.user)
    year, as_of, plans = _year(request), timezone.localdate(), active_plans_read()
    build_view = functools.partial(build, year, as_of=as_of, plans=plans)
    return page_over_plans(request, "reports/national.html", plans, build_view, year=year)


def national_download(request):
    view = _view(request)
    return attachment(national_xlsx.render(view), f"national-{view.year}.xlsx")


app_name = "national"

urlpatterns = [
    path("national/", national, name="national"),
    path("national/national.xlsx", national_download, name="download"),
]
