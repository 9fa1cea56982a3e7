"""A new plan from a plan file on the web: upload → preview → confirm (docs/plan-format.md).

The web face of `manage.py import_plan`, for administrators and superusers: the file is kept as the progress
import keeps its uploads (indicators.intake.uploads), read by the same `parse_plan_file`; the confirmation queues a
job (indicators.jobs.plan_upload) that checks the file and the plan again before `create_plan` makes the draft plan
in one transaction, and answers at once with the job's page.

Who may create a plan, and for which regency: a superuser for any loaded regency; an administrator for her
own regency only (`regencies_acted_in`, the rule the admin site scopes by). A province's administrator
creates none: her province's people read every regency and act in none, and a draft she made she could
neither edit nor make active.
"""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from indicators.intake.uploads import PLAN_UPLOADS, ReadingUnfinished
from indicators.jobs.plan_upload import Checked, check_upload
from indicators.jobs.runner import requeue, start_job
from indicators.jobs.status import job_status
from indicators.models import Job, JobKind, JobState
from indicators.plans.copying import copy_plan
from indicators.plans.plan_file import to_csv, to_xlsx
from indicators.plans.plan_import import plan_problems, planned_tree
from indicators.views.importing import CONTENT_TYPES, UploadForm
from programs.access import plans_for, regencies_acted_in
from programs.models import Agency, Plan, Region

PERM = "programs.add_plan"  # the administrator group's, and every superuser's
UPLOADS = PLAN_UPLOADS
PROBLEM_FIELDS = {"regency": "regency", "slug": "slug", "years": "start_year"}


def regencies_for_new_plan(user) -> list[Region]:
    """The regencies the user may create a plan for (403 when none)."""
    if not user.has_perm(PERM):
        raise PermissionDenied(_("Only administrators can create plans."))
    regencies = list(regencies_acted_in(user).order_by("code"))
    if not regencies:
        raise PermissionDenied(_("Only a regency's administrator or a superuser can create a plan for a regency."))
    return regencies


def _years_in_order(form: forms.Form, data: dict) -> tuple[int | None, int | None]:
    """The plan's first and last year; an error on the last one when it comes before the first."""
    start, end = data.get("start_year"), data.get("end_year")
    if start and end and end < start:
        form.add_error(
            "end_year",
            _("The last year %(end)s comes before the first year %(start)s.") % {"start": start, "end": end},
        )
    return start, end


class PlanUploadForm(UploadForm):
    regency = forms.ChoiceField(label=gettext_lazy("Regency"))
    start_year = forms.IntegerField(label=gettext_lazy("First year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=gettext_lazy("Last year"), min_value=2000, max_value=2100)
    slug = forms.SlugField(
        label=gettext_lazy("Slug"),
        max_length=40,
        help_text=gettext_lazy(
            "Part of the plan's address: small letters, digits and hyphens, e.g. rad-belu-2023-2027."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "none"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=300, help_text=gettext_lazy("e.g. RAD TPPO Kabupaten Belu 2023–2027")
    )

    def __init__(self, *args, regencies: list[Region], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].choices = [(region.code, str(region)) for region in regencies]

    def clean(self):
        data = super().clean()
        start, end = _years_in_order(self, data)
        if not self.errors:
            _region, problems = plan_problems(
                region_code=data["regency"], code=data["slug"], name=data["name"], years=(start, end)
            )
            for key, found in problems.items():
                for message in found:
                    self.add_error(PROBLEM_FIELDS[key], message)
        return data

    def details(self) -> dict:
        """What the session keeps beside the file: what the uploader typed."""
        data = self.cleaned_data
        return {
            "file": data["file"].name[:200],
            "regency": data["regency"],
            "years": [data["start_year"], data["end_year"]],
            "slug": data["slug"],
            "name": data["name"],
        }


def _preview(request, token: uuid.UUID, details: dict, checked: Checked, regencies: list[Region], *, status: int = 200):
    tree = planned_tree(checked.parsed, years=tuple(details["years"]), region=checked.region) if checked.ok else []
    programs = [program for pillar in tree for program in pillar.planned_programs]
    activities = [activity for program in programs for activity in program.planned_activities]
    for pillar in tree:
        pillar.indicator_count = sum(
            len(activity.planned_indicators)
            for program in pillar.planned_programs
            for activity in program.planned_activities
        )
    counts = {
        "pillars": len(tree),
        "programs": len(programs),
        "activities": len(activities),
        "indicators": sum(pillar.indicator_count for pillar in tree),
    }
    form = None
    if not checked.ok:
        # to upload the file again, corrected, with what was typed before
        initial = {**details, "start_year": details["years"][0], "end_year": details["years"][1]}
        form = PlanUploadForm(initial=initial, regencies=regencies)
    context = {
        "token": token,
        "details": details,
        "checked": checked,
        "tree": tree,
        "counts": counts,
        "form": form,
        "new_agencies": [
            (Agency(code=code, **names), checked.flagged.get(code, []))
            for code, names in sorted(checked.parsed.new_agencies.items())
        ],
        "flagged": checked.flagged,
    }
    return render(request, "indicators/plan_upload_preview.html", context, status=status)


class PlanFileForm(forms.Form):
    """Which plan to download as a plan file, moved to the new plan's first year if given."""

    plan = forms.ChoiceField(label=gettext_lazy("Plan"))
    start_year = forms.IntegerField(
        label=gettext_lazy("First year of the new plan"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=gettext_lazy(
            "The annual target columns and the milestones' due years move along. Empty: the plan's own years."
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("xlsx", gettext_lazy("Excel (.xlsx)")), ("csv", gettext_lazy("CSV (UTF-8)"))],
        initial="xlsx",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, plans: list[Plan], **kwargs):
        super().__init__(*args, prefix="source", **kwargs)
        self.plans = {plan.code: plan for plan in plans}
        self.fields["plan"].choices = [
            (plan.code, f"{plan.code} ({plan.region.name}, {plan.start_year}–{plan.end_year})") for plan in plans
        ]


class CopyPlanForm(forms.Form):
    """The next plan as a copy of the current one, as `manage.py copy_plan` makes it."""

    source = forms.ChoiceField(label=gettext_lazy("Plan to copy"))
    start_year = forms.IntegerField(label=gettext_lazy("First year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=gettext_lazy("Last year"), min_value=2000, max_value=2100)
    slug = forms.SlugField(
        label=gettext_lazy("Slug"),
        max_length=40,
        help_text=gettext_lazy("Part of the plan's address, e.g. rad-ttu-2023-2027."),
        widget=forms.TextInput(attrs={"autocapitalize": "none"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Empty: the copied plan's name with the new years."),
    )
    carry_over = forms.BooleanField(
        label=gettext_lazy("Carry over what the old plan left unmet"),
        required=False,
        help_text=gettext_lazy(
            "Each count and coverage target becomes the old plan's target less what it reached; the indicator's "
            "note says so."
        ),
    )

    def __init__(self, *args, plans: list[Plan], **kwargs):
        super().__init__(*args, prefix="copy", **kwargs)
        self.plans = {plan.code: plan for plan in plans}
        self.fields["source"].choices = [
            (plan.code, f"{plan.code} ({plan.region.name}, {plan.start_year}–{plan.end_year})") for plan in plans
        ]
        if plans:  # the next plan of the latest one, as long again
            latest = max(plans, key=lambda plan: plan.end_year)
            span = latest.end_year - latest.start_year
            self.fields["start_year"].initial = latest.end_year + 1
            self.fields["end_year"].initial = latest.end_year + 1 + span
            self.fields["source"].initial = latest.code

    def clean(self):
        data = super().clean()
        _years_in_order(self, data)
        return data


def _sources(user, regencies: list[Region]) -> list[Plan]:
    """The plans of her regencies: to download as a plan file, or to copy."""
    sources = plans_for(user).filter(region__in=[regency.pk for regency in regencies])
    return list(sources.order_by("region__code", "-start_year"))


def _start_page(request, regencies: list[Region], *, form=None, source_form=None, copy_form=None, status: int = 200):
    # an existing plan, copied or exported, is the quickest start for the next one
    sources = _sources(request.user, regencies)
    context = {
        "form": form or PlanUploadForm(regencies=regencies, initial={"regency": regencies[0].code}),
        "source_form": source_form or PlanFileForm(plans=sources),
        "copy_form": copy_form or CopyPlanForm(plans=sources),
        "sources": sources,
    }
    return render(request, "indicators/plan_upload.html", context, status=status)


def start(request):
    regencies = regencies_for_new_plan(request.user)
    if request.method != "POST":
        return _start_page(request, regencies)
    form = PlanUploadForm(request.POST, request.FILES, regencies=regencies)
    if not form.is_valid():
        return _start_page(request, regencies, form=form)
    token = UPLOADS.keep(request, form.cleaned_data["data"], form.details())
    return redirect("plan_upload:preview", token)


@require_GET
def plan_file(request):
    """A plan of her regencies as a plan file (as `manage.py export_plan [--start-year]`), to start from."""
    regencies = regencies_for_new_plan(request.user)
    form = PlanFileForm(request.GET, plans=_sources(request.user, regencies))
    if not form.is_valid():
        return _start_page(request, regencies, source_form=form, status=400)
    plan = form.plans[form.cleaned_data["plan"]]
    start_year = form.cleaned_data["start_year"] or plan.start_year
    fmt = form.cleaned_data["format"]
    data = (to_xlsx if fmt == "xlsx" else to_csv)(plan, start_year - plan.start_year)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = plan.code if start_year == plan.start_year else f"{plan.code}-from-{start_year}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_POST
def copy(request):
    """The next plan of her regency as a copy of one of its plans: `copy_plan` on the web (predecessors linked,
    with carry-over if asked), a draft created whole or not at all."""
    regencies = regencies_for_new_plan(request.user)
    form = CopyPlanForm(request.POST, plans=_sources(request.user, regencies))
    if not form.is_valid():
        return _start_page(request, regencies, copy_form=form, status=400)
    data = form.cleaned_data
    source = form.plans[data["source"]]
    try:
        plan, carried = copy_plan(
            source,
            code=data["slug"],
            years=(data["start_year"], data["end_year"]),
            carry=data["carry_over"],
            as_of=timezone.localdate(),
            name=data["name"] or None,
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _start_page(request, regencies, copy_form=form, status=400)
    messages.success(
        request,
        _(
            "Created the draft plan “%(code)s” (%(start)s–%(end)s) as a copy of %(source)s: %(n)s indicators, "
            "each linked to its predecessor; %(carried)s targets carried over."
        )
        % {
            "code": plan.code,
            "start": plan.start_year,
            "end": plan.end_year,
            "source": source.code,
            "n": plan.indicators.count(),
            "carried": len(carried),
        },
    )
    return redirect(plan)


@require_GET
def preview(request, token: uuid.UUID):
    regencies = regencies_for_new_plan(request.user)
    details, data = UPLOADS.get(request, token)
    try:
        with UPLOADS.reading(request, token):
            checked = check_upload(details, data, regencies)
    except ReadingUnfinished as error:
        if not error.died:
            context = {"name": details["file"], "back": reverse("plan_upload:start")}
            return render(request, "indicators/import_busy.html", context, status=409)
        UPLOADS.end_reading(request, token)
        UPLOADS.forget(request, token)
        messages.error(
            request,
            _("Checking “%(name)s” did not finish, so the upload was discarded; nothing was saved.")
            % {"name": details["file"]},
        )
        return redirect("plan_upload:start")
    return _preview(request, token, details, checked, regencies)


@require_POST
def confirm(request, token: uuid.UUID):
    """Queue the plan's creation as a job and answer with its page; a second confirmation finds the same job."""
    regencies = regencies_for_new_plan(request.user)
    job = Job.objects.filter(token=token, kind=JobKind.PLAN).first()
    if job is None:
        details, _data = UPLOADS.get(request, token)
        region = next((regency for regency in regencies if regency.code == details["regency"]), None)
        if region is None:
            raise PermissionDenied(_("You cannot create a plan for this regency."))
        job, _created = start_job(
            kind=JobKind.PLAN,
            token=token,
            user=request.user,
            region=region,
            file_name=details["file"],
            params={
                "details": details,
                "agencies_checked": bool(request.POST.get("agencies_checked")),
                "language": get_language(),
            },
        )
        UPLOADS.release(request, token)
    if job.user_id != request.user.pk:
        raise Http404("No such upload")
    if job.state == JobState.FAILED and UPLOADS.kept(token) is not None:
        job.params["agencies_checked"] = bool(request.POST.get("agencies_checked"))
        Job.objects.filter(pk=job.pk).update(params=job.params)
        requeue(job)
    return redirect(job)


def _get_job(request, pk: int) -> Job:
    regencies_for_new_plan(request.user)
    job = Job.objects.filter(pk=pk, kind=JobKind.PLAN, user=request.user).select_related("user", "plan").first()
    if job is None:
        raise Http404("No such job")
    return job


@require_GET
def job_page(request, pk: int):
    job = _get_job(request, pk)
    return render(request, "indicators/plan_job.html", {"job": job, "status": job_status(job)})


@require_GET
def job_json(request, pk: int):
    response = JsonResponse(job_status(_get_job(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def cancel(request, token: uuid.UUID):
    regencies_for_new_plan(request.user)
    UPLOADS.get(request, token)
    UPLOADS.forget(request, token)
    messages.info(request, _("The upload was discarded; nothing was saved."))
    return redirect("plan_upload:start")


app_name = "plan_upload"

urlpatterns = [
    path("", start, name="start"),
    path("plan-file/", plan_file, name="plan_file"),
    path("copy/", copy, name="copy"),
    path("<uuid:token>/", preview, name="preview"),
    path("<uuid:token>/confirm/", confirm, name="confirm"),
    path("<uuid:token>/cancel/", cancel, name="cancel"),
    path("jobs/<int:pk>/", job_page, name="job"),
    path("jobs/<int:pk>.json", job_json, name="job_json"),
]
