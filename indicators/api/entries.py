"""Progress entries: list and read what the user may see; create and edit drafts, submit.

Writes go through `indicators.workflow.services`, the same functions the web forms call, so the
workflow, the agency check, the validation and the audit trail are the forms' own; the
API adds only the read-only-token check. Each write is one transaction: on any error
nothing is saved.
"""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, FilterSchema, Query, Router
from ninja.pagination import paginate

from indicators.api import idempotency, rates, schemas
from indicators.api.auth import require_write
from indicators.api.errors import ERRORS, WRITE_ERRORS
from indicators.api.pagination import Page
from indicators.api.plan import get_plan
from indicators.models import KIND_FIELDS, EntryStatus, Indicator, Kind, ProgressEntry
from indicators.workflow import services
from programs.models import Region
from programs.periods import Period

router = Router(tags=["entries"])

RELATED = ("indicator__plan", "agency", "kecamatan")
EntryId = Annotated[int, Field(ge=1, le=2**53)]


class EntryFilters(FilterSchema):
    """The list's filters as ninja's FilterSchema applies them (every filter given must hold)."""

    indicator: Annotated[schemas.Code | None, FilterLookup("indicator__code")] = Field(
        None, description="indicator code"
    )
    status: EntryStatus | None = None
    period: schemas.PeriodText | None = Field(None, description="2021 or 2021S1")
    agency: Annotated[schemas.Code | None, FilterLookup("agency__code")] = None
    kecamatan: Annotated[schemas.Code | None, FilterLookup("kecamatan__code")] = None

    def filter_period(self, value: str | None) -> Q:
        if not value:
            return Q()
        period = Period.parse(value)
        return Q(year=period.year) & (Q(semester=period.semester) if period.semester else Q())


@router.get("/plans/{code}/entries", response={200: list[schemas.EntryOut], **ERRORS})
@paginate(Page)
def entries(request, code: schemas.Code, filters: Query[EntryFilters]):
    """The plan's entries that the user may read (an officer: her agency's), newest first."""
    qs = (
        ProgressEntry.objects.visible_to(request.user)
        .filter(indicator__plan=get_plan(request, code))
        .select_related(*RELATED)
    )
    return filters.filter(qs).order_by("-year", "-semester", "-date", "-id")


def _visible_entry(request, pk: int) -> ProgressEntry:
    entry = ProgressEntry.objects.visible_to(request.user).select_related(*RELATED).filter(pk=pk).first()
    if entry is None:
        raise Http404(_("No entry %(id)s, or not one you can read.") % {"id": pk})
    return entry


@router.get("/entries/{entry_id}", response={200: schemas.EntryOut, **ERRORS})
def entry(request, entry_id: EntryId):
    return _visible_entry(request, entry_id)


# the values an entry carries for some kinds only (indicators.models.KIND_FIELDS)
KIND_ONLY = {field for fields in KIND_FIELDS.values() for field in fields}


def _check_kind(indicator: Indicator, sent: dict) -> None:
    """A value for a field the indicator's kind does not take is refused, naming the field (a count entry
    with a numerator was saved, and shown nowhere)."""
    taken = KIND_FIELDS[indicator.kind]
    errors = {
        field: _("A %(kind)s indicator does not take “%(field)s”; leave it out.")
        % {"kind": Kind(indicator.kind).label, "field": field}
        for field, value in sent.items()
        if field in KIND_ONLY and field not in taken and value not in (None, "")
    }
    if errors:
        raise ValidationError(errors)


def _values(indicator: Indicator, payload: schemas._EntryValues) -> dict:
    """The service's `values` from the fields the caller sent (an edit changes only those)."""
    plan = indicator.plan
    sent = payload.dict(exclude_unset=True)
    _check_kind(indicator, sent)
    for meta in ("version", "indicator", "allow_duplicate", "warning_comment"):
        sent.pop(meta, None)
    values = {}
    if "period" in sent:
        period = sent.pop("period")
        if period is not None:
            parsed = Period.parse(period)
            values["year"], values["semester"] = parsed.year, parsed.semester
    if "kecamatan" in sent:
        code = sent.pop("kecamatan")
        values["kecamatan"] = None
        if code:
            place = Region.objects.filter(code=code, level=Region.Level.KECAMATAN, parent=plan.region).first()
            if place is None:
                raise ValidationError(
                    {
                        "kecamatan": _("No kecamatan “%(code)s” in %(region)s.")
                        % {"code": code, "region": plan.region.name}
                    }
                )
            values["kecamatan"] = place
    if "milestone_status" in sent:
        values["milestone_status"] = sent.pop("milestone_status") or ""
    for text in ("place", "narrative"):
        if text in sent:
            values[text] = (sent.pop(text) or "").strip()
    values.update(sent)
    return values


def _answer(request, pk: int) -> dict:
    """The entry as the API shows it, read and rendered now (inside the write's transaction: see idempotency)."""
    return schemas.EntryOut.from_orm(_visible_entry(request, pk)).model_dump(mode="json")


@router.post(
    "/plans/{code}/entries", response={201: schemas.EntryOut, **WRITE_ERRORS}, openapi_extra=idempotency.openapi()
)
def create(request, code: schemas.Code, payload: schemas.EntryCreate):
    """A new draft for one of your agency's indicators (read-write token). Send an `Idempotency-Key` header
    (e.g. a UUID) to make a retry safe: the same key and body again answer the first answer, with one entry."""
    require_write(request)
    rates.count_write(request)
    plan = get_plan(request, code)
    indicator = Indicator.objects.select_related("plan__region").filter(plan=plan, code=payload.indicator).first()
    if indicator is None:
        raise ValidationError({"indicator": _("No indicator “%(code)s” in this plan.") % {"code": payload.indicator}})

    def write():
        created = services.create_entry(
            user=request.user,
            indicator=indicator,
            values=_values(indicator, payload),
            allow_duplicate=payload.allow_duplicate,
            warning_comment=payload.warning_comment,
        )
        return 201, _answer(request, created.pk)

    return idempotency.once(request, write)


@router.patch(
    "/entries/{entry_id}", response={200: schemas.EntryOut, **WRITE_ERRORS}, openapi_extra=idempotency.openapi()
)
def update(request, entry_id: EntryId, payload: schemas.EntryUpdate):
    """Change a draft or returned entry: only the fields sent; `version` is the one you read. With an
    `Idempotency-Key`, a retry answers the first answer instead of a conflict on `version`."""
    require_write(request)
    rates.count_write(request)

    def write():
        current = _visible_entry(request, entry_id)
        services.update_entry(
            user=request.user,
            entry=current,
            version=payload.version,
            values=_values(current.indicator, payload),
            allow_duplicate=payload.allow_duplicate,
            warning_comment=payload.warning_comment,
        )
        return 200, _answer(request, entry_id)

    return idempotency.once(request, write)


@router.post(
    "/entries/{entry_id}/submit", response={200: schemas.EntryOut, **WRITE_ERRORS}, openapi_extra=idempotency.openapi()
)
def submit(request, entry_id: EntryId, payload: schemas.EntrySubmit | None = None):
    """Draft → submitted (or a corrected returned entry → submitted again), for the verifiers. An
    `Idempotency-Key` header makes a retry answer the first answer instead of a conflict."""
    require_write(request)
    rates.count_write(request)
    version = payload.version if payload else None

    def write():
        current = _visible_entry(request, entry_id)
        if current.status == EntryStatus.RETURNED:
            answer = payload.answer if payload else ""
            services.resubmit_entry(user=request.user, entry=current, version=version, answer=answer)
        else:
            services.submit_entry(user=request.user, entry=current, version=version)
        return 200, _answer(request, entry_id)

    return idempotency.once(request, write)
