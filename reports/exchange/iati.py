"""The plan as one IATI 2.03 activity, with its results, from indicators.figures.rollup (official figures).

- a result per program (ResultType 1, output), an indicator per targeted indicator;
- the measure from the kind: 1 unit (count, coverage, periodic), 2 percentage (percent),
  5 qualitative (milestone: its state in words, no value, as IATI asks for that measure);
- a baseline at the plan's start (nothing reported under the plan yet), and a period per
  year of the plan with the year's target and official actual, where there is one;
- the reporting organisation, the activity identifier and the sector come from settings
  (IATI_REPORTING_ORG_REF, _TYPE, _NAME, IATI_ACTIVITY_IDENTIFIER, IATI_SECTOR);
- the activity status and the actual dates from the plan's status and its official entries
  (see `activity_status` and `actual_dates`).

The file passes the IATI Standard's own rules (IATI-Rulesets `standard.json`, version 2.03, kept
in docs/standards/iati-2.03/rulesets and applied by reports/tests/iati_rules.py), not only its XSD.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from lxml import etree

from indicators.figures.rollup import IndicatorRollup, compute
from indicators.models import Kind, MilestoneStatus, ProgressEntry
from programs.models import Plan
from tptto_monitor.lib.cells import number

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEASURE = {Kind.PERCENT: "2", Kind.MILESTONE: "5"}  # every other targeted kind: 1 (unit)
RESULT_OUTPUT = "1"
# ActivityStatus codelist: 1 pipeline/identification, 2 implementation, 3 finalisation, 4 closed
PIPELINE, IMPLEMENTATION, FINALISATION, CLOSED = "1", "2", "3", "4"
SCORE_WORDS = {0: MilestoneStatus.NOT_STARTED, 50: MilestoneStatus.IN_PROGRESS, 100: MilestoneStatus.ACHIEVED}


def activity_identifier(plan: Plan) -> str:
    configured = settings.IATI_ACTIVITY_IDENTIFIER
    if configured:
        return configured.replace("{plan}", plan.code)
    return f"{settings.IATI_REPORTING_ORG_REF}-{plan.code}"


def _narratives(parent, english: str, indonesian: str = "") -> None:
    """English first (the activity's language), then Indonesian where it differs."""
    etree.SubElement(parent, "narrative").text = english or indonesian
    if indonesian and indonesian != english:
        etree.SubElement(parent, "narrative", {XML_LANG: "id"}).text = indonesian


def _element(parent, tag: str, english: str = "", indonesian: str = "", **attrs):
    node = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if english or indonesian:
        _narratives(node, english, indonesian)
    return node


def _status_words(score: Decimal | None) -> tuple[str, str]:
    status = SCORE_WORDS.get(int(score or 0), MilestoneStatus.NOT_STARTED)
    with translation.override("en"):
        english = str(status.label)
    with translation.override("id"):
        indonesian = str(status.label)
    return english, indonesian


def _indicator(result, row: IndicatorRollup, plan: Plan) -> None:
    indicator = row.indicator
    measure = MEASURE.get(indicator.kind, "1")
    node = _element(result, "indicator", measure=measure, ascending="1")
    _element(node, "title", indicator.text_en or indicator.text_id, indicator.text_id)
    unit = " ".join(part for part in (indicator.code, indicator.unit_en or indicator.unit_id) if part)
    _element(node, "description", unit)
    qualitative = measure == "5"
    baseline = etree.SubElement(
        node, "baseline", {"year": str(plan.start_year), "iso-date": datetime.date(plan.start_year, 1, 1).isoformat()}
    )
    if qualitative:
        _element(baseline, "comment", *_status_words(0))
    else:
        baseline.set("value", "0")
        _element(baseline, "comment", "Start of the plan: nothing reported under it yet.")
    for year in plan.years:
        figure = row.years[year]
        if figure.target is None and figure.actual is None:
            continue
        period = etree.SubElement(node, "period")
        etree.SubElement(period, "period-start", {"iso-date": datetime.date(year, 1, 1).isoformat()})
        etree.SubElement(period, "period-end", {"iso-date": datetime.date(year, 12, 31).isoformat()})
        if figure.target is not None:
            target = etree.SubElement(period, "target")
            if qualitative:
                _element(target, "comment", *_status_words(100))
            else:
                target.set("value", number(figure.target))
        if figure.actual is not None:
            actual = etree.SubElement(period, "actual")
            if qualitative:
                _element(actual, "comment", *_status_words(figure.actual))
            else:
                actual.set("value", number(figure.actual))


def build(plan: Plan, as_of: datetime.date, now: datetime.datetime | None = None) -> bytes:
    """The IATI activity file of the plan, with the official figures as on `as_of`."""
    now = now or timezone.now()
    stamp = now.replace(microsecond=0).isoformat()
    root = etree.Element("iati-activities", {"version": VERSION, "generated-datetime": stamp})
    activity = etree.SubElement(
        root,
        "iati-activity",
        {"last-updated-datetime": stamp, XML_LANG: "en", "default-currency": "IDR", "humanitarian": "0"},
    )
    etree.SubElement(activity, "iati-identifier").text = activity_identifier(plan)
    _element(
        activity,
        "reporting-org",
        settings.IATI_REPORTING_ORG_NAME,
        ref=settings.IATI_REPORTING_ORG_REF,
        type=settings.IATI_REPORTING_ORG_TYPE,
    )
    _element(activity, "title", plan.name_en or plan.name_id, plan.name_id)
    _element(
        activity,
        "description",
        f"Regional Action Plan against trafficking in persons, {plan.region.name}, {plan.start_year}–{plan.end_year}: "
        "progress of its indicators as verified by the task force's secretariat.",
        type="1",
    )
    _element(
        activity, "participating-org", f"Gugus Tugas TPPO {plan.region.name}", role="4", type="10"
    )  # implementing: the regency's task force, a government body
    status = activity_status(plan, as_of)
    etree.SubElement(activity, "activity-status", {"code": status})
    planned = {"1": datetime.date(plan.start_year, 1, 1), "3": plan.end_date}
    first, last = actual_dates(plan, as_of)
    actual = {"2": first, "4": last if status in (FINALISATION, CLOSED) else None}
    for date_type, date in sorted({**planned, **actual}.items()):
        if date is not None:
            etree.SubElement(activity, "activity-date", {"type": date_type, "iso-date": date.isoformat()})
    etree.SubElement(activity, "recipient-country", {"code": "ID", "percentage": "100"})
    # one sector, vocabulary 1 (OECD DAC 5-digit): no percentage, as a single sector takes none
    etree.SubElement(activity, "sector", {"vocabulary": "1", "code": settings.IATI_SECTOR})
    rollup = compute(plan, as_of=as_of)
    programs: dict[str, list[IndicatorRollup]] = {}
    for row in rollup.indicators:
        if row.indicator.is_targeted:
            programs.setdefault(row.indicator.activity.program_id, []).append(row)
    for rows in programs.values():
        program = rows[0].indicator.activity.program
        result = _element(activity, "result", type=RESULT_OUTPUT)
        _element(
            result, "title", f"{program.code} {program.name_en or program.name_id}", f"{program.code} {program.name_id}"
        )
        for row in rows:
            _indicator(result, row, plan)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def activity_status(plan: Plan, as_of: datetime.date) -> str:
    """Pipeline while the plan is a draft; closed once it is closed; an active plan is in
    implementation up to its last day and in finalisation after it (work done, the last entries
    still being verified and the plan not yet closed)."""
    if plan.status == Plan.Status.DRAFT:
        return PIPELINE
    if plan.status == Plan.Status.CLOSED:
        return CLOSED
    return IMPLEMENTATION if as_of <= plan.end_date else FINALISATION


def actual_dates(plan: Plan, as_of: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    """The dates of the first and the last official (verified) entry up to `as_of`: when work under
    the plan is known to have begun and ended. (None, None) before any. The file gives the actual
    end only once the activity is in finalisation or closed: before that the work goes on."""
    dates = ProgressEntry.objects.official().filter(indicator__plan=plan, date__lte=as_of)
    span = dates.aggregate(first=models.Min("date"), last=models.Max("date"))
    return span["first"], span["last"]
