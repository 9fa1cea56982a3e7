"""A job's page and its JSON status, and the plan's imports: who, when, which file, how many rows, undo.

The job page of an import or of a batch of entries lives under its plan (`/rad/<slug>/jobs/<id>/`, JSON at
`…/jobs/<id>.json`); its owner sees it, and so does an administrator of the plan's regency; anyone else gets
404, as for a plan of another regency. The page draws the progress from the JSON with static/js/job.js and, without
script, refreshes itself until the job has ended.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from indicators.intake import refused
from indicators.intake.undo import UndoRefused, import_undo
from indicators.intake.uploads import PROGRESS_UPLOADS
from indicators.jobs.runner import requeue
from indicators.jobs.status import job_status
from indicators.models import Job, JobKind, JobState
from indicators.views.importing import ADMIN_PERM, import_agency_for, refused_response
from programs.access import plan_page

PAGE_SIZE = 100


def plan_imports(request):
    """The plan's import jobs the user may see: an administrator's all, an officer's own."""
    import_agency_for(request)  # 403 for those who import nothing
    jobs = Job.objects.filter(plan=request.plan, kind=JobKind.IMPORT)
    if not request.user.has_perm(ADMIN_PERM):
        jobs = jobs.filter(user=request.user)
    return jobs


def get_job_for_user(request, pk: int, kinds=(JobKind.IMPORT,)) -> Job:
    """A job of the plan of one of `kinds`: the user's own, or any for an administrator; an import only for those
    who import (403 otherwise); 404 for anyone else."""
    job = Job.objects.filter(plan=request.plan, kind__in=kinds, pk=pk).select_related("user", "receipt").first()
    if job is not None and job.kind == JobKind.IMPORT:
        import_agency_for(request)
    if job is None or (job.user_id != request.user.pk and not request.user.has_perm(ADMIN_PERM)):
        raise Http404("No such job")
    return job


PAGE_KINDS = (JobKind.IMPORT, JobKind.BULK)  # the jobs of a plan with a page here (a new plan's: plan_upload)


def _can_retry(request, job: Job) -> bool:
    """Her failed job, whose input is still there (an import's upload is kept a day; a batch's ids are its own)."""
    if job.state != JobState.FAILED or job.user_id != request.user.pk:
        return False
    return job.kind == JobKind.BULK or PROGRESS_UPLOADS.kept(job.token) is not None


@plan_page
def job_page(request, pk: int):
    job = get_job_for_user(request, pk, PAGE_KINDS)
    status = job_status(job)
    context = {"job": job, "status": status, "retry": _can_retry(request, job)}
    template = "indicators/bulk_job.html" if job.kind == JobKind.BULK else "indicators/job.html"
    return render(request, template, context)


@plan_page
def job_json(request, pk: int):
    response = JsonResponse(job_status(get_job_for_user(request, pk, PAGE_KINDS)))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@plan_page
def job_retry(request, pk: int):
    job = get_job_for_user(request, pk, PAGE_KINDS)
    if not _can_retry(request, job) or not requeue(job):
        messages.error(request, _("This job cannot be started again: upload the file again."))
    return redirect(job)


@plan_page
def job_refused(request, pk: int):
    """The rows an import left out (the importer chose its good rows only), as the preview offered them: the
    import format with an error column, kept by the job after the upload itself is gone."""
    job = get_job_for_user(request, pk)
    content = refused.kept(job.token) if job.state == JobState.DONE and job.outcome.get("left_out") else None
    if content is None:
        raise Http404("No rows were left out by this import")
    return refused_response(content, job.file_name)


@plan_page
def imports(request):
    jobs = plan_imports(request).select_related("plan", "user", "receipt", "receipt__undone_by")
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(request, "indicators/imports.html", {"page": page, "plan": request.plan})


@plan_page
def import_entries(request, pk: int):
    job = get_job_for_user(request, pk)
    if job.receipt is None:
        raise Http404("Nothing was saved by this job")
    entries = job.receipt.entries.select_related("indicator", "kecamatan").order_by("pk")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "indicators/import_entries.html", {"job": job, "page": page})


@require_POST
@plan_page
def undo(request, pk: int):
    job = get_job_for_user(request, pk)
    if job.receipt is None:
        raise Http404("Nothing was saved by this job")
    try:
        removed = import_undo(receipt=job.receipt, user=request.user)
    except UndoRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            ngettext(
                "The import was undone: %(count)s entry was removed.",
                "The import was undone: %(count)s entries were removed.",
                removed,
            )
            % {"count": removed},
        )
    return redirect("indicators:imports", request.plan.code)


urlpatterns = [
    path("imports/", imports, name="imports"),
    path("imports/<int:pk>/entries/", import_entries, name="import_entries"),
    path("imports/<int:pk>/undo/", undo, name="import_undo"),
    path("jobs/<int:pk>/", job_page, name="job"),
    path("jobs/<int:pk>.json", job_json, name="job_json"),
    path("jobs/<int:pk>/retry/", job_retry, name="job_retry"),
    path("jobs/<int:pk>/refused.xlsx", job_refused, name="job_refused"),
]
