"""Achievement dashboards: overview, pillar, indicator and kecamatan pages.

Every number comes from `indicators.figures.rollup`; `reports.dashboards.charts` lays it out as
a plotly chart plus the table of exactly its numbers (also as CSV).
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.figures.rollup import (
    Filters,
    cached_compute,
    coverage_grid,
    figures_as_of,
    kecamatan_activity,
    kecamatan_figures,
    year_over_year,
)
from indicators.models import Kind
from indicators.models.roles import ENTER, can_read_all
from programs.access import plan_page
from programs.models import Pillar, Plan, Region
from reports.dashboards import charts as figures
from reports.dashboards import page_cache
from reports.forms import CompareYears, DashboardFilters
from reports.views.access import dashboard_reader_required
from reports.views.content import render_body, render_page
from tptto_monitor.lib import cells, csv_style


@dataclass
class Context:
    plan: Plan
    pillars: QuerySet[Pillar]
    data: QueryDict  # the query string
    filters: Filters = field(init=False)
    year: int | None = field(init=False)
    extra: list[tuple[str, str, object]] = field(default_factory=list)  # (parameter, label, value) a page adds

    @cached_property
    def form(self) -> DashboardFilters:
        return DashboardFilters(self.data, plan=self.plan, pillars=self.pillars)

    def value(self, name: str):
        """A filter's value as understood (None when malformed); with no filter asked, None without building the
        form, whose querysets cost a page served from the cache a tenth of its time."""
        return None if DashboardFilters.asks_nothing(self.data) else self.form.value(name)

    def canonical(self) -> QueryDict:
        return QueryDict() if DashboardFilters.asks_nothing(self.data) else self.form.canonical()

    def described(self) -> list[str]:
        """The filters in words, for the header of a chart's CSV ("Year: 2021", …); none: the whole plan."""
        parts = []
        for name in ("year", "pillar", "agency", "kecamatan"):
            value = self.value(name)
            if name == "pillar" and self.filters.pillar_number:
                value = _("Pillar %(n)s") % {"n": self.filters.pillar_number}
            if value:
                label = str(self.form.fields[name].label)
                parts.append(f"{label}: {value.name if hasattr(value, 'name') else value}")
        if self.filters.include_unverified:
            parts.append(str(self.form.fields["unverified"].label))
        return parts + [f"{label}: {value}" for _slug, label, value in self.extra]

    def slug(self) -> str:
        """The filters as part of a file name: year-2021, agency-polres …"""
        names = ("year", "pillar", "agency", "kecamatan")
        parts = [f"{name}-{self.data[name]}" for name in names if self.value(name)]
        if self.filters.pillar_number and not self.value("pillar"):
            parts.append(f"pillar-{self.filters.pillar_number}")
        if self.filters.include_unverified:
            parts.append("unverified")
        return "-".join(parts + [f"{slug}-{value}" for slug, _label, value in self.extra])

    def rollup(self, filters: Filters | None = None):
        filters = filters or self.filters
        narrowed = filters.indicator_code or filters.indicator_ids is not None
        return cached_compute(
            self.plan, filters, as_of=timezone.localdate(), pillars=None if narrowed else list(self.pillars)
        )


def _context(request, *, pillar_number: int | None = None) -> Context:
    plan = request.plan
    pillars = Pillar.objects.filter(plan=plan).order_by("number")  # read only by the pages that need it
    ctx = Context(plan, pillars, request.GET)
    if not DashboardFilters.asks_nothing(ctx.data) and not ctx.form.is_valid():
        for name, errors in ctx.form.errors.items():
            label = ctx.form.fields[name].label if name in ctx.form.fields else name
            messages.warning(request, _("Filter “%(field)s” ignored: %(error)s") % {"field": label, "error": errors[0]})
    agency = ctx.value("agency")
    kecamatan = ctx.value("kecamatan")
    ctx.filters = Filters(
        include_unverified=bool(ctx.value("unverified")),
        agency_id=agency.id if agency else None,
        kecamatan_id=kecamatan.id if kecamatan else None,
        pillar_number=pillar_number or ctx.value("pillar"),
    )
    ctx.year = ctx.value("year")
    return ctx


def _csv_or_page(request, ctx: Context, template: str, build: Callable[[], tuple[list, dict]], scope=()):
    """The page, or with `?csv=<chart slug>` exactly the numbers of that chart.

    `build()` returns the charts and the template's context; its work and the rendering of the
    page's content are kept in the cache (reports.dashboards.page_cache) until the plan's data change, keyed on
    the page, its filters, the language, the day and `scope` (what the reader's rights change).
    """
    slug = request.GET.get("csv")
    if slug is not None:
        charts, _unused = build()
        return _chart_csv(ctx, charts, slug, csv_style.excel_id_requested(request))

    # the key and the content from the page's own filters as understood (DashboardFilters.canonical): other
    # parameters neither make another copy nor show up in the page's links
    query = ctx.canonical()
    if ctx.extra:  # a page's own choices (the years compared) are part of what it shows
        query = query.copy()
        for name, _label, value in ctx.extra:
            query[name] = str(value)

    def render_content() -> tuple[str, str]:
        charts, context = build()
        asked, request.GET = request.GET, query
        try:
            return render_body(request, template, {**context, "charts": {c.slug: c for c in charts}})
        finally:
            request.GET = asked

    page = page_cache.key("page", ctx.plan, request.resolver_match.view_name, request.path, query.urlencode(), *scope)
    return render_page(request, *page_cache.get_or_build(page, render_content))


def _chart_csv(ctx: Context, charts: list[figures.Chart], slug: str, excel_id: bool = False) -> HttpResponse:
    """A chart's numbers as CSV, named and headed by what they are: comment lines (starting with "#", which
    CSV readers skip with comment="#" / commentChar) give the chart, the plan, the filters and the day; then
    the header row and the rows. The file name says the plan, the chart, the filters and the day too.
    With `excel_id`, in the Excel (Indonesian settings) style (tptto_monitor.lib.csv_style)."""
    chart = next((c for c in charts if c.slug == slug), None)
    if chart is None:
        raise Http404("Unknown chart")
    today = timezone.localdate()
    name = "-".join(part for part in (ctx.plan.code, chart.slug, ctx.slug(), today.isoformat()) if part)
    out = io.StringIO()
    filters = "; ".join(ctx.described()) or _("none (the whole plan)")
    for line in (
        chart.title,
        _("Plan: %(code)s, %(name)s") % {"code": ctx.plan.code, "name": ctx.plan.name},
        _("Filters: %(filters)s") % {"filters": filters},
        _("Downloaded on %(date)s") % {"date": today.isoformat()},
    ):
        # one cell per comment line: a comma in a plan's name stays inside it
        out.write("# " + line.replace("\n", " ") + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(chart.columns)
    for row in chart.rows:
        # through the one cell writer: formulas defused, whole numbers whole (7, not 7.0)
        writer.writerow([cells.csv_value(v) for v in row])
    content, filename = out.getvalue().encode(), f"{name}.csv"
    if excel_id:
        numbers = {i for row in chart.rows for i, v in enumerate(row) if isinstance(v, int | float | Decimal)}
        content, filename = csv_style.excel_id(content, numbers), csv_style.excel_id_filename(filename)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dashboard_reader_required
@plan_page
def overview(request):
    ctx = _context(request)

    def build():
        rollup = ctx.rollup()
        charts = [
            figures.pillar_years(rollup),
            figures.pillar_to_date(rollup, ctx.year),
            figures.status_counts(rollup, ctx.year),
        ]
        # the cards: each pillar in the chosen year, or to date
        cards = [(p, p.years[ctx.year] if ctx.year else p.to_date) for p in rollup.pillars]
        return charts, {"ctx": ctx, "rollup": rollup, "cards": cards, "as_of": rollup.as_of_year(ctx.year)}

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
        headline = pillar_rollup.years[ctx.year] if ctx.year else pillar_rollup.to_date
        return charts, {
            "ctx": ctx,
            "rollup": rollup,
            "pillar": pillar_rollup,
            "headline": headline,
            "as_of": rollup.as_of_year(ctx.year),
        }

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
        rollup = ctx.rollup(filters)
        row = rollup.find(code)
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
            "headline": row.years[ctx.year] if ctx.year else row.to_date,
            "as_of": rollup.as_of_year(ctx.year),
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
        grid = coverage_grid(ctx.plan, ctx.filters, up_to=ctx.year, kecamatan=regions)
        charts = [
            figures.kecamatan_overview(regions, kecamatan_activity(ctx.plan, ctx.filters)),
            figures.coverage_grid(grid),
        ]
        columns = [(i, grid.reached_count(i.id)) for i in grid.indicators]
        grid_rows = [(k, [grid.reached(i.id, k.id) for i in grid.indicators]) for k in grid.kecamatan]
        selected = ctx.value("kecamatan")
        work = []
        if selected:
            work = (
                ctx.filters.entries(ctx.plan)
                .select_related("indicator", "agency")
                .order_by("indicator__code", "-year", "-semester")[:200]
            )
        return charts, {
            "ctx": ctx,
            "selected": selected,
            "work": work,
            "grid": grid,
            "grid_columns": columns,
            "grid_rows": grid_rows,
            "as_of": figures_as_of(ctx.plan, timezone.localdate(), ctx.year),
        }

    return _csv_or_page(request, ctx, "reports/kecamatan.html", build)


@dashboard_reader_required
@plan_page
def compare(request):
    """Two years side by side: each pillar and indicator in both, and the change."""
    ctx = _context(request)
    years = CompareYears(request.GET, plan=ctx.plan, today=timezone.localdate())
    if request.GET.get("first") and not years.is_valid():
        messages.warning(request, _("Years ignored: %(error)s") % {"error": next(iter(years.errors.values()))[0]})
    first, second = years.years()
    ctx.extra = [("first", _("From"), first), ("second", _("To"), second)]

    def build():
        rollup = ctx.rollup()
        yoy = year_over_year(rollup, first, second)
        charts = [figures.pillars_year_over_year(yoy), figures.indicators_year_over_year(yoy)]
        return charts, {
            "ctx": ctx,
            "years": years,
            "yoy": yoy,
            "first_as_of": rollup.as_of_year(first),
            "second_as_of": rollup.as_of_year(second),
        }

    return _csv_or_page(request, ctx, "reports/compare.html", build)


urlpatterns = [
    path("dashboard/", overview, name="overview"),
    path("dashboard/pillar/<int:number>/", pillar, name="pillar"),
    path("dashboard/indicator/<str:code>/", indicator, name="indicator"),
    path("dashboard/kecamatan/", kecamatan, name="kecamatan"),
    path("dashboard/compare/", compare, name="compare"),
]
