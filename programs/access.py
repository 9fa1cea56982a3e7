"""Which plans a person may open, and the plan of a `/rad/<slug>/` page.

Every plan page is addressed by its plan's slug; `plan_page` resolves it once,
checks that the user may read the plan, and puts it on `request.plan` (and
thereby in every template, see `tptto_monitor.context_processors`).
"""

from functools import wraps

from django.http import Http404

from programs.models import Plan


def plans_for(user):
    """The plans the user may read."""
    return Plan.objects.select_related("region")


def get_plan_for_user(user, slug: str) -> Plan:
    """The plan with this slug if the user may read it; 404 otherwise (a plan one may not read does not exist)."""
    plan = plans_for(user).filter(code=slug).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def plan_page(view):
    """For views under `/rad/<slug:rad>/`: the plan from the address, on `request.plan`."""

    @wraps(view)
    def wrapper(request, rad: str, *args, **kwargs):
        request.plan = get_plan_for_user(request.user, rad)
        return view(request, *args, **kwargs)

    return wrapper
