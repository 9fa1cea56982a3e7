"""The officer's own page, *My work*: where she lands after signing in (programs.views.home)."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from indicators.models.roles import ENTER, NO_AGENCY, user_agency
from indicators.workflow.work import DueState, officer_work
from programs.access import plan_page


@permission_required(ENTER, raise_exception=True)
@plan_page
def my_work(request):
    agency = user_agency(request.user)
    if agency is None:
        raise PermissionDenied(NO_AGENCY)
    work = officer_work(request.plan, agency, as_of=timezone.localdate())
    return render(request, "indicators/my_work.html", {"work": work, "agency": agency, "states": DueState})


urlpatterns = [
    path("my-work/", my_work, name="my_work"),
]
