"""The plan browser: pillars → programs → activities → indicators."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render

from indicators.models import Indicator
from programs.models import Activity, Pillar, Plan, Program


def current_plan_or_404() -> Plan:
    plan = Plan.current()
    if plan is None:
        raise Http404("No plan loaded")
    return plan


def plan(request):
    plan = current_plan_or_404()
    indicators = Indicator.objects.select_related("agency").prefetch_related("targets")
    pillars = Pillar.objects.filter(plan=plan).prefetch_related(
        Prefetch("programs", queryset=Program.objects.order_by("letter")),
        Prefetch("programs__activities", queryset=Activity.objects.order_by("number")),
        Prefetch("programs__activities__indicators", queryset=indicators.order_by("number")),
    )
    return render(request, "indicators/plan.html", {"plan": plan, "pillars": pillars})


def indicator(request, code: str):
    plan = current_plan_or_404()
    try:
        obj = Indicator.objects.with_tree().prefetch_related("targets").get(plan=plan, code=code)
    except Indicator.DoesNotExist:
        raise Http404("Unknown indicator") from None
    return render(request, "indicators/indicator.html", {"plan": plan, "indicator": obj})
