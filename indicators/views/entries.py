"""The officer's side of progress entries: my indicators, entry lists and forms,
submission, evidence and the audit trail.

Every view has the same shape: decorators → one access helper that raises
404/403 → form → service call → redirect. Access is decided here, on the
server, from the user's permissions and agency; templates only hide buttons.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.figures.completeness import overdue_for
from indicators.figures.rollup import Filters, compute
from indicators.forms import CommentForm, EntryForm, EvidenceForm, FollowUpForm, ReasonForm
from indicators.models import EntryStatus, Evidence, Indicator, ProgressEntry
from indicators.models.roles import AUDIT, COMMENT, ENTER, NO_AGENCY, can_enter, can_read_all, can_verify, user_agency
from indicators.views.entry_lists import filtered_page
from indicators.workflow import services
from indicators.workflow.work import reporting_period
from programs.access import plan_page
from programs.models import Region
from programs.periods import Period
from tptto_monitor.lib import limits

ENTRY_RELATED = ("indicator__plan__region", "indicator__agency", "agency", "kecamatan", "created_by")


# --- access helpers -------------------------------------------------------------------------------------------


def _own_agency(user, agency_id: int) -> bool:
    agency = user_agency(user)
    return can_enter(user) and agency is not None and agency.pk == agency_id


def can_see_entry(user, entry: ProgressEntry) -> bool:
    return can_read_all(user) or _own_agency(user, entry.agency_id)


def get_entry_for_user(request, pk: int, *, edit: bool = False) -> ProgressEntry:
    """The entry if the user may see it (404 otherwise); with `edit`, also change it (403 otherwise)."""
    entry = get_object_or_404(ProgressEntry.objects.select_related(*ENTRY_RELATED), pk=pk, indicator__plan=request.plan)
    if not can_see_entry(request.user, entry):
        raise Http404("No such entry")
    if edit:
        if not _own_agency(request.user, entry.agency_id):
            raise PermissionDenied(_("Only officers of the responsible agency can change this entry."))
        if not request.plan.accepts_entries:
            raise PermissionDenied(request.plan.entries_refused())
        if not entry.is_editable:
            raise PermissionDenied(_("A %(status)s entry cannot be changed.") % {"status": entry.get_status_display()})
    return entry


def get_indicator_for_user(request, code: str, *, enter: bool = False) -> Indicator:
    """The indicator if the user may read its entries (or, with `enter`, log progress for it); 403 otherwise."""
    plan = request.plan
    queryset = Indicator.objects.with_tree().select_related("plan__region").prefetch_related("targets")
    indicator = get_object_or_404(queryset, plan=plan, code=code)
    own = _own_agency(request.user, indicator.agency_id)
    if enter and not own:
        raise PermissionDenied(_("You can only log progress for your own agency's indicators."))
    if enter and not plan.accepts_entries:
        raise PermissionDenied(plan.entries_refused())
    if not (own or can_read_all(request.user)):
        raise PermissionDenied(_("You cannot read this indicator's entries."))
    return indicator


def reported_so_far(indicator: Indicator):
    """The rollup's figures for one indicator, submitted entries included."""
    filters = Filters(indicator_ids=[indicator.id], include_unverified=True)
    rollup = compute(indicator.plan, filters, as_of=timezone.localdate())
    return rollup.indicator(indicator.code)


# --- officer pages ------------------------------------------------------------------------------------------


@permission_required(ENTER, raise_exception=True)
@plan_page
def my_indicators(request):
    plan = request.plan
    agency = user_agency(request.user)
    if agency is None:
        raise PermissionDenied(NO_AGENCY)
    period = reporting_period(plan, timezone.localdate())
    latest = ProgressEntry.objects.filter(indicator=OuterRef("pk")).order_by("-updated_at", "-id")
    in_period = Q(entries__year=period.year, entries__semester=period.semester)
    indicators = (
        Indicator.objects.for_plan(plan)
        .for_agency(agency)
        .with_tree()
        .annotate(
            entries_in_period=Count("entries", filter=in_period),
            to_fix=Count("entries", filter=Q(entries__status__in=[EntryStatus.DRAFT, EntryStatus.RETURNED])),
            last_status=Subquery(latest.values("status")[:1]),
            last_period_year=Subquery(latest.values("year")[:1]),
            last_period_semester=Subquery(latest.values("semester")[:1]),
        )
    )
    rollup = compute(plan, Filters(agency_id=agency.pk, include_unverified=True), as_of=timezone.localdate())
    rows = []
    for indicator in indicators:
        figures = rollup.indicator(indicator.code)
        rows.append(
            {
                "indicator": indicator,
                "due": figures.semesters.get(period),
                "to_date": figures.to_date,
                "last_status": EntryStatus(indicator.last_status).label if indicator.last_status else None,
                "last_period": Period(indicator.last_period_year, indicator.last_period_semester)
                if indicator.last_status
                else None,
            }
        )
    overdue = overdue_for(plan, agency_id=agency.pk, as_of=timezone.localdate())
    context = {"plan": plan, "agency": agency, "period": period, "rows": rows, "overdue": overdue}
    return render(request, "indicators/my_indicators.html", context)


# the indicator (and so its agency) is the page's own
INDICATOR_FILTERS = ("period", "kecamatan", "status", "flagged")


@plan_page
def indicator_entries(request, code: str):
    indicator = get_indicator_for_user(request, code)
    entries = (
        indicator.entries.select_related("kecamatan", "created_by")
        .annotate(evidence_count=Count("evidence"))
        .order_by("-year", "-semester", "-date", "-id")
    )
    form, page = filtered_page(request, entries, plan=request.plan, fields=INDICATOR_FILTERS)
    context = {
        "indicator": indicator,
        "entries": page,
        "page": page,
        "filter_form": form,
        "figures": reported_so_far(indicator),
        "can_enter": request.plan.accepts_entries and _own_agency(request.user, indicator.agency_id),
    }
    return render(request, "indicators/entry_list.html", context)


@plan_page
def new_entry(request, code: str):
    indicator = get_indicator_for_user(request, code, enter=True)
    if request.method == "POST" and (made := services.entry_made_with(request.POST.get("form_key"), request.user)):
        return redirect(made)  # this form was sent before (a double click, a reload): nothing more is made
    post = request.method == "POST"
    form = EntryForm(request.POST if post else None, request.FILES if post else None, indicator=indicator)
    if post and (limit := _too_many_saves(request)):
        return _render_form(request, indicator, form, entry=None, too_many=limit)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the entry with its photo, or nothing
                entry = services.create_entry(
                    user=request.user,
                    indicator=indicator,
                    values=form.values(),
                    allow_duplicate=form.cleaned_data.get("confirm_duplicate", False),
                    form_key=form.cleaned_data["form_key"],
                    warning_comment=form.cleaned_data.get("warning_comment", ""),
                )
                _attach(request, entry, form)
        except services.AlreadyCreated as done:
            # a double click or a reload: the first POST made the entry; show it, make nothing more
            return redirect(done.entry)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The entry was saved as a draft. Submit it when it is complete."))
            return redirect(entry)
    if request.method == "POST" and (made := services.entry_made_with(request.POST.get("form_key"), request.user)):
        # a simultaneous POST of this same form made the entry while this one was checked (and found it
        # a probable double entry): show that entry instead
        return redirect(made)
    return _render_form(request, indicator, form, entry=None)


@plan_page
def edit_entry(request, pk: int):
    entry = get_entry_for_user(request, pk, edit=True)
    post = request.method == "POST"
    form = EntryForm(
        request.POST if post else None, request.FILES if post else None, indicator=entry.indicator, entry=entry
    )
    current = None
    if post and (limit := _too_many_saves(request)):
        return _render_form(request, entry.indicator, form, entry=entry, too_many=limit)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                entry = services.update_entry(
                    user=request.user,
                    entry=entry,
                    version=form.cleaned_data.get("version") or 0,
                    values=form.values(),
                    allow_duplicate=form.cleaned_data.get("confirm_duplicate", False),
                    warning_comment=form.cleaned_data.get("warning_comment", ""),
                )
                _attach(request, entry, form)
        except services.StaleEntry as error:
            form.add_error(None, error.message)
            current = error.current
        except services.WorkflowError as error:
            raise PermissionDenied(error.message) from None
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(entry)
    return _render_form(request, entry.indicator, form, entry=entry, current=current)


def _attach(request, entry: ProgressEntry, form: EntryForm) -> None:
    """The photo or document sent with the entry form, attached in the same transaction."""
    upload = form.cleaned_data.get("evidence")
    if upload:
        services.add_evidence(user=request.user, entry=entry, upload=upload)


def _too_many_saves(request) -> limits.TooMany | None:
    """Saves of the entry form held to ENTRY_SAVES_PER_MINUTE per person, as the API's writes are: each moves
    the plan's data version on, so every cached figure and summary of the plan is computed again."""
    try:
        limits.count("entry-saves", request.user.pk, settings.ENTRY_SAVES_PER_MINUTE)
    except limits.TooMany as limit:
        return limit
    return None


def _render_form(request, indicator: Indicator, form: EntryForm, entry, current=None, too_many=None):
    """The form; past the rate of saves (`too_many`), answered 429 with what was typed and nothing saved (the
    form is not checked: its values are shown as sent, and the same form key sent again makes one entry)."""
    context = {
        "indicator": indicator,
        "form": form,
        "entry": entry,
        "current": current,
        "too_many": limits.too_many_changes(too_many) if too_many else "",
        "figures": reported_so_far(indicator),
        "evidence_max_bytes": settings.EVIDENCE_MAX_BYTES,
    }
    response = render(request, "indicators/entry_form.html", context, status=429 if too_many else 200)
    if too_many:
        response["Retry-After"] = str(too_many.retry_after)
    return response


@plan_page
def entry_detail(request, pk: int):
    entry = get_entry_for_user(request, pk)
    return render_entry(request, entry)


def render_entry(
    request, entry: ProgressEntry, *, evidence_form=None, comment_form=None, reason_form=None, follow_up_form=None
):
    """The entry page; forms with errors are passed back in so that they show what was typed."""
    user = request.user
    open_plan = request.plan.accepts_entries  # a draft or closed plan shows its entries without any action
    own = open_plan and _own_agency(user, entry.agency_id)
    context = {
        "entry": entry,
        "indicator": entry.indicator,
        "evidence": entry.evidence.select_related("uploaded_by"),
        "comments": entry.comments.select_related("author"),
        "can_edit": own and entry.is_editable,
        "can_verify": open_plan and can_verify(user) and entry.status == EntryStatus.SUBMITTED,
        "own_entry": user.pk in (entry.created_by_id, entry.submitted_by_id),
        "can_reopen": open_plan and can_verify(user) and entry.status == EntryStatus.VERIFIED,
        "can_comment": open_plan and user.has_perm(COMMENT),
        "can_audit": user.has_perm(AUDIT),
        "evidence_form": evidence_form or EvidenceForm(),
        "comment_form": comment_form or CommentForm(),
        "reason_form": reason_form or ReasonForm(),
        # the cockpit: data-check warnings and follow-ups (indicators.workflow.checks, indicators.workflow.followups)
        "warnings": entry.warnings.select_related("confirmed_by"),
        "follow_ups": entry.follow_ups.select_related("created_by", "resolved_by"),
        "follow_up_form": follow_up_form or FollowUpForm(),
        "can_follow_up": can_verify(user),
    }
    return render(request, "indicators/entry_detail.html", context)


@require_POST
@plan_page
def submit_entry(request, pk: int):
    entry = get_entry_for_user(request, pk, edit=True)
    version = request.POST.get("version")
    version = int(version) if version and version.isdigit() else None
    try:
        if entry.status == EntryStatus.RETURNED:
            answer = request.POST.get("answer", "")
            services.resubmit_entry(user=request.user, entry=entry, version=version, answer=answer)
        else:
            services.submit_entry(user=request.user, entry=entry, version=version)
    except services.WorkflowError as error:  # includes a stale version
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The entry was submitted for verification."))
    return redirect(entry)


@require_POST
@plan_page
def upload_evidence(request, pk: int):
    entry = get_entry_for_user(request, pk, edit=True)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            item = services.add_evidence(user=request.user, entry=entry, upload=form.cleaned_data["file"])
        except services.WorkflowError as error:
            raise PermissionDenied(error.message) from None
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("“%(name)s” was attached.") % {"name": item.original_name})
            return redirect(entry)
    return render_entry(request, entry, evidence_form=form)


@plan_page
def evidence_file(request, pk: int):
    """Evidence is served only through this view, to users who may see its entry."""
    item = get_object_or_404(Evidence.objects.select_related("entry"), pk=pk, entry__indicator__plan=request.plan)
    if not can_see_entry(request.user, item.entry):
        raise Http404("No such file")
    # a photo opens in the browser (thumbnail → full size); other documents download
    response = FileResponse(item.file.open("rb"), as_attachment=not item.is_image, filename=item.original_name)
    response["Content-Type"] = item.content_type
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@plan_page
def evidence_thumbnail(request, pk: int):
    """A photo's thumbnail, to the same readers as the photo."""
    item = get_object_or_404(Evidence.objects.select_related("entry"), pk=pk, entry__indicator__plan=request.plan)
    if not can_see_entry(request.user, item.entry) or not item.thumbnail:
        raise Http404("No such thumbnail")
    response = FileResponse(item.thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- audit trail --------------------------------------------------------------------------------------------

# simple_history diffs editable fields only; the version counter is bookkeeping, not content.
AUDITED_FIELDS = [f.name for f in ProgressEntry._meta.fields if f.editable and f.name != "id"]
USER_FIELDS = ("created_by", "submitted_by", "verified_by")


def _history_rows(records) -> list[dict]:
    """Each historical record with its changes against the entry's previous record (oldest first)."""
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    region_ids = {r.kecamatan_id for r in records if r.kecamatan_id}
    user_ids = {getattr(r, f"{field}_id") for r in records for field in USER_FIELDS} - {None}
    names = {
        "kecamatan": dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "name")) if region_ids else {},
        "user": dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username")) if user_ids else {},
    }
    labels = {f.name: f.verbose_name for f in ProgressEntry._meta.fields}
    previous = {}
    rows = []
    for record in records:
        before = previous.get(record.id)
        changes = []
        if before is not None:
            delta = record.diff_against(before, included_fields=AUDITED_FIELDS)
            for change in delta.changes:
                changes.append(
                    {
                        "field": labels.get(change.field, change.field),
                        "old": _show(change.field, change.old, names),
                        "new": _show(change.field, change.new, names),
                    }
                )
        previous[record.id] = record
        rows.append({"record": record, "changes": changes, "created": before is None})
    rows.reverse()  # newest first
    return rows


def _show(field: str, value, names: dict):
    if value is None or value == "":
        return "–"
    if field == "kecamatan":
        return names["kecamatan"].get(value, value)
    if field in USER_FIELDS:
        return names["user"].get(value, value)
    choices = ProgressEntry._meta.get_field(field).choices
    if choices:
        return dict(choices).get(value, value)
    if isinstance(value, datetime.datetime):
        # a time as the rest of the page shows it: in the regency's time zone (programs.access.plan_page)
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return str(value)  # as stored: a year is 2021, not "2.021"


HISTORY_RELATED = ("history_user", "indicator")


@permission_required(AUDIT, raise_exception=True)
@plan_page
def entry_history(request, pk: int):
    entry = get_entry_for_user(request, pk)
    rows = _history_rows(entry.history.select_related(*HISTORY_RELATED))
    return render(request, "indicators/history.html", {"entry": entry, "indicator": entry.indicator, "rows": rows})


@permission_required(AUDIT, raise_exception=True)
@plan_page
def indicator_history(request, code: str):
    indicator = get_indicator_for_user(request, code)
    records = ProgressEntry.history.filter(indicator_id=indicator.pk).select_related(*HISTORY_RELATED)
    rows = _history_rows(records)
    return render(request, "indicators/history.html", {"entry": None, "indicator": indicator, "rows": rows})


urlpatterns = [
    path("my-indicators/", my_indicators, name="my_indicators"),
    path("indicators/<str:code>/entries/", indicator_entries, name="indicator_entries"),
    path("indicators/<str:code>/entries/new/", new_entry, name="new_entry"),
    path("indicators/<str:code>/history/", indicator_history, name="indicator_history"),
    path("entries/<int:pk>/", entry_detail, name="entry"),
    path("entries/<int:pk>/edit/", edit_entry, name="edit_entry"),
    path("entries/<int:pk>/submit/", submit_entry, name="submit_entry"),
    path("entries/<int:pk>/evidence/", upload_evidence, name="upload_evidence"),
    path("entries/<int:pk>/history/", entry_history, name="entry_history"),
    path("evidence/<int:pk>/", evidence_file, name="evidence"),
    path("evidence/<int:pk>/thumbnail/", evidence_thumbnail, name="evidence_thumbnail"),
]
