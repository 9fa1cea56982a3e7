"""`/province/<code>/`: the regencies' active plans side by side for a year, and its XLSX download.

Who may open it: the province's own people and superusers; anyone else is told it does not exist
(reports.province.overview.province_for_user), as for a plan of another regency.
"""

import functools

from django.urls import path
from django.utils import timezone

from reports.province import xlsx as province_xlsx
from reports.province.overview import active_plans_read, build, province_for_user
from reports.views import around
from reports.views.access import download_limited
from reports.views.content import page_over_plans
from reports.views.files import attachment


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else None


def _view(request, code: str):
    province = province_for_user(request.user, code)
    view = build(province, _year(request), as_of=timezone.localdate())
    return view


def province(request, code: str):
    plans = active_plans_read(code)  # the province comes with its plans (read below when it has none)
    province = province_for_user(request.user, code, plans[0].region.parent if plans else None)
    year, as_of = _year(request), timezone.localdate()
    around.links_to_province(request, province.code)
    return page_over_plans(
        request,
        "reports/province.html",
        plans,
        functools.partial(build, province, year, as_of=as_of, plans=plans),
        province=(province.code, province.name),
        year=year,
    )


@download_limited
def province_download(request, code: str):
    view = _view(request, code)
    return attachment(province_xlsx.render(view), f"province-{view.province.code}-{view.year}.xlsx")


app_name = "province"

urlpatterns = [
    path("province/<str:code>/", province, name="province"),
    path("province/<str:code>/province.xlsx", province_download, name="download"),
]
