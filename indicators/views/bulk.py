"""Entries in bulk: an officer submits her agency's drafts, a verifier verifies or returns a selection.

The pages list and filter; the batch is `indicators.workflow.bulk`, which runs each entry through the
one-entry services and says which entries were refused and why. A batch of more than `bulk.IN_REQUEST`
entries (submitting every draft of a 5,000-row import) runs as a job of the task queue
(indicators.jobs.bulk_entries) and the answer is its page, with its progress and, once done, the refusals.
Each form carries a token drawn with the page: the same batch sent twice (a double click, two tabs, the
back button) leads to the one job.
"""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.forms import ReasonForm
from indicators.jobs.runner import start_job
from indicators.models import EntryStatus, Job, JobKind, ProgressEntry
from indicators.models.roles import ENTER, NO_AGENCY, VERIFY, user_agency
from indicators.views.entry_lists import EntryFilterForm, filtered_page
from indicators.views.review import QUEUE_FILTERS
from indicators.workflow import bulk
from programs.access import plan_page

DRAFT_FILTERS = ("indicator", "period", "kecamatan")
REFUSALS_SHOWN = 20  # each refusal is a message of its own; past these, one more says how many were left


class BatchForm(forms.Form):
    action = forms.ChoiceField(choices=[("verify", "verify"), ("return", "return")])


def _back(name: str, request):
    """The list the batch came from, with its filters (re-encoded: only a query string of our own page)."""
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    query.pop("page", None)
    url = reverse(name, args=[request.plan.code])
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def _tell(request, outcome: bulk.BatchOutcome, done_message: str) -> None:
    if outcome.done:
        messages.success(request, done_message % {"count": len(outcome.done)})
    if not outcome.refused:
        return
    messages.error(
        request,
        ngettext(
            "%(count)s entry was refused; it is unchanged:",
            "%(count)s entries were refused; they are unchanged:",
            len(outcome.refused),
        )
        % {"count": len(outcome.refused)},
    )
    for refusal in outcome.refused[:REFUSALS_SHOWN]:
        messages.error(request, f"{refusal.label}: {refusal.reason}")
    if len(outcome.refused) > REFUSALS_SHOWN:
        more = len(outcome.refused) - REFUSALS_SHOWN
        messages.error(request, ngettext("… and %(count)s more.", "… and %(count)s more.", more) % {"count": more})


def _batch_token(request, action: str) -> uuid.UUID:
    """The job's token: the form's (one per action: verify and return share a form), or a new one."""
    try:
        return uuid.uuid5(uuid.UUID(request.POST.get("batch", "")), action)
    except ValueError:
        return uuid.uuid4()


def _as_job(request, action: str, ids: list[int], what: str, reason: str = ""):
    """Queue the batch as a job and answer with its page (the job already queued by the same form, if any)."""
    params = {"action": action, "ids": ids, "reason": reason, "language": get_language()}
    job, created = start_job(
        kind=JobKind.BULK,
        token=_batch_token(request, action),
        user=request.user,
        plan=request.plan,
        region=request.plan.region,
        file_name=what,
        params=params,
    )
    if job.kind != JobKind.BULK or job.user_id != request.user.pk or job.plan_id != request.plan.pk:
        raise Http404("No such batch")
    if created:
        Job.objects.filter(pk=job.pk, total=0).update(total=len(ids))
    return redirect(job)


# --- the verifier ---------------------------------------------------------------------------------------------


def _queue_matching(request) -> list[int]:
    """The submitted entries of the plan the queue's filters (sent with the form) match, in the queue's order."""
    query = QueryDict(request.POST.get("query", ""))
    filters = EntryFilterForm(query or None, plan=request.plan, fields=QUEUE_FILTERS).filters()
    entries = ProgressEntry.objects.filter(status=EntryStatus.SUBMITTED, indicator__plan=request.plan)
    return list(entries.filtered(**filters).order_by("submitted_at", "id").values_list("pk", flat=True))


@require_POST
@permission_required(VERIFY, raise_exception=True)
@plan_page
def review_batch(request):
    """Verify or return the ticked entries of the queue, or with `all`, every entry its filters match (as a job
    past IN_REQUEST); a return takes one reason, kept on each entry."""
    form = BatchForm(request.POST)
    every = request.POST.get("all") == "1"
    ids = _queue_matching(request) if every else bulk.parse_ids(request.POST.getlist("entry"))
    if not form.is_valid() or not ids:
        messages.error(request, _("Tick the entries to verify or return first."))
        return _back("indicators:review_queue", request)
    if form.cleaned_data["action"] == "verify":
        if len(ids) > bulk.IN_REQUEST:
            what = ngettext("Verify %(count)s entry", "Verify %(count)s entries", len(ids)) % {"count": len(ids)}
            return _as_job(request, "verify", ids, what)
        outcome = bulk.verify_entries(user=request.user, plan=request.plan, ids=ids)
        _tell(
            request,
            outcome,
            ngettext("%(count)s entry was verified.", "%(count)s entries were verified.", len(outcome.done)),
        )
        return _back("indicators:review_queue", request)
    reason = ReasonForm({"reason": request.POST.get("reason", "")})
    if not reason.is_valid():
        for error in reason.errors["reason"]:
            messages.error(request, error)
        return _back("indicators:review_queue", request)
    if len(ids) > bulk.IN_REQUEST:
        what = ngettext("Return %(count)s entry", "Return %(count)s entries", len(ids)) % {"count": len(ids)}
        return _as_job(request, "return", ids, what, reason.cleaned_data["reason"])
    outcome = bulk.return_entries(user=request.user, plan=request.plan, ids=ids, reason=reason.cleaned_data["reason"])
    _tell(
        request,
        outcome,
        ngettext(
            "%(count)s entry was returned with your reason.",
            "%(count)s entries were returned with your reason.",
            len(outcome.done),
        ),
    )
    return _back("indicators:review_queue", request)


# --- the officer ----------------------------------------------------------------------------------------------


def _agency_or_403(request):
    agency = user_agency(request.user)
    if agency is None:
        raise PermissionDenied(NO_AGENCY)
    return agency


def _her_import(request, number: str | None) -> Job | None:
    """The import (its job) whose drafts the list is narrowed to, `?import=<job id>`: one of her own imports of
    this plan that saved entries; another's, or none such, is not found."""
    if not number:
        return None
    job = (
        Job.objects.filter(
            plan=request.plan, kind=JobKind.IMPORT, user=request.user, pk=number if number.isdigit() else 0
        )
        .exclude(receipt=None)
        .select_related("receipt")
        .first()
    )
    if job is None:
        raise Http404("No such import")
    return job


def _her_drafts(request, agency, job: Job | None):
    entries = ProgressEntry.objects.filter(indicator__plan=request.plan, agency=agency, status=EntryStatus.DRAFT)
    return entries.filter(import_receipt=job.receipt) if job is not None else entries


@permission_required(ENTER, raise_exception=True)
@plan_page
def drafts(request):
    """Her agency's drafts, filtered by indicator, period and kecamatan (and `?import=`: one of her imports), a
    page at a time, each with a box."""
    agency = _agency_or_403(request)
    job = _her_import(request, request.GET.get("import"))
    entries = (
        _her_drafts(request, agency, job)
        .select_related("indicator", "kecamatan", "created_by")
        .order_by("indicator__code", "year", "semester", "date", "id")
    )
    form, page = filtered_page(request, entries, plan=request.plan, fields=DRAFT_FILTERS)
    context = {
        "agency": agency,
        "job": job,
        "page": page,
        "filter_form": form,
        "query": request.GET.urlencode(),
        "can_submit": request.plan.accepts_entries,
        "in_request": bulk.IN_REQUEST,
        "batch_tokens": (uuid.uuid4(), uuid.uuid4()),  # the form of all the drafts, the form of the ticked ones
    }
    return render(request, "indicators/drafts.html", context)


@require_POST
@permission_required(ENTER, raise_exception=True)
@plan_page
def submit_drafts(request):
    """Submit the ticked drafts, or with `all`, every draft the list's filters match (as a job past IN_REQUEST)."""
    agency = _agency_or_403(request)
    if request.POST.get("all") == "1":
        query = QueryDict(request.POST.get("query", ""))
        filters = EntryFilterForm(query or None, plan=request.plan, fields=DRAFT_FILTERS).filters()
        entries = _her_drafts(request, agency, _her_import(request, query.get("import"))).filtered(**filters)
        ids = list(entries.order_by("indicator__code", "year", "semester", "date", "id").values_list("pk", flat=True))
    else:
        ids = bulk.parse_ids(request.POST.getlist("entry"))
    if not ids:
        messages.error(request, _("Tick the drafts to submit first."))
        return _back("indicators:drafts", request)
    if len(ids) > bulk.IN_REQUEST:
        what = ngettext("Submit %(count)s draft", "Submit %(count)s drafts", len(ids)) % {"count": len(ids)}
        return _as_job(request, "submit", ids, what)
    outcome = bulk.submit_entries(user=request.user, plan=request.plan, ids=ids)
    _tell(
        request,
        outcome,
        ngettext(
            "%(count)s entry was submitted for verification.",
            "%(count)s entries were submitted for verification.",
            len(outcome.done),
        ),
    )
    return _back("indicators:drafts", request)


urlpatterns = [
    path("verification/batch/", review_batch, name="review_batch"),
    path("entries/drafts/", drafts, name="drafts"),
    path("entries/drafts/submit/", submit_drafts, name="submit_drafts"),
]
