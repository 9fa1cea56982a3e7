"""Read-only resources: plans and their tree (pillars, programs, activities, indicators with
targets), agencies and regions. Every signed-in role reads the plan, as on the web."""

from typing import Annotated

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from indicators.api import schemas
from indicators.api.errors import ERRORS
from indicators.api.pagination import Page
from indicators.models import Indicator, Kind, Target
from programs.access import plans_for, regencies_read
from programs.models import Activity, Agency, Pillar, Plan, Program, Region

router = Router(tags=["plan"])


def get_plan(request, code: str) -> Plan:
    """The plan if the user may read it (her regency's, or her province's): otherwise it does not exist."""
    plan = plans_for(request.user).filter(code=code).first()
    if plan is None:
        raise Http404(_("No plan “%(code)s”.") % {"code": code})
    return plan


@router.get("/plans", response={200: list[schemas.PlanOut], **ERRORS})
@paginate(Page)
def plans(request):
    return plans_for(request.user).order_by("-start_year", "id")


@router.get("/plans/{code}", response={200: schemas.PlanOut, **ERRORS})
def plan(request, code: schemas.Code):
    return get_plan(request, code)


@router.get("/plans/{code}/pillars", response={200: list[schemas.PillarOut], **ERRORS})
def pillars(request, code: schemas.Code):
    return Pillar.objects.filter(plan=get_plan(request, code)).order_by("number")


@router.get("/plans/{code}/programs", response={200: list[schemas.ProgramOut], **ERRORS})
def programs(request, code: schemas.Code):
    return (
        Program.objects.filter(pillar__plan=get_plan(request, code))
        .select_related("pillar")
        .order_by("pillar__number", "letter")
    )


@router.get("/plans/{code}/activities", response={200: list[schemas.ActivityOut], **ERRORS})
def activities(request, code: schemas.Code):
    return (
        Activity.objects.filter(program__pillar__plan=get_plan(request, code))
        .select_related("program__pillar")
        .order_by("program__pillar__number", "program__letter", "number")
    )


class IndicatorFilters(Schema):
    pillar: Annotated[int, Field(ge=1, le=99)] | None = None
    agency: schemas.Code | None = None
    kind: Kind | None = None


def _indicators(plan: Plan):
    return (
        Indicator.objects.filter(plan=plan)
        .with_tree()
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("year")))
    )


@router.get("/plans/{code}/indicators", response={200: list[schemas.IndicatorOut], **ERRORS})
@paginate(Page)
def indicators(request, code: schemas.Code, filters: Query[IndicatorFilters]):
    qs = _indicators(get_plan(request, code))
    if filters.pillar is not None:
        qs = qs.filter(activity__program__pillar__number=filters.pillar)
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs


@router.get("/plans/{code}/indicators/{indicator}", response={200: schemas.IndicatorOut, **ERRORS})
def indicator(request, code: schemas.Code, indicator: schemas.Code):
    obj = _indicators(get_plan(request, code)).filter(code=indicator).first()
    if obj is None:
        raise Http404(_("No indicator “%(code)s” in this plan.") % {"code": indicator})
    return obj


@router.get("/agencies", response={200: list[schemas.AgencyOut], **ERRORS})
def agencies(request):
    """The agencies of the regencies whose plans the caller reads, and the shared ones."""
    readable = Q(region__in=regencies_read(request.user)) | Q(region__isnull=True)
    return Agency.objects.filter(readable).select_related("region").order_by("short_name", "region__code")


class RegionFilters(Schema):
    level: Region.Level | None = None
    parent: schemas.Code | None = None


@router.get("/regions", response={200: list[schemas.RegionOut], **ERRORS})
@paginate(Page)
def regions(request, filters: Query[RegionFilters]):
    qs = Region.objects.select_related("parent").order_by("code")
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent)
    return qs
