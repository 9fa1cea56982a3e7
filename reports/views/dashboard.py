"""Achievement dashboards: overview, pillar, indicator and kecamatan pages.

Every number comes from `indicators.rollup`; `reports.figures` lays it out as
a plotly chart plus the table of exactly its numbers (also as CSV).
"""

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Kind
from indicators.roles import can_read_all, user_agency
from indicators.rollup import Filters, cached_compute, kecamatan_activity, kecamatan_figures
from programs.models import Pillar, Plan, Region
from reports import figures, summary_csv
from reports.access import dashboard_reader_required
from reports.forms import DashboardFilters


@dataclass
class Context:
    plan: Plan
    pillars: QuerySet[Pillar]
    form: DashboardFilters
    filters: Filters
    year: int | None

    def rollup(self, filters: Filters | None = None):
        filters = filters or self.filters
        narrowed = filters.indicator_code or filters.indicator_ids is not None
        return cached_compute(
            self.plan, filters, as_of=timezone.localdate(), pillars=None if narrowed else list(self.pillars)
        )


def _context(request, *, pillar_number: int | None = None) -> Context:
    plan = Plan.current()
    if plan is None:
        raise Http404("No plan loaded")
    pillars = Pillar.objects.filter(plan=plan).order_by("number")  # read only by the pages that need it
    form = DashboardFilters(request.GET, plan=plan, pillars=pillars)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.warning(request, _("Filter “%(field)s” ignored: %(error)s") % {"field": label, "error": errors[0]})
    agency = form.value("agency")
    kecamatan = form.value("kecamatan")
    filters = Filters(
        include_unverified=bool(form.value("unverified")),
        agency_id=agency.id if agency else None,
        kecamatan_id=kecamatan.id if kecamatan else None,
        pillar_number=pillar_number or form.value("pillar"),
    )
    return Context(plan, pillars, form, filters, form.value("year"))


def _csv_or_page(request, charts: list[figures.Chart], template: str, context: dict):
    """`?csv=<chart slug>` downloads exactly the numbers of that chart."""
    slug = request.GET.get("csv")
    if slug is None:
        return render(request, template, {**context, "charts": {c.slug: c for c in charts}})
    chart = next((c for c in charts if c.slug == slug), None)
    if chart is None:
        raise Http404("Unknown chart")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(chart.columns)
    for row in chart.rows:
        # text that a spreadsheet would read as a formula gets a leading apostrophe, as in the summaries
        writer.writerow(["" if v is None else summary_csv.text(v) if isinstance(v, str) else v for v in row])
    return response


@dashboard_reader_required
def overview(request):
    ctx = _context(request)
    rollup = ctx.rollup()
    charts = [figures.pillar_years(rollup), figures.pillar_to_date(rollup), figures.status_counts(rollup, ctx.year)]
    return _csv_or_page(request, charts, "reports/overview.html", {"ctx": ctx, "rollup": rollup})


@dashboard_reader_required
def pillar(request, number: int):
    ctx = _context(request, pillar_number=number)
    if number not in [p.number for p in ctx.pillars]:
        raise Http404("Unknown pillar")
    rollup = ctx.rollup()
    pillar_rollup = rollup.pillar(number)
    charts = [figures.pillar_indicators(pillar_rollup, ctx.year)]
    return _csv_or_page(request, charts, "reports/pillar.html", {"ctx": ctx, "rollup": rollup, "pillar": pillar_rollup})


@dashboard_reader_required
def indicator(request, code: str):
    ctx = _context(request)
    filters = ctx.filters.replace(pillar_number=None, indicator_code=code)
    row = ctx.rollup(filters).find(code)
    if row is None:
        raise Http404("Unknown indicator")
    obj = row.indicator
    kecamatan = list(Region.objects.filter(level=Region.Level.KECAMATAN, parent=ctx.plan.region))
    charts = [
        figures.indicator_trend(row, ctx.plan),
        figures.kecamatan_bars(obj, kecamatan, kecamatan_figures(ctx.plan, obj, filters)),
    ]
    if obj.kind == Kind.COUNT or row.sex:
        charts.append(figures.disaggregation(row))
    entries = (
        filters.entries(ctx.plan).select_related("kecamatan", "agency").order_by("-year", "-semester", "-date", "-id")
    )[:50]
    return _csv_or_page(
        request,
        charts,
        "reports/indicator.html",
        {
            "ctx": ctx,
            "row": row,
            "indicator": obj,
            "entries": entries,
            "narratives": obj.kind == Kind.QUALITATIVE,
            "can_open_all": can_read_all(request.user),
            "own_agency_id": getattr(user_agency(request.user), "id", None),
        },
    )


@dashboard_reader_required
def kecamatan(request):
    ctx = _context(request)
    regions = list(Region.objects.filter(level=Region.Level.KECAMATAN, parent=ctx.plan.region))
    charts = [figures.kecamatan_overview(regions, kecamatan_activity(ctx.plan, ctx.filters))]
    selected = ctx.form.value("kecamatan")
    work = []
    if selected:
        work = (
            ctx.filters.entries(ctx.plan)
            .select_related("indicator", "agency")
            .order_by("indicator__code", "-year", "-semester")[:200]
        )
    return _csv_or_page(
        request,
        charts,
        "reports/kecamatan.html",
        {
            "ctx": ctx,
            "selected": selected,
            "work": work,
        },
    )


urlpatterns = [
    path("dashboard/", overview, name="overview"),
    path("dashboard/pillar/<int:number>/", pillar, name="pillar"),
    path("dashboard/indicator/<str:code>/", indicator, name="indicator"),
    path("dashboard/kecamatan/", kecamatan, name="kecamatan"),
]
