"""Achievement dashboards: overview, pillar, indicator and kecamatan pages.

Every number comes from `indicators.figures.rollup`; `reports.dashboards.charts` lays it out as
a plotly chart plus the table of exactly its numbers (also as CSV).
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.figures.rollup import Filters, cached_compute, kecamatan_activity, kecamatan_figures
from indicators.models import Kind
from indicators.models.roles import ENTER, can_read_all
from programs.access import plan_page
from programs.models import Pillar, Plan, Region
from reports.dashboards import charts as figures
from reports.dashboards import page_cache
from reports.forms import DashboardFilters
from reports.views.access import dashboard_reader_required
from tptto_monitor.lib import cells


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
    plan = request.plan
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


BODY_ONLY = "reports/_body_only.html"  # the page templates extend it to render their title and content alone
TITLE_END = "<!--/title-->"


def _csv_or_page(request, ctx: Context, template: str, build: Callable[[], tuple[list, dict]], scope=()):
    """The page, or with `?csv=<chart slug>` exactly the numbers of that chart.

    `build()` returns the charts and the template's context; its work and the rendering of the
    page's content are kept in the cache (reports.dashboards.page_cache) until the plan's data change, keyed on
    the page, its filters, the language, the day and `scope` (what the reader's rights change).
    """
    slug = request.GET.get("csv")
    if slug is not None:
        charts, _unused = build()
        return _chart_csv(charts, slug)

    # the key and the content from the page's own filters as understood (DashboardFilters.canonical): other
    # parameters neither make another copy nor show up in the page's links
    query = ctx.form.canonical()

    def render_content() -> tuple[str, str]:
        charts, context = build()
        asked, request.GET = request.GET, query
        try:
            html = render_to_string(
                template, {**context, "charts": {c.slug: c for c in charts}, "base": BODY_ONLY}, request=request
            )
        finally:
            request.GET = asked
        title, _sep, content = html.partition(TITLE_END)
        return title.strip(), content

    page = page_cache.key("page", ctx.plan, request.resolver_match.view_name, request.path, query.urlencode(), *scope)
    title, content = page_cache.get_or_build(page, render_content)
    return render(request, "reports/_page.html", {"title": title, "content": content})


def _chart_csv(charts: list[figures.Chart], slug: str) -> HttpResponse:
    chart = next((c for c in charts if c.slug == slug), None)
    if chart is None:
        raise Http404("Unknown chart")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(chart.columns)
    for row in chart.rows:
        # text that a spreadsheet would read as a formula gets a leading apostrophe, as in the summaries
        writer.writerow(["" if v is None else cells.text(v) if isinstance(v, str) else v for v in row])
    return response


@dashboard_reader_required
@plan_page
def overview(request):
    ctx = _context(request)

    def build():
        rollup = ctx.rollup()
        charts = [figures.pillar_years(rollup), figures.pillar_to_date(rollup), figures.status_counts(rollup, ctx.year)]
        return charts, {"ctx": ctx, "rollup": rollup}

    return _csv_or_page(request, ctx, "reports/overview.html", build)


@dashboard_reader_required
@plan_page
def pillar(request, number: int):
    ctx = _context(request, pillar_number=number)

    def build():
        if number not in [p.number for p in ctx.pillars]:
            raise Http404("Unknown pillar")
        rollup = ctx.rollup()
        pillar_rollup = rollup.pillar(number)
        charts = [figures.pillar_indicators(pillar_rollup, ctx.year)]
        return charts, {"ctx": ctx, "rollup": rollup, "pillar": pillar_rollup}

    return _csv_or_page(request, ctx, "reports/pillar.html", build)


@dashboard_reader_required
@plan_page
def indicator(request, code: str):
    ctx = _context(request)
    can_open_all = can_read_all(request.user)
    # the profile's agency id: the agency itself is not needed (one query less)
    own_agency_id = None if can_open_all else getattr(getattr(request.user, "staff_profile", None), "agency_id", None)
    # the list of entries is for the roles that work with entries, not for executives
    show_entries = can_open_all or request.user.has_perm(ENTER)

    def build():
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
        entries = None
        if show_entries:
            entries = (
                filters.entries(ctx.plan)
                .select_related("kecamatan", "agency")
                .order_by("-year", "-semester", "-date", "-id")
            )[:50]
        return charts, {
            "ctx": ctx,
            "row": row,
            "indicator": obj,
            "entries": entries,
            "narratives": obj.kind == Kind.QUALITATIVE,
            "can_open_all": can_open_all,
            "own_agency_id": own_agency_id,
        }

    # the entries link to their page only for those who may open them: one cached copy per such right
    return _csv_or_page(
        request, ctx, "reports/indicator.html", build, scope=(can_open_all, own_agency_id, show_entries)
    )


@dashboard_reader_required
@plan_page
def kecamatan(request):
    ctx = _context(request)

    def build():
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
        return charts, {"ctx": ctx, "selected": selected, "work": work}

    return _csv_or_page(request, ctx, "reports/kecamatan.html", build)


urlpatterns = [
    path("dashboard/", overview, name="overview"),
    path("dashboard/pillar/<int:number>/", pillar, name="pillar"),
    path("dashboard/indicator/<str:code>/", indicator, name="indicator"),
    path("dashboard/kecamatan/", kecamatan, name="kecamatan"),
]
