"""The annual summary: what the CSV, XLSX and PDF renderers lay out.

`make_summary()` asks `indicators.figures.rollup` for every figure (the indicators'
figures, kecamatan figures, highlights, reporting gaps) and only arranges
them: it adds, averages or divides nothing. `build()` checks its arguments
once, makes one summary and hands it to the renderer of the format.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from indicators.figures.completeness import Completeness, completeness, year_periods
from indicators.figures.rollup import (
    Figure,
    Filters,
    Highlight,
    IndicatorRollup,
    KecamatanFigure,
    PillarFigure,
    PlanRollup,
    Status,
    compute,
    entry_counts,
    highlights,
    kecamatan_table,
)
from indicators.figures.rules import RuleResult, rule_results
from indicators.models import NARRATIVE_PARTS, PillarNarrative, ProgressEntry
from programs.models import Agency, Pillar, Plan, Region
from programs.periods import Period
from reports.files.sentences import sentences

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
        return self.figure.shown_achievement

    @property
    def to_date_actual(self) -> Decimal | None:
        return self.to_date.actual

    @property
    def to_date_achievement_pct(self) -> Decimal | None:
        return self.to_date.shown_achievement

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
    def narrative(self) -> str:
        return self.figure.text


@dataclass
class Group:
    """A program or an activity heading, with the indicators below it."""

    code: str
    name: str
    rows: list[IndicatorRow] = field(default_factory=list)


@dataclass
class PillarSummary:
    pillar: Pillar
    figure: PillarFigure  # the year's, or the plan to date
    years: dict[int, PillarFigure]
    to_date: PillarFigure
    rows: list[IndicatorRow]
    programs: list[tuple[Group, list[Group]]]  # program → its activities (each with rows)
    highlights: list[Highlight]
    narrative: PillarNarrative | None = None  # the secretariat's words on the report's year (none for the plan)

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
    kecamatan_figures: dict[tuple[int, int], KecamatanFigure]  # (indicator id, kecamatan id) → the rollup's figure
    demo: bool = False  # invented demonstration entries are in the database: the files say so
    completeness: Completeness | None = None  # reports received per agency × semester of the period
    rules: list[RuleResult] = field(default_factory=list)  # rules between indicators, semester by semester
    sentences: list[str] = field(default_factory=list)  # the message in words (reports.files.sentences)

    @property
    def off_track(self) -> list[IndicatorRow]:
        """The indicators off track in the report's year (or to date), in the plan's order."""
        return [row for row in self.rows if row.status == Status.OFF_TRACK]

    @property
    def method(self) -> list[str]:
        """How the figures are computed, in the report's language (the PDF and the DOCX print it)."""
        return [
            _(
                "Counts and periodic deliverables add up the entries; coverage counts each kecamatan once, up to "
                "the end of the period; percentages divide the sum of numerators by the sum of denominators; a "
                "milestone scores 0 (not started), 50 (in progress) or 100 (achieved) every year and counts in a "
                "pillar's mean only in its due year; a level is the latest number reported, against the level to "
                "hold each year."
            ),
            _("Achievement is the actual divided by the target, shown uncapped for each indicator."),
            _("Status compares the actual with the target due so far, spread evenly over the semesters of the plan."),
        ]

    @property
    def narrative_labels(self) -> list[tuple[str, str]]:
        """The narrative's parts and their headings, in the report's language."""
        return [
            (part, str(PillarNarrative._meta.get_field(part).verbose_name).capitalize()) for part in NARRATIVE_PARTS
        ]

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
        return _("Annual report on the implementation of the RAD of the TPPO Task Force, %(regency)s — %(period)s") % {
            "regency": self.plan.region.name,
            "period": self.period_label,
        }

    @property
    def short_title(self) -> str:
        return _("RAD TPPO %(regency)s — %(period)s") % {"regency": self.plan.region.name, "period": self.period_label}


def check(plan: Plan, year: int | None, fmt: str | None = None, language: str = "id") -> None:
    """A year outside the plan, an unknown format or language: ValueError, with a translated message
    (views turn it into a 404, the command into an error)."""
    if year is not None and not plan.contains_year(year):
        raise ValueError(
            _("The year %(year)s is outside the plan (%(start)s–%(end)s).")
            % {"year": year, "start": plan.start_year, "end": plan.end_year}
        )
    if fmt is not None and fmt not in RENDERERS:
        raise ValueError(_("Unknown format “%(format)s”: choose pdf, docx, xlsx or csv.") % {"format": fmt})
    if language not in LANGUAGES:
        raise ValueError(_("Unknown language “%(language)s”: choose id or en.") % {"language": language})


def make_summary(
    plan: Plan,
    year: int | None,
    language: str,
    as_of: datetime.date,
    *,
    with_highlights: bool = True,
    rollup: PlanRollup | None = None,
) -> Summary:
    """Everything an annual (or whole-plan) summary shows, in `language`, with the data as on `as_of`.

    `rollup`: the plan's `compute(plan, as_of=as_of)` when the caller already has it (the files built ahead
    make every year's summary, in both languages, from one rollup: it holds no text in a language).
    """
    check(plan, year, language=language)
    with translation.override(language):
        rollup = rollup if rollup is not None else compute(plan, as_of=as_of)
        in_year = Filters(year=year)
        found = highlights(plan, in_year) if with_highlights else {}
        pillars = [_pillar_summary(p, year, found.get(p.pillar.number, [])) for p in rollup.pillars]
        if year is not None:
            written = PillarNarrative.for_year(plan, year)
            for pillar in pillars:
                pillar.narrative = written.get(pillar.number)
        rows = [row for pillar in pillars for row in pillar.rows]
        agencies = {a.id: a.name for a in Agency.objects.for_region(plan.region)}
        # deadlines are judged on the day itself, not the cut-off: the last semester's falls after the plan
        reports = completeness(plan, as_of=as_of, periods=year_periods(plan, year))
        quality = DataQuality(
            no_data=[row for row in rows if row.status == Status.NO_DATA],
            entries=entry_counts(plan),
            gaps=_gaps(reports, agencies),
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
            kecamatan_figures=kecamatan_table(plan, in_year),
            demo=ProgressEntry.objects.filter(indicator__plan=plan, is_demo=True).exists(),
            completeness=reports,
            rules=rule_results(plan, as_of=rollup.as_of),
            sentences=sentences(rollup, year),
        )


def _pillar_summary(pillar_rollup, year: int | None, found: list[Highlight]) -> PillarSummary:
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
        highlights=found,
    )


def _gaps(reports: Completeness, agencies: dict[int, str]) -> list[AgencyGap]:
    """Agencies with indicators due in a semester whose deadline had passed by the cut-off and not one of
    them received (`Cell.unreported`: the cockpit's rule, which the province page follows too).

    From the completeness table, so that both sections of the data-quality page agree on what is due
    (an agency whose only milestone is achieved owes nothing, for one).
    """
    gaps = []
    for agency, cells in reports.rows():
        periods = [c.period for c in cells if c.unreported]
        if periods:
            gaps.append(AgencyGap(agencies.get(agency.pk, agency.short_name), periods))
    return sorted(gaps, key=lambda gap: gap.agency)


def filename(plan: Plan, year: int | None, fmt: str) -> str:
    """A stable ASCII file name: rad-ttu-2018-2022-summary-2021.pdf."""
    return f"{plan.code}-summary-{year if year is not None else 'plan'}.{fmt}"


@dataclass(frozen=True)
class Renderer:
    """A summary format: the module that renders it (imported when first used, as django.core.serializers
    does: no renderer is imported by this module, so none can import back), its content type, and whether
    the file shows the highlights (else they are not looked up)."""

    module: str
    content_type: str
    highlights: bool

    @property
    def render(self) -> Callable[[Summary], bytes]:
        return import_module(self.module).render


RENDERERS = {
    "pdf": Renderer("reports.files.summary_pdf", "application/pdf", highlights=True),
    "xlsx": Renderer(
        "reports.files.summary_xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        highlights=True,
    ),
    "csv": Renderer("reports.files.summary_csv", "text/csv; charset=utf-8", highlights=False),
    "docx": Renderer(
        "reports.files.summary_docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        highlights=True,
    ),
}
FORMATS = {fmt: renderer.content_type for fmt, renderer in RENDERERS.items()}


def build(plan: Plan, year: int | None, fmt: str, language: str, as_of: datetime.date) -> bytes:
    """The summary file in one of RENDERERS' formats, with the data as on `as_of`.

    ValueError for an unknown format or language, or a year outside the plan.
    """
    check(plan, year, fmt, language)
    renderer = RENDERERS[fmt]
    return renderer.render(make_summary(plan, year, language, as_of, with_highlights=renderer.highlights))
