"""The secretariat's side: the verification queue, verify, return, reopen, and comments.

Verifiers and administrators change an entry's status only through
`indicators.workflow.services`; reviewers (IOM) comment but never edit.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.forms import CommentForm, ReasonForm
from indicators.models import EntryStatus, ProgressEntry
from indicators.models.roles import COMMENT, VERIFY
from indicators.views.entries import get_entry_for_user, render_entry
from indicators.views.entry_lists import filtered_page
from indicators.workflow import services
from programs.access import plan_page

# every entry in the queue is submitted: no status filter
QUEUE_FILTERS = ("agency", "indicator", "period", "kecamatan", "flagged")


@permission_required(VERIFY, raise_exception=True)
@plan_page
def queue(request):
    entries = (
        ProgressEntry.objects.filter(status=EntryStatus.SUBMITTED, indicator__plan=request.plan)
        .select_related("indicator__plan", "agency", "kecamatan", "created_by", "submitted_by")
        .prefetch_related("evidence")  # photos shown inline
        .annotate(
            # distinct: three joins multiply each other's rows
            evidence_count=Count("evidence", distinct=True),
            flags=Count("warnings", distinct=True),
            open_follow_ups=Count("follow_ups", filter=Q(follow_ups__resolved_at__isnull=True), distinct=True),
        )
        .order_by("submitted_at", "id")
    )
    form, page = filtered_page(request, entries, plan=request.plan, fields=QUEUE_FILTERS)
    # views.bulk: the ticked entries' form, and the form of every entry the filters match
    context = {"entries": page, "page": page, "filter_form": form, "batch_tokens": (uuid.uuid4(), uuid.uuid4())}
    return render(request, "indicators/review_queue.html", context)


def _version(request) -> int | None:
    version = request.POST.get("version", "")
    return int(version) if version.isdigit() else None


@require_POST
@permission_required(VERIFY, raise_exception=True)
@plan_page
def verify(request, pk: int):
    entry = get_entry_for_user(request, pk)
    try:
        services.verify_entry(user=request.user, entry=entry, version=_version(request))
    except services.WorkflowError as error:
        messages.error(request, error.message)
        return redirect(entry)
    messages.success(request, _("The entry was verified. It now counts in the official figures."))
    return redirect("indicators:review_queue", request.plan.code)


def _reason_view(request, pk: int, *, action, template_title: str, success: str, allowed: EntryStatus):
    """Return and reopen: a reason form, then the service call."""
    entry = get_entry_for_user(request, pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            action(user=request.user, entry=entry, reason=form.cleaned_data["reason"], version=_version(request))
        except services.WorkflowError as error:
            messages.error(request, error.message)
            return redirect(entry)
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(request, success)
            return redirect(entry)
    context = {"entry": entry, "indicator": entry.indicator, "form": form, "title": template_title}
    context["allowed"] = entry.status == allowed
    return render(request, "indicators/reason_form.html", context)


@permission_required(VERIFY, raise_exception=True)
@plan_page
def return_entry(request, pk: int):
    return _reason_view(
        request,
        pk,
        action=services.return_entry,
        template_title=_("Return the entry to the officer"),
        success=_("The entry was returned to the officer with your reason."),
        allowed=EntryStatus.SUBMITTED,
    )


@permission_required(VERIFY, raise_exception=True)
@plan_page
def reopen(request, pk: int):
    return _reason_view(
        request,
        pk,
        action=services.reopen_entry,
        template_title=_("Reopen a verified entry"),
        success=_("The entry was reopened and returned to the officer. The reason is kept in its history."),
        allowed=EntryStatus.VERIFIED,
    )


@require_POST
@permission_required(COMMENT, raise_exception=True)
@plan_page
def comment(request, pk: int):
    entry = get_entry_for_user(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(user=request.user, entry=entry, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error.messages)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(entry)
    return render_entry(request, entry, comment_form=form)


urlpatterns = [
    path("verification/", queue, name="review_queue"),
    path("entries/<int:pk>/verify/", verify, name="verify_entry"),
    path("entries/<int:pk>/return/", return_entry, name="return_entry"),
    path("entries/<int:pk>/reopen/", reopen, name="reopen_entry"),
    path("entries/<int:pk>/comment/", comment, name="comment_entry"),
]
