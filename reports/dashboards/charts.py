"""Charts of the dashboards: plain data from the rollup in, plotly figure and
the table of exactly its numbers out (the table is shown beside the chart and
downloaded as CSV). Nothing here computes a figure; it lays them out.

Figures are plotly figure specifications (`{"data": [...], "layout": {...}}`)
drawn by plotly.js. They are built as plain dicts through `Fig`, a small
stand-in for the part of `plotly.graph_objects.Figure` used here: the
graph_objects validators cost about 30 ms per chart on every request. The
tests pass every figure through `plotly.graph_objects.Figure`, so a property
plotly does not know fails there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.figures.rollup import (
    CoverageGrid,
    Figure,
    IndicatorRollup,
    KecamatanFigure,
    PillarRollup,
    PlanRollup,
    Status,
    YearOverYear,
    kecamatan_label,
)
from indicators.models import Kind
from programs.periods import semesters

PILLAR_COLOURS = ["#0b3d62", "#2e7d32", "#8e24aa", "#c75100"]
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13, "color": "#212529"}


NESTED = ("xaxis", "yaxis", "legend", "margin", "font", "marker", "line", "hoverlabel")


def _nest(target: dict, key: str, value) -> None:
    """plotly's "magic underscore": yaxis_range=… sets {"yaxis": {"range": …}}."""
    head, _sep, rest = key.partition("_")
    if rest and head in NESTED:
        _nest(target.setdefault(head, {}), rest, value)
    else:
        target[key] = value


class Fig:
    """The subset of plotly.graph_objects.Figure the dashboards use, as a plain dict."""

    def __init__(self) -> None:
        self.data: list[dict] = []
        self.layout: dict = {}

    def _trace(self, kind: str, **props) -> Fig:
        trace = {"type": kind}
        for key, value in props.items():
            _nest(trace, key, value)
        self.data.append(trace)
        return self

    def add_bar(self, **props) -> Fig:
        return self._trace("bar", **props)

    def add_scatter(self, **props) -> Fig:
        return self._trace("scatter", **props)

    def update_layout(self, **props) -> Fig:
        for key, value in props.items():
            _nest(self.layout, key, value)
        return self

    def update_xaxes(self, **props) -> Fig:
        return self.update_layout(**{f"xaxis_{key}": value for key, value in props.items()})

    def update_yaxes(self, **props) -> Fig:
        return self.update_layout(**{f"yaxis_{key}": value for key, value in props.items()})

    def to_dict(self) -> dict:
        return {"data": self.data, "layout": self.layout}

    def to_json(self) -> str:
        # "</" is escaped so a label can never close the <script> the JSON sits in
        return json.dumps(self.to_dict(), separators=(",", ":")).replace("</", "<\\/")


@dataclass
class Chart:
    slug: str
    title: str
    columns: list[str]
    rows: list[list]
    figure: Fig | None = None
    note: str = ""
    percent_columns: set[int] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return self.figure is None

    @property
    def figure_json(self) -> str:
        return self.figure.to_json() if self.figure else ""


CHAR_PX = 7.5  # the width of a character of FONT, about; generous for capitals


def _label_room(fig: Fig, axis: str, angle: int | None) -> int:
    """Pixels for an axis's tick labels: text labels by their length (room to turn them upright when a
    narrow screen makes plotly rotate them; at a fixed -45° about 0.75 of it), numbers a fixed width."""
    labels = [v for trace in fig.data for v in trace.get(axis, []) if isinstance(v, str)]
    if not labels:
        return 55 if axis == "y" else 30
    longest = max(len(label) for label in labels) * CHAR_PX
    if axis == "x" and angle:
        longest *= 0.75
    return round(16 + longest)


def _layout(fig: Fig, *, height: int = 360, percent_axis: str | None = None, **extra) -> Fig:
    separators = ".," if (get_language() or "id").startswith("en") else ",."
    fig.update_layout(
        height=height,
        font=FONT,
        separators=separators,
        # above the plot: below it, the legend would cover the x labels that a narrow screen turns upright
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        **extra,
    )
    # Margins sized here from the tick labels instead of plotly's automargin, which measures the drawn
    # labels and draws again: it tripled the time of a chart on a slow phone.
    angle = extra.get("xaxis_tickangle")
    left = _label_room(fig, "y", None)
    first_x = next((str(trace["x"][0]) for trace in fig.data if trace.get("x") and angle), "")
    left = max(left, round(10 + 0.75 * CHAR_PX * len(first_x)))  # the first slanted label reaches left
    fig.update_layout(margin={"l": left, "r": 10, "t": 30, "b": _label_room(fig, "x", angle)})
    fig.update_xaxes(automargin=False, gridcolor="#e9ecef", linecolor="#adb5bd")
    fig.update_yaxes(automargin=False, gridcolor="#e9ecef", linecolor="#adb5bd")
    if percent_axis == "y":
        fig.update_yaxes(ticksuffix=" %", rangemode="tozero")
    elif percent_axis == "x":
        fig.update_xaxes(ticksuffix=" %", rangemode="tozero")
    return fig


def _f(value: Decimal | None, places: int = 1) -> float | None:
    return None if value is None else round(float(value), places)


def _actual(figure: Figure) -> float | str | None:
    """A figure's actual for a table: a milestone's state in words, never its score."""
    return figure.state_label or _f(figure.actual, 2)


def _target(figure: Figure) -> float | str | None:
    return figure.target_label or _f(figure.target, 2)


def pillar_years(rollup: PlanRollup) -> Chart:
    """Each pillar's achievement for each year of the plan (grouped bars)."""
    years = rollup.plan.years
    rows, fig = [], Fig()
    for i, pillar in enumerate(rollup.pillars):
        values = [pillar.years[year] for year in years]
        for year, fig_value in zip(years, values, strict=True):
            rows.append(
                [_("Pillar %(n)s") % {"n": pillar.pillar.number}, year, _f(fig_value.achievement), fig_value.indicators]
            )
        fig.add_bar(
            name=_("Pillar %(n)s") % {"n": pillar.pillar.number},
            x=[str(y) for y in years],
            y=[_f(v.achievement) for v in values],
            marker_color=PILLAR_COLOURS[i % 4],
            customdata=[v.indicators for v in values],
            hovertemplate="%{x}: %{y} %<br>" + _("indicators due") + ": %{customdata}<extra>%{fullData.name}</extra>",
        )
    has_data = any(row[2] for row in rows)
    _layout(fig, percent_axis="y", barmode="group", yaxis_range=[0, 100])
    return Chart(
        "pillar-years",
        _("Achievement per pillar and year"),
        [_("Pillar"), _("Year"), _("Achievement (%)"), _("Indicators due")],
        rows,
        fig if has_data else None,
        percent_columns={2},
        note=_("Mean of the indicators' achievements, each capped at 100 %, over the indicators due that year."),
    )


def pillar_to_date(rollup: PlanRollup, year: int | None = None) -> Chart:
    """Each pillar's achievement to date, or in `year` (the year filter drives the chart as it drives the cards)."""
    rows, names, values = [], [], []
    for pillar in rollup.pillars:
        name = _("Pillar %(n)s") % {"n": pillar.pillar.number}
        figure = pillar.years[year] if year else pillar.to_date
        rows.append([name, pillar.pillar.name, _f(figure.achievement), figure.indicators])
        names.append(name)
        values.append(_f(figure.achievement))
    fig = Fig().add_bar(
        x=values,
        y=names,
        orientation="h",
        marker_color=PILLAR_COLOURS[: len(names)],
        texttemplate="%{x:.1f} %",
        textposition="auto",
        hovertemplate="%{y}: %{x} %<extra></extra>",
    )
    _layout(fig, height=260, percent_axis="x", xaxis_range=[0, 100], yaxis_autorange="reversed")
    return Chart(
        "pillar-to-date",
        _("Achievement per pillar, %(year)s") % {"year": year} if year else _("Plan-to-date achievement per pillar"),
        [_("Pillar"), _("Name"), _("Achievement (%)"), _("Indicators")],
        rows,
        fig if any(values) else None,
        percent_columns={2},
    )


def status_counts(rollup: PlanRollup, year: int | None) -> Chart:
    counts = rollup.status_counts(year)
    statuses = [s for s in Status.ORDER if counts[s] or s in (Status.ON_TRACK, Status.BEHIND, Status.OFF_TRACK)]
    rows = [[Status.label(s), counts[s]] for s in statuses]
    fig = Fig().add_bar(
        x=[Status.label(s) for s in statuses],
        y=[counts[s] for s in statuses],
        marker_color=[Status.COLOURS[s] for s in statuses],
        text=[counts[s] for s in statuses],
        textposition="auto",
        hovertemplate="%{x}: %{y}<extra></extra>",
    )
    _layout(fig, height=300)
    title = (
        _("Indicators by status, plan to date")
        if year is None
        else _("Indicators by status, %(year)s") % {"year": year}
    )
    reported = sum(counts[s] for s in (Status.ON_TRACK, Status.BEHIND, Status.OFF_TRACK, Status.UNTARGETED))
    return Chart("status-counts", title, [_("Status"), _("Indicators")], rows, fig if reported else None)


def pillar_indicators(pillar: PillarRollup, year: int | None) -> Chart:
    """Each indicator's achievement for the chosen year and to date, coloured by status."""
    targeted = [row for row in pillar.indicators if row.indicator.is_targeted]
    rows = []
    for row in pillar.indicators:
        y = row.years[year] if year else None
        rows.append(
            [
                row.code,
                row.indicator.text,
                _target(y) if y else None,
                _actual(y) if y else None,
                _f(y.shown_achievement) if y else None,
                y.status_label if y else "",
                _actual(row.to_date),
                _f(row.to_date.shown_achievement),
                row.to_date.status_label,
            ]
        )
    codes = [row.code for row in targeted]
    fig = Fig()
    if year:
        figs = [row.years[year] for row in targeted]
        fig.add_bar(
            name=str(year),
            y=codes,
            x=[_f(f.shown_achievement) for f in figs],
            orientation="h",
            marker={"color": [Status.COLOURS[f.status] for f in figs], "pattern": {"shape": "/"}},
            customdata=[f.status_label for f in figs],
            hovertemplate="%{y}: %{x} % (%{customdata})<extra>" + str(year) + "</extra>",
        )
    figs = [row.to_date for row in targeted]
    fig.add_bar(
        name=_("Plan to date"),
        y=codes,
        x=[_f(f.shown_achievement) for f in figs],
        orientation="h",
        marker_color=[Status.COLOURS[f.status] for f in figs],
        customdata=[f.status_label for f in figs],
        hovertemplate="%{y}: %{x} % (%{customdata})<extra>" + _("Plan to date") + "</extra>",
    )
    _layout(
        fig,
        height=max(300, 60 + 34 * len(codes) * (2 if year else 1)),
        percent_axis="x",
        barmode="group",
        yaxis_autorange="reversed",
        yaxis_type="category",
    )
    has_data = any(f.achievement for f in figs) or (year and any(r.years[year].achievement for r in targeted))
    columns = [
        _("Code"),
        _("Indicator"),
        _("Target %(year)s") % {"year": year or "–"},
        _("Actual %(year)s") % {"year": year or "–"},
        _("Achievement %(year)s (%%)") % {"year": year or "–"},
        _("Status %(year)s") % {"year": year or "–"},
        _("Actual to date"),
        _("Achievement to date (%)"),
        _("Status to date"),
    ]
    return Chart(
        "pillar-indicators",
        _("Indicators of the pillar"),
        columns,
        rows,
        fig if has_data else None,
        percent_columns={4, 7},
        note=_("Bars are coloured by status against pace: green on track, yellow behind, red off track."),
    )


def indicator_trend(row: IndicatorRollup, plan) -> Chart:
    """Actual per semester and cumulative against the target pace."""
    indicator = row.indicator
    periods = semesters(plan.years)
    labels = [str(p) for p in periods]
    figs = [row.semesters[p] for p in periods]
    # a milestone's actuals in words (its state at the end of the semester), its pace a share of 100 %
    table = [
        [str(p), _actual(f), f.state_label or _f(f.pace_actual, 2), _f(f.pace_target, 2)]
        for p, f in zip(periods, figs, strict=True)
    ]
    fig = Fig()
    kind = Kind(indicator.kind)
    if kind.is_summed:
        fig.add_bar(
            name=_("Actual in the semester"), x=labels, y=[_f(f.actual, 2) for f in figs], marker_color="#6c9bc4"
        )
    fig.add_scatter(
        name=_("Cumulative actual") if kind.is_summed or kind == Kind.COVERAGE else _("Actual"),
        x=labels,
        y=[_f(f.pace_actual, 2) for f in figs],
        mode="lines+markers",
        line={"color": "#0b3d62", "width": 3},
    )
    if indicator.is_targeted:
        fig.add_scatter(
            name=_("Target pace"),
            x=labels,
            y=[_f(f.pace_target, 2) for f in figs],
            mode="lines",
            line={"color": "#b02a37", "dash": "dash"},
        )
    _layout(fig, percent_axis="y" if kind in (Kind.PERCENT, Kind.MILESTONE) else None)  # a milestone's 0–100
    has_data = any(f.pace_actual is not None for f in figs)
    return Chart(
        "trend",
        _("Progress per semester against the target pace"),
        [_("Period"), _("Actual in the period"), _("Actual to the end of the period"), _("Target due")],
        table,
        fig if has_data else None,
    )


def kecamatan_bars(indicator, kecamatan: list, values: dict[int, KecamatanFigure]) -> Chart:
    """All the regency's kecamatan, zeros shown: the rollup's figure there, or entries for kinds without one."""
    measure = kecamatan_label(indicator)
    rows = []
    for region in kecamatan:
        found = values.get(region.id)
        entries = found.entries if found else 0
        if measure is None:
            rows.append([region.code, region.name, entries])
        else:
            value = _f(found.value, 2) if found else None
            rows.append(
                [region.code, region.name, entries, 0 if value is None and indicator.kind != Kind.PERCENT else value]
            )
    names = [r[1] for r in rows]
    y = [r[-1] for r in rows]
    fig = Fig().add_bar(x=names, y=y, marker_color="#0b3d62", hovertemplate="%{x}: %{y}<extra></extra>")
    percent = indicator.kind == Kind.PERCENT
    _layout(fig, height=380, xaxis_tickangle=-45, percent_axis="y" if percent else None)
    columns = [_("Code"), _("Kecamatan"), _("Entries")] + ([measure] if measure else [])
    return Chart(
        "kecamatan",
        _("Where the work happened (all %(count)s kecamatan)") % {"count": len(kecamatan)},
        columns,
        rows,
        fig if any(r[2] for r in rows) else None,
        percent_columns={3} if percent else set(),
    )


def disaggregation(row: IndicatorRollup) -> Chart:
    parts = [
        ("male", _("Men / boys")),
        ("female", _("Women / girls")),
        ("child", _("Children")),
        ("adult", _("Adults")),
    ]
    rows = [[label, row.sex.get(key, 0)] for key, label in parts]
    fig = Fig().add_bar(
        x=[r[0] for r in rows],
        y=[r[1] for r in rows],
        marker_color=["#0b3d62", "#8e24aa", "#c75100", "#2e7d32"],
        hovertemplate="%{x}: %{y}<extra></extra>",
    )
    _layout(fig, height=300)
    return Chart(
        "sex-age",
        _("People by sex and age group, where recorded"),
        [_("Group"), _("People")],
        rows,
        fig if row.sex else None,
        note=_("Only entries that record a split are included, so the parts need not add up to the total."),
    )


def kecamatan_overview(kecamatan: list, activity: dict[int, dict]) -> Chart:
    rows = [
        [r.code, r.name, activity.get(r.id, {}).get("entries", 0), activity.get(r.id, {}).get("indicators", 0)]
        for r in kecamatan
    ]
    fig = Fig().add_bar(
        x=[r[1] for r in rows],
        y=[r[2] for r in rows],
        marker_color="#0b3d62",
        customdata=[r[3] for r in rows],
        hovertemplate="%{x}: %{y} (" + _("indicators") + ": %{customdata})<extra></extra>",
    )
    _layout(fig, height=380, xaxis_tickangle=-45)
    return Chart(
        "kecamatan-activity",
        _("Entries per kecamatan"),
        [_("Code"), _("Kecamatan"), _("Entries"), _("Indicators with work there")],
        rows,
        fig if any(r[2] for r in rows) else None,
    )


def _points(value: Decimal | None) -> float | None:
    """A change in percentage points, one decimal."""
    return _f(value)


def pillars_year_over_year(yoy: YearOverYear) -> Chart:
    """Each pillar's achievement in two years side by side, and the change in points."""
    first, second = yoy.first, yoy.second
    rows = [
        [
            _("Pillar %(n)s") % {"n": c.pillar.number},
            c.pillar.name,
            _f(c.before.achievement),
            c.before.indicators,
            _f(c.now.achievement),
            c.now.indicators,
            _points(c.points),
        ]
        for c in yoy.pillars
    ]
    names = [r[0] for r in rows]
    fig = Fig()
    for year, column, colour in ((first, 2, "#9ab7d3"), (second, 4, "#0b3d62")):
        fig.add_bar(
            name=str(year),
            x=names,
            y=[r[column] for r in rows],
            marker_color=colour,
            hovertemplate="%{x}: %{y} %<extra>" + str(year) + "</extra>",
        )
    _layout(fig, percent_axis="y", barmode="group", yaxis_range=[0, 100])
    has_data = any(r[2] or r[4] for r in rows)
    return Chart(
        "pillars-year-over-year",
        _("Achievement per pillar, %(first)s and %(second)s") % {"first": first, "second": second},
        [
            _("Pillar"),
            _("Name"),
            _("Achievement %(year)s (%%)") % {"year": first},
            _("Indicators due %(year)s") % {"year": first},
            _("Achievement %(year)s (%%)") % {"year": second},
            _("Indicators due %(year)s") % {"year": second},
            _("Change (points)"),
        ],
        rows,
        fig if has_data else None,
        percent_columns={2, 4},
        note=_(
            "Each year's mean over the indicators due that year, each capped at 100 %; "
            "the change is in percentage points."
        ),
    )


def indicators_year_over_year(yoy: YearOverYear) -> Chart:
    """Each indicator's target, actual and achievement in two years, and the change (bars: the targeted ones)."""
    first, second = yoy.first, yoy.second
    rows = []
    for c in yoy.indicators:
        rows.append(
            [
                c.row.code,
                c.row.indicator.text,
                _target(c.before),
                _actual(c.before),
                _f(c.before.shown_achievement),
                _target(c.now),
                _actual(c.now),
                _f(c.now.shown_achievement),
                _points(c.points),
                c.now.status_label,
            ]
        )
    # the bars: the indicators with something reported in either year (the table lists every indicator)
    reported = [c for c in yoy.indicators if c.now.actual is not None or c.before.actual is not None]
    shown = [c for c in reported if c.points is not None]
    changes = [_points(c.points) for c in shown]
    fig = Fig().add_bar(
        x=changes,
        y=[c.row.code for c in shown],
        orientation="h",
        marker_color=["#198754" if (v or 0) >= 0 else "#b02a37" for v in changes],
        customdata=[[_f(c.before.achievement), _f(c.now.achievement)] for c in shown],  # as the change: 0 → 50
        hovertemplate="%{y}: %{customdata[0]} % → %{customdata[1]} % (%{x:+.1f})<extra></extra>",
    )
    _layout(
        fig,
        height=max(300, 60 + 22 * len(shown)),
        xaxis_ticksuffix=" pt",
        xaxis_zeroline=True,
        yaxis_autorange="reversed",
        yaxis_type="category",
    )
    return Chart(
        "indicators-year-over-year",
        _("Indicators, %(first)s and %(second)s") % {"first": first, "second": second},
        [
            _("Code"),
            _("Indicator"),
            _("Target %(year)s") % {"year": first},
            _("Actual %(year)s") % {"year": first},
            _("Achievement %(year)s (%%)") % {"year": first},
            _("Target %(year)s") % {"year": second},
            _("Actual %(year)s") % {"year": second},
            _("Achievement %(year)s (%%)") % {"year": second},
            _("Change (points)"),
            _("Status %(year)s") % {"year": second},
        ],
        rows,
        fig if any(changes) else None,
        percent_columns={4, 7},
        note=_(
            "Bars: the change of each targeted indicator's achievement from the first year to the second, in "
            "percentage points (green up, red down), for the indicators with something reported in either year; "
            "the table lists every indicator."
        ),
    )


def coverage_grid(grid: CoverageGrid) -> Chart:
    """Kecamatan × coverage indicator: the semester each place was first reached ("" not reached).

    The page draws it as a grid (a table, so screen readers read it as one); the CSV has the same cells."""
    rows = []
    for region in grid.kecamatan:
        cells = [grid.reached(i.id, region.id) for i in grid.indicators]
        rows.append([region.code, region.name, *[str(p) if p else "" for p in cells]])
    return Chart(
        "coverage",
        _("Coverage indicators: kecamatan reached, and since when"),
        [_("Code"), _("Kecamatan"), *[i.code for i in grid.indicators]],
        rows,
        None,
        note=_("Each cell: the semester the kecamatan was first reached (its first entry there); empty: not reached."),
    )
