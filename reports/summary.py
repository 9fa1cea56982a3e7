"""The annual summary: the rows that the CSV, XLSX and PDF builders lay out.

`summary_rows()` asks `indicators.rollup` for every figure and only arranges
them: it adds, averages or divides nothing. Narratives for the highlights are
text, read with a plain query limited to a few rows per pillar, so the cost
of a summary grows with the number of indicators, never with the entries.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from indicators.models import EntryStatus, Kind, ProgressEntry
from indicators.rollup import (
    Figure,
    Filters,
    IndicatorRollup,
    PillarFigure,
    PlanRollup,
    Status,
    compute,
    entry_counts,
    kecamatan_breakdown,
    reporting_gaps,
)
from programs.models import Agency, Pillar, Plan, Region
from programs.periods import Period

HIGHLIGHTS_PER_PILLAR = 3
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
LANGUAGES = ("id", "en")


@dataclass
class IndicatorRow:
    """One indicator with the figures the summary shows (all from the rollup)."""

    rollup: IndicatorRollup
    code: str
    pillar: int
    program: str
    activity: str
    indicator: str
    kind: str
    kind_label: str
    unit: str
    agency: str
    plan_target: Decimal | None  # the rollup's plan-to-date target
    figure: Figure  # the year's figure, or the plan to date for a whole-plan summary
    to_date: Figure

    @property
    def year_target(self) -> Decimal | None:
        return self.figure.target

    @property
    def year_actual(self) -> Decimal | None:
        return self.figure.actual

    @property
    def year_achievement_pct(self) -> Decimal | None:
        return self.figure.achievement

    @property
    def to_date_actual(self) -> Decimal | None:
        return self.to_date.actual

    @property
    def to_date_achievement_pct(self) -> Decimal | None:
        return self.to_date.achievement

    @property
    def status(self) -> str:
        return self.figure.status

    @property
    def status_label(self) -> str:
        return Status.label(self.figure.status)

    @property
    def is_targeted(self) -> bool:
        return self.rollup.indicator.is_targeted

    @property
    def is_milestone(self) -> bool:
        return self.kind == Kind.MILESTONE

    @property
    def narrative(self) -> str:
        return self.figure.text


@dataclass
class Group:
    """A program or an activity heading, with the indicators below it."""

    code: str
    name: str
    rows: list[IndicatorRow] = field(default_factory=list)


@dataclass
class Highlight:
    code: str
    period: Period
    date: datetime.date
    agency: str
    kecamatan: str
    narrative: str


@dataclass
class PillarSummary:
    pillar: Pillar
    figure: PillarFigure  # the year's, or the plan to date
    years: dict[int, PillarFigure]
    to_date: PillarFigure
    rows: list[IndicatorRow]
    programs: list[tuple[Group, list[Group]]]  # program → its activities (each with rows)
    highlights: list[Highlight]

    @property
    def number(self) -> int:
        return self.pillar.number

    @property
    def name(self) -> str:
        return self.pillar.name


@dataclass
class AgencyGap:
    agency: str
    periods: list[Period]


@dataclass
class DataQuality:
    no_data: list[IndicatorRow]  # due (or untargeted) indicators without any verified entry
    entries: dict[str, int]  # entries on the whole plan by workflow status
    gaps: list[AgencyGap]  # agencies without a submitted or verified entry in an elapsed semester

    @property
    def unverified(self) -> int:
        return sum(self.entries.get(s, 0) for s in (EntryStatus.SUBMITTED, EntryStatus.RETURNED, EntryStatus.DRAFT))


@dataclass
class Summary:
    plan: Plan
    year: int | None
    language: str
    generated_at: datetime.datetime
    cut_off: datetime.date  # the rollup's as_of: entries are counted up to this day
    rollup: PlanRollup
    pillars: list[PillarSummary]
    rows: list[IndicatorRow]
    status_counts: dict[str, int]
    quality: DataQuality
    kecamatan: list[Region]
    kecamatan_figures: dict[tuple[int, int], dict]  # (indicator id, kecamatan id) → entries, Σ value
    demo: bool = False  # invented demonstration entries are in the database: the files say so

    def sex_split(self, row: IndicatorRollup) -> dict[str, int]:
        """The sex and age split of the report's year, or of the whole plan."""
        return row.sex if self.year is None else row.sex_years.get(self.year, {})

    @property
    def has_data(self) -> bool:
        return any(row.to_date.entries for row in self.rows)

    @property
    def demo_warning(self) -> str:
        return _("Demo data: the figures include invented demonstration entries.") if self.demo else ""

    @property
    def period_label(self) -> str:
        if self.year is None:
            return f"{self.plan.start_year}–{self.plan.end_year}"
        return str(self.year)

    @property
    def title(self) -> str:
        return _(
            "Annual report on the implementation of the RAD of the TPPO Task Force, Kabupaten TTU — %(period)s"
        ) % {"period": self.period_label}

    @property
    def short_title(self) -> str:
        return _("RAD TPPO Kabupaten TTU — %(period)s") % {"period": self.period_label}


def check_year(plan: Plan, year: int | None) -> None:
    """A year outside the plan is refused (views turn this into a 404, the command into an error)."""
    if year is not None and not plan.contains_year(year):
        raise ValueError(
            _("The year %(year)s is outside the plan (%(start)s–%(end)s).")
            % {"year": year, "start": plan.start_year, "end": plan.end_year}
        )


def summary_rows(plan: Plan, year: int | None, language: str = "id", as_of: datetime.date | None = None) -> Summary:
    """Everything an annual (or whole-plan) summary shows, in `language`."""
    check_year(plan, year)
    with translation.override(language):
        rollup = compute(plan, as_of=as_of)
        pillars = [_pillar_summary(p, year) for p in rollup.pillars]
        _attach_highlights(pillars, year)
        rows = [row for pillar in pillars for row in pillar.rows]
        agencies = {a.id: a.name for a in Agency.objects.all()}
        quality = DataQuality(
            no_data=[row for row in rows if row.status == Status.NO_DATA],
            entries=entry_counts(plan),
            gaps=_gaps(plan, rollup.as_of, year, agencies),
        )
        kecamatan = list(Region.objects.filter(level=Region.Level.KECAMATAN, parent=plan.region).order_by("code"))
        return Summary(
            plan=plan,
            year=year,
            language=language,
            generated_at=timezone.localtime(),
            cut_off=rollup.as_of,
            rollup=rollup,
            pillars=pillars,
            rows=rows,
            status_counts=rollup.status_counts(year),
            quality=quality,
            kecamatan=kecamatan,
            kecamatan_figures=kecamatan_breakdown(plan, Filters(year=year)),
            demo=ProgressEntry.objects.filter(indicator__plan=plan, is_demo=True).exists(),
        )


def _pillar_summary(pillar_rollup, year: int | None) -> PillarSummary:
    rows = []
    programs: dict[str, tuple[Group, dict[str, Group]]] = {}
    for item in pillar_rollup.indicators:
        indicator = item.indicator
        activity = indicator.activity
        program = activity.program
        row = IndicatorRow(
            rollup=item,
            code=indicator.code,
            pillar=pillar_rollup.pillar.number,
            program=program.code,
            activity=activity.code,
            indicator=indicator.text,
            kind=indicator.kind,
            kind_label=str(indicator.get_kind_display()),
            unit=indicator.unit,
            agency=indicator.agency.short_name,
            plan_target=item.to_date.target,
            figure=item.years[year] if year is not None else item.to_date,
            to_date=item.to_date,
        )
        rows.append(row)
        program_group, activities = programs.setdefault(program.code, (Group(program.code, program.name), {}))
        activities.setdefault(activity.code, Group(activity.code, activity.name)).rows.append(row)
        program_group.rows.append(row)
    return PillarSummary(
        pillar=pillar_rollup.pillar,
        figure=pillar_rollup.years[year] if year is not None else pillar_rollup.to_date,
        years=pillar_rollup.years,
        to_date=pillar_rollup.to_date,
        rows=rows,
        programs=[(group, list(activities.values())) for group, activities in programs.values()],
        highlights=[],
    )


def _attach_highlights(pillars: list[PillarSummary], year: int | None) -> None:
    """The latest few verified narratives per pillar: one small ORDER BY … LIMIT query each."""
    for pillar in pillars:
        ids = [row.rollup.indicator.id for row in pillar.rows]
        if not ids:
            continue
        qs = ProgressEntry.objects.filter(status=EntryStatus.VERIFIED, indicator_id__in=ids).exclude(narrative="")
        if year is not None:
            qs = qs.filter(year=year)
        qs = qs.select_related("indicator", "agency", "kecamatan").order_by("-date", "-id")[:HIGHLIGHTS_PER_PILLAR]
        pillar.highlights = [
            Highlight(
                code=e.indicator.code,
                period=e.period,
                date=e.date,
                agency=e.agency.short_name,
                kecamatan=e.kecamatan.name if e.kecamatan else "",
                narrative=e.narrative,
            )
            for e in qs
        ]


def _gaps(plan: Plan, as_of: datetime.date, year: int | None, agencies: dict[int, str]) -> list[AgencyGap]:
    gaps = []
    for agency_id, periods in reporting_gaps(plan, as_of).items():
        if year is not None:
            periods = [p for p in periods if p.year == year]
        if periods:
            gaps.append(AgencyGap(agencies.get(agency_id, str(agency_id)), periods))
    return sorted(gaps, key=lambda gap: gap.agency)


def filename(plan: Plan, year: int | None, fmt: str) -> str:
    """A stable ASCII file name: rad-ttu-2018-2022-summary-2021.pdf."""
    return f"{plan.code}-summary-{year if year is not None else 'plan'}.{fmt}"


def build(plan: Plan, year: int | None, fmt: str, language: str = "id") -> bytes:
    """The summary file in one of FORMATS; ValueError for an unknown format or a year outside the plan."""
    if fmt not in FORMATS:
        raise ValueError(_("Unknown format “%(format)s”: choose pdf, xlsx or csv.") % {"format": fmt})
    check_year(plan, year)
    module = importlib.import_module(f"reports.summary_{fmt}")
    return module.build(plan, year, language)
