"""The secretariat's cockpit: reporting completeness, data quality and follow-ups.

Read by verifiers, reviewers and administrators (the `monitor_reporting` permission);
officers and executives get 403. Marking and resolving follow-ups is the verifiers' job.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.figures.completeness import completeness, year_periods
from indicators.figures.rules import rule_results
from indicators.forms import FollowUpForm, ReasonForm
from indicators.models import FollowUp
from indicators.models.roles import MONITOR
from indicators.views.entries import get_entry_for_user, render_entry
from indicators.workflow import followups
from programs.access import plan_page


def _year(request, plan) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit() and plan.contains_year(int(raw)):
        return int(raw)
    return None


@permission_required(MONITOR, raise_exception=True)
@plan_page
def completeness_page(request):
    plan = request.plan
    year = _year(request, plan)
    result = completeness(plan, as_of=timezone.localdate(), periods=year_periods(plan, year))
    context = {"plan": plan, "result": result, "year": year, "years": plan.years}
    return render(request, "indicators/completeness.html", context)


@permission_required(MONITOR, raise_exception=True)
@plan_page
def data_quality(request):
    plan = request.plan
    context = {"plan": plan, "results": rule_results(plan, as_of=timezone.localdate())}
    return render(request, "indicators/data_quality.html", context)


@permission_required(MONITOR, raise_exception=True)
@plan_page
def follow_up_list(request):
    show = "resolved" if request.GET.get("show") == "resolved" else "open"
    items = followups.listed(plan=request.plan, resolved=show == "resolved")
    context = {"items": items, "show": show, "reason_form": ReasonForm()}
    return render(request, "indicators/follow_ups.html", context)


@require_POST
@plan_page
def open_follow_up(request, pk: int):
    entry = get_entry_for_user(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            followups.open_follow_up(user=request.user, entry=entry, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error("note", error)
        else:
            messages.success(request, _("The entry is marked as needing follow-up."))
            return redirect(entry)
    return render_entry(request, entry, follow_up_form=form)


@require_POST
@plan_page
def resolve_follow_up(request, pk: int):
    item = get_object_or_404(FollowUp.objects.select_related("entry"), pk=pk, entry__indicator__plan=request.plan)
    get_entry_for_user(request, item.entry_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the follow-up was resolved."))
        return redirect("indicators:follow_ups", request.plan.code)
    try:
        followups.resolve_follow_up(user=request.user, follow_up=item, resolution=form.cleaned_data["reason"])
    except followups.AlreadyResolved as error:
        messages.error(request, str(error))
    except PermissionDenied:
        raise
    else:
        messages.success(request, _("The follow-up was resolved."))
    if request.POST.get("next") == "entry":
        return redirect(get_entry_for_user(request, item.entry_id))
    return redirect("indicators:follow_ups", request.plan.code)


urlpatterns = [
    path("completeness/", completeness_page, name="completeness"),
    path("data-quality/", data_quality, name="data_quality"),
    path("follow-ups/", follow_up_list, name="follow_ups"),
    path("entries/<int:pk>/follow-up/", open_follow_up, name="open_follow_up"),
    path("follow-ups/<int:pk>/resolve/", resolve_follow_up, name="resolve_follow_up"),
]
