"""The way in: `/` leads to the user's plan, `/rad/` lists the plans she may open,
and the addresses from before plans had slugs lead to the default plan."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, re_path
from django.utils import timezone

from programs.access import home_region, is_national, plans_for
from programs.models import Plan

# named as a string: programs imports neither other app (the permission belongs to indicators)
ENTER_PROGRESS = "indicators.enter_progress"


def home(request):
    """Straight to the user's plan: the one active plan she may open, or, of several, the one active plan
    that covers this year (a regency whose next plan began before the old one was closed); else the list."""
    if is_national(request.user):
        return redirect("national:national")  # the country's people start from the provinces
    active = plans_for(request.user).filter(status=Plan.Status.ACTIVE)
    year = timezone.localdate().year
    for candidates in (active, active.filter(start_year__lte=year, end_year__gte=year)):
        found = list(candidates[:2])
        if len(found) == 1:
            if request.user.has_perm(ENTER_PROGRESS) and not request.user.is_superuser:
                # an officer lands on her own page, My work, not the whole plan
                return redirect("indicators:my_work", found[0].code)
            return redirect(found[0])
        if not found:
            break
    return redirect("programs:plans")


def plans(request):
    rows = plans_for(request.user).order_by("region__code", "-start_year", "code")
    if not request.user.is_superuser and home_region(request.user) is None and not is_national(request.user):
        # a person with a role but no regency (an account made without its staff profile): say what is missing
        return render(request, "no_role.html", {"missing": "regency"}, status=403)
    return render(request, "programs/plans.html", {"plans": rows})


def legacy(request, rest: str):
    """Bookmarks of `/dashboard/…`, `/reports/2021/summary.pdf`, … open the same page of the default plan."""
    plan = Plan.objects.default()
    if plan is None:
        raise Http404("No plan loaded")
    target = f"/rad/{plan.code}/{rest}"
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target)


# the top-level paths of the plan pages before they moved under /rad/<slug>/
LEGACY_PREFIXES = [
    "dashboard",
    "indicators",
    "entries",
    "evidence",
    "reports",
    "my-indicators",
    "verification",
    "import",
]
LEGACY_PATH = r"^(?P<rest>(?:{})(?:/.*|\..*)?)$".format("|".join(LEGACY_PREFIXES))

app_name = "programs"

urlpatterns = [
    path("", home, name="home"),
    path("rad/", plans, name="plans"),
    re_path(LEGACY_PATH, legacy, name="legacy"),
]
