"""Figures: the rollup per year, semester or the plan to date, with the dashboard's filters.

Every number is `indicators.figures.rollup`'s (cached per plan data version). The ETag is made
from that version, the day (statuses move with the calendar) and the query, so a client
that sends it back in `If-None-Match` gets 304 until an entry, target or indicator changes.
"""

import hashlib
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from indicators.api import schemas
from indicators.api.errors import ERRORS
from indicators.api.plan import get_plan
from indicators.figures.rollup import Figure, Filters, cached_compute
from programs.models import Agency, Plan, Region
from programs.periods import Period

router = Router(tags=["figures"])


class FigureFilters(Schema):
    period: schemas.PeriodText | None = Field(
        None, description="2021 (a year), 2021S1 (a semester); omitted: the plan to date"
    )
    agency: schemas.Code | None = Field(None, description="agency code")
    kecamatan: schemas.Code | None = Field(None, description="Kemendagri code of a kecamatan")
    pillar: Annotated[int, Field(ge=1, le=99)] | None = None
    unverified: bool = Field(False, description="count submitted, unverified entries too (not official)")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 4))


def _figure(code: str, kind: str, figure: Figure) -> dict:
    return {
        "code": code,
        "kind": kind,
        "target": _number(figure.target),
        "actual": _number(figure.actual),
        "achievement": _number(figure.shown_achievement),  # none without an actual, as every table shows it
        "status": figure.status,
        "entries": figure.entries,
        "pace_target": _number(figure.pace_target),
        "pace_actual": _number(figure.pace_actual),
        "text": figure.text,
    }


def _rollup_filters(plan: Plan, query: FigureFilters) -> Filters:
    agency_id = kecamatan_id = None
    if query.agency:
        agency = Agency.objects.by_code(plan.region).get(query.agency)
        agency_id = agency.pk if agency else None
        if agency_id is None:
            raise schemas_error("agency", _("Unknown agency “%(code)s”.") % {"code": query.agency})
    if query.kecamatan:
        kecamatan_id = (
            Region.objects.filter(code=query.kecamatan, level=Region.Level.KECAMATAN, parent=plan.region)
            .values_list("id", flat=True)
            .first()
        )
        if kecamatan_id is None:
            raise schemas_error(
                "kecamatan", _("No kecamatan “%(code)s” in this plan's regency.") % {"code": query.kecamatan}
            )
    return Filters(
        include_unverified=query.unverified, agency_id=agency_id, kecamatan_id=kecamatan_id, pillar_number=query.pillar
    )


def schemas_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


@router.get("/plans/{code}/figures", response={200: schemas.FiguresOut, 304: None, **ERRORS})
def figures(request, response: HttpResponse, code: schemas.Code, query: Query[FigureFilters]):
    """Official figures (verified entries) unless `unverified=true`. Answers 304 to a current `If-None-Match`."""
    plan = get_plan(request, code)
    period = Period.parse(query.period) if query.period else None
    if period is not None and not plan.contains_year(period.year):
        raise schemas_error(
            "period",
            _("The year %(year)s is outside the plan (%(start)s–%(end)s).")
            % {"year": period.year, "start": plan.start_year, "end": plan.end_year},
        )
    as_of = min(timezone.localdate(), plan.end_date)
    query_key = hashlib.sha256(repr(sorted(query.dict().items())).encode()).hexdigest()[:16]
    etag = f'"{plan.pk}-{plan.data_version}-{as_of.isoformat()}-{query_key}"'
    not_modified = get_conditional_response(request, etag=etag)  # If-None-Match, as Django reads it
    if not_modified is not None:
        not_modified["ETag"] = etag
        return not_modified
    rollup = cached_compute(plan, _rollup_filters(plan, query), as_of=as_of)
    rows = []
    for row in rollup.indicators:
        if period is None:
            figure = row.to_date
        elif period.semester is None:
            figure = row.years[period.year]
        else:
            figure = row.semesters[period]
        rows.append(_figure(row.code, row.indicator.kind, figure))
    pillars = []
    for pillar in rollup.pillars:
        # pillar means exist per year and to date; a semester gets its year's
        figure = pillar.to_date if period is None else pillar.years[period.year]
        pillars.append(
            {
                "number": pillar.pillar.number,
                "achievement": _number(figure.achievement),
                "indicators": figure.indicators,
            }
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return {
        "plan": plan.code,
        "period": str(period) if period else None,
        "as_of": rollup.as_of,
        "unverified": query.unverified,
        "pillars": pillars,
        "indicators": rows,
    }
