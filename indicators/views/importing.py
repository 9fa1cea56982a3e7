"""Spreadsheet import pages: template download → upload → dry-run preview → confirm.

The uploaded file is kept in the default storage under `imports/<uuid>` and
listed in the uploader's session, so the preview and the confirmation read the
same bytes. The confirmation queues a job (indicators.jobs.progress_import) that
checks every row again and saves them, and answers at once with the job's page.
"""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.intake import claims as import_claims
from indicators.intake import refused
from indicators.intake.checked import CheckedRows
from indicators.intake.progress import MAX_BYTES, ImportFileError, ImportResult, import_file, sniff_format
from indicators.intake.template import build_template, template_indicators
from indicators.intake.uploads import PROGRESS_UPLOADS, ReadingUnfinished
from indicators.jobs.runner import requeue, start_job
from indicators.models import EntryStatus, Job, JobKind, JobState
from indicators.models.roles import can_enter, user_agency
from programs.access import plan_page
from programs.models import Agency
from tptto_monitor.lib import csv_style

UPLOADS = PROGRESS_UPLOADS
SESSION_KEY, READING_KEY = UPLOADS.key, UPLOADS.reading_key
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


ADMIN_PERM = "indicators.add_progressentry"


def import_agency_for(request) -> Agency | None:
    """The agency entries are imported for: an officer's own; None for an administrator (each indicator's).

    Checked first for administrators: their group holds every entry permission,
    enter_progress included, but they import for all agencies.
    """
    user = request.user
    if user.has_perm(ADMIN_PERM):
        return None
    if can_enter(user):
        return user_agency(user)
    raise PermissionDenied(_("Only data-entry officers and administrators can import entries."))


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (XLSX or CSV)"),
        help_text=gettext_lazy("At most 5 MB. Only the first sheet of a workbook is read."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
            )
        data = upload.read()
        try:
            sniff_format(data)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        self.cleaned_data["data"] = data
        return upload


PREVIEW_PAGE_ROWS = 100


def _run(request, data: bytes, *, dry_run: bool, warning_comment: str = "", valid_only: bool = False) -> ImportResult:
    agency = import_agency_for(request)
    return import_file(
        data,
        plan=request.plan,
        user=request.user,
        status=EntryStatus.DRAFT,
        agency=agency,
        agency_must_match=agency is not None,
        dry_run=dry_run,
        warning_comment=warning_comment,
        valid_only=valid_only,
    )


def chose_valid_only(request) -> bool:
    """The importer's explicit choice, sent with the confirm form: save the good rows, leave the bad out."""
    return request.POST.get("valid_only") == "1"


def render_preview(request, name: str, result: CheckedRows, token: uuid.UUID, status: int = 200):
    """Counts, then the rows to look at (errors or warnings), 100 a page; `?rows=all` pages through every row.

    A 5,000-row file with five bad rows shows those five at once instead of a page of 5,000.
    """
    show_all = request.GET.get("rows") == "all"
    listed = result.rows if show_all else result.problem_rows
    page = Paginator(listed, PREVIEW_PAGE_ROWS).get_page(request.GET.get("page"))
    context = {
        "name": name,
        "result": result,
        "token": token,
        "page": page,
        "show_all": show_all,
        "preview_url": reverse("indicators:import_preview", args=[request.plan.code, token]),
        "counts": {
            "rows": len(result.rows),
            "good": len(result.good_rows),
            "bad": len(result.bad_rows),
            "warned": len(result.warned_rows),
        },
    }
    return render(request, "indicators/import_preview.html", context, status=status)


def _unfinished(request, token: uuid.UUID, name: str, error: ReadingUnfinished):
    if not error.died:
        back = reverse("indicators:import", args=[request.plan.code])
        return render(request, "indicators/import_busy.html", {"name": name, "back": back}, status=409)
    UPLOADS.end_reading(request, token)
    UPLOADS.forget(request, token)
    messages.error(
        request,
        _("Checking “%(name)s” did not finish, so the upload was discarded; nothing was saved.") % {"name": name},
    )
    return redirect("indicators:import", request.plan.code)


@plan_page
def start(request):
    agency = import_agency_for(request)
    plan = request.plan
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            token = UPLOADS.keep(request, form.cleaned_data["data"], form.cleaned_data["file"].name[:200])
            return redirect("indicators:import_preview", request.plan.code, token)
    else:
        form = UploadForm()
    context = {
        "form": form,
        "agency": agency,
        "plan": plan,
        "indicator_count": len(template_indicators(plan, agency)),
    }
    return render(request, "indicators/import_start.html", context)


@plan_page
def template_file(request, fmt: str):
    agency = import_agency_for(request)
    if fmt not in CONTENT_TYPES:
        raise Http404("Unknown format")
    plan = request.plan
    data = build_template(plan, agency, fmt)
    slug = agency.code if agency else "all"
    name = f"import-template-{slug}.{fmt}"
    if fmt == "csv" and csv_style.excel_id_requested(request):
        # the template's numbers are whole: only the separator changes; the import reads either
        data, name = csv_style.excel_id(data, []), csv_style.excel_id_filename(name)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _checked(request, token: uuid.UUID):
    """(name, the rows as checked) of the upload: checked once, at the preview's first look, then read from what
    was kept beside the upload (indicators.intake.checked); or the response to give instead."""
    name, data = UPLOADS.get(request, token)
    language = get_language()
    if (kept := UPLOADS.checked(token, language)) is not None:
        return name, CheckedRows.loads(kept), None
    try:
        with UPLOADS.reading(request, token):
            result = _run(request, data, dry_run=True)
    except ReadingUnfinished as error:
        return name, None, _unfinished(request, token, name, error)
    except ImportFileError as error:
        UPLOADS.forget(request, token)
        messages.error(request, _("“%(name)s” cannot be imported: %(error)s") % {"name": name, "error": error})
        return name, None, redirect("indicators:import", request.plan.code)
    checked = CheckedRows.from_result(result)
    UPLOADS.keep_checked(token, language, checked.dumps())
    return name, checked, None


@plan_page
def preview(request, token: uuid.UUID):
    import_agency_for(request)
    name, checked, instead = _checked(request, token)
    if instead is not None:
        return instead
    return render_preview(request, name, checked, token)


@plan_page
def refused_file(request, token: uuid.UUID):
    """The rows of the upload that cannot be imported, as an XLSX in the import format with an `error` column."""
    import_agency_for(request)
    name, checked, instead = _checked(request, token)
    if instead is not None:
        return instead
    return refused_response(refused.refused_rows_xlsx([row.outcome() for row in checked.bad_rows]), name)


def refused_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=refused.CONTENT_TYPE)
    stem = slugify(name.rsplit(".", 1)[0])[:80] or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-refused.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


def _already_imported(request, token: uuid.UUID, receipt):
    if str(token) in request.session.get(SESSION_KEY, {}):
        UPLOADS.forget(request, token)
    messages.info(
        request,
        ngettext(
            "“%(name)s” was already imported: %(count)s entry was saved from it, as a draft.",
            "“%(name)s” was already imported: %(count)s entries were saved from it, as drafts.",
            receipt.saved,
        )
        % {"name": receipt.file_name, "count": receipt.saved},
    )
    return redirect("indicators:import", request.plan.code)


@require_POST
@plan_page
def confirm(request, token: uuid.UUID):
    """Queue the import as a job and answer at once with its page; a second confirmation finds the same job.

    A job that failed (bad rows found meanwhile, its worker killed) is queued again, with the comment now
    given, while its upload is still kept.
    """
    agency = import_agency_for(request)
    job = Job.objects.filter(token=token, kind=JobKind.IMPORT).first()
    if job is None:
        if (receipt := import_claims.receipt_for(token, request.user)) is not None:
            return _already_imported(request, token, receipt)  # confirmed before imports were jobs
        name, _data = UPLOADS.get(request, token)
        params = {
            "agency": agency.pk if agency else None,
            "warning_comment": request.POST.get("warning_comment", "")[:2000],
            "valid_only": chose_valid_only(request),
            "language": get_language(),
        }
        job, _created = start_job(
            kind=JobKind.IMPORT,
            token=token,
            user=request.user,
            plan=request.plan,
            region=request.plan.region,
            file_name=name,
            params=params,
        )
        UPLOADS.release(request, token)
    if job.user_id != request.user.pk or job.plan_id != request.plan.pk:
        raise Http404("No such upload")
    if job.state == JobState.FAILED and UPLOADS.kept(token) is not None:
        job.params["warning_comment"] = request.POST.get("warning_comment", "")[:2000]
        Job.objects.filter(pk=job.pk).update(params=job.params)
        requeue(job)
    return redirect(job)


@require_POST
@plan_page
def cancel(request, token: uuid.UUID):
    import_agency_for(request)
    UPLOADS.get(request, token)
    UPLOADS.forget(request, token)
    messages.info(request, _("The upload was discarded; nothing was saved."))
    return redirect("indicators:import", request.plan.code)


urlpatterns = [
    path("import/", start, name="import"),
    path("import/template.<str:fmt>", template_file, name="import_template"),
    path("import/<uuid:token>/", preview, name="import_preview"),
    path("import/<uuid:token>/refused.xlsx", refused_file, name="import_refused"),
    path("import/<uuid:token>/confirm/", confirm, name="import_confirm"),
    path("import/<uuid:token>/cancel/", cancel, name="import_cancel"),
]
