"""The secretariat's narrative of the annual report, per pillar and year of a plan.

Every role reads it; verifiers and administrators (the `write_narrative` permission) write it, and only
in their own regency's plans (`plan_page` refuses any other write). One form holds every pillar of the
year: either all of it is saved or, when one part is too long, nothing, and the page shows what was typed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.forms import PillarNarrativeForm
from indicators.models import NARRATIVE_PARTS, PillarNarrative
from indicators.models.roles import can_narrate, has_role
from programs.access import plan_page


def _check_year(plan, year: int) -> None:
    if not plan.contains_year(year):
        raise Http404("Year outside the plan")


@plan_page
def narrative_latest(request):
    """The narrative of the plan's latest year begun (its last year once it is over)."""
    if not has_role(request.user):
        raise PermissionDenied
    plan = request.plan
    year = min(max(timezone.localdate().year, plan.start_year), plan.end_year)
    return redirect("indicators:narratives", plan.code, year)


@plan_page
def narratives(request, year: int):
    plan = request.plan
    if not has_role(request.user):
        raise PermissionDenied
    _check_year(plan, year)
    writer = can_narrate(request.user)
    if request.method == "POST" and not writer:
        raise PermissionDenied
    pillars = list(plan.pillars.order_by("number"))
    found = PillarNarrative.for_year(plan, year)
    forms = [
        PillarNarrativeForm(
            request.POST if request.method == "POST" else None,
            instance=found.get(pillar.number) or PillarNarrative(pillar=pillar, year=year),
            prefix=f"pillar-{pillar.number}",
        )
        for pillar in pillars
    ]
    if request.method == "POST":
        if all(form.is_valid() for form in forms):
            with transaction.atomic():
                changed = [form for form in forms if form.has_changed()]
                for form in changed:
                    form.instance.updated_by = request.user
                    form.save()
            messages.success(request, _("The narrative of %(year)s is saved.") % {"year": year})
            return redirect("indicators:narratives", plan.code, year)
        messages.error(request, _("Nothing was saved: correct the parts marked below."))
    context = {
        "plan": plan,
        "year": year,
        "years": plan.years,
        "writer": writer,
        "sections": list(zip(pillars, forms, strict=True)),
        "parts": NARRATIVE_PARTS,
    }
    return render(request, "indicators/narratives.html", context)


urlpatterns = [
    path("narratives/", narrative_latest, name="narrative_latest"),
    path("narratives/<int:year>/", narratives, name="narratives"),
]
