"""The plan browser: pillars → programs → activities → indicators."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from indicators.figures.across_plans import across_plans
from indicators.models import Indicator
from programs.access import plan_page
from programs.models import Activity, Pillar, Program


@plan_page
def plan(request):
    plan = request.plan
    indicators = Indicator.objects.select_related("agency").prefetch_related("targets")
    pillars = Pillar.objects.filter(plan=plan).prefetch_related(
        Prefetch("programs", queryset=Program.objects.order_by("letter")),
        Prefetch("programs__activities", queryset=Activity.objects.order_by("number")),
        Prefetch("programs__activities__indicators", queryset=indicators.order_by("number")),
    )
    return render(request, "indicators/plan.html", {"plan": plan, "pillars": pillars})


@plan_page
def indicator(request, code: str):
    plan = request.plan
    try:
        obj = Indicator.objects.with_tree().prefetch_related("targets").get(plan=plan, code=code)
    except Indicator.DoesNotExist:
        raise Http404("Unknown indicator") from None
    across = across_plans(obj, request.user, as_of=timezone.localdate())
    return render(request, "indicators/indicator.html", {"plan": plan, "indicator": obj, "across": across})
