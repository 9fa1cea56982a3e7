"""The spreadsheet import as a job: the confirmed upload's rows checked and saved in one transaction.

The same `import_file` as the shell's `import_progress` and as the preview, with the confirmation's
agency and comment (the job's params). The upload's receipt, the entries (each remembering the
receipt, for the import's history and its undo) and the job's outcome commit together; a refusal
saves nothing and keeps the upload, so the user can fix what the job page names and confirm again.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.intake import claims, refused
from indicators.intake.progress import ImportFileError, import_file
from indicators.intake.uploads import PROGRESS_UPLOADS
from indicators.jobs.progress import Progress
from indicators.jobs.runner import JobFailed, complete
from indicators.models import EntryStatus, Job
from programs.models import Agency

ERRORS_KEPT = 200  # the first bad rows named on the job page; the preview names them all


def run(job: Job, progress: Progress) -> None:
    data = PROGRESS_UPLOADS.kept(job.token)
    if data is None:
        raise JobFailed(_("The uploaded file is no longer kept: upload it again."))
    agency_id = job.params.get("agency")
    agency = Agency.objects.get(pk=agency_id) if agency_id else None
    try:
        with transaction.atomic():
            try:
                receipt = claims.claim(token=job.token, user=job.user, file_name=job.file_name)
            except claims.AlreadyImported:
                raise JobFailed(_("This file was already imported.")) from None
            result = import_file(
                data,
                plan=job.plan,
                user=job.user,
                status=EntryStatus.DRAFT,
                agency=agency,
                agency_must_match=agency is not None,
                warning_comment=job.params.get("warning_comment", ""),
                valid_only=job.params.get("valid_only", False),
                receipt=receipt,
                progress=progress,
            )
            errors = [
                {"row": row.row, "column": column, "message": message}
                for row in result.bad_rows
                for column, message in row.errors
            ]
            if not result.savable:
                raise JobFailed(
                    ngettext(
                        "Nothing was saved: %(count)s row is not valid.",
                        "Nothing was saved: %(count)s rows are not valid.",
                        len(result.bad_rows),
                    )
                    % {"count": len(result.bad_rows)},
                    {"errors": errors[:ERRORS_KEPT], "bad_rows": len(result.bad_rows)},
                )
            if result.needs_comment:
                raise JobFailed(
                    _("Nothing was saved: explain the values the data checks flagged."), {"needs_comment": True}
                )
            receipt.saved = result.saved
            receipt.plan = job.plan
            receipt.save(update_fields=["saved", "plan"])
            left_out = len(result.bad_rows)  # only when the importer chose to import the valid rows
            if left_out:  # the refused rows' file outlives the upload (a file left behind by a rollback is unused)
                refused.keep(job.token, refused.refused_rows_xlsx(result.bad_rows))
            complete(
                job,
                done=len(result.rows),
                total=len(result.rows),
                message=ngettext(
                    "Imported %(count)s entry as a draft. Check it and submit it for verification.",
                    "Imported %(count)s entries as drafts. Check them and submit them for verification.",
                    result.saved,
                )
                % {"count": result.saved},
                outcome={"saved": result.saved, "left_out": left_out, "errors": errors[:ERRORS_KEPT]},
                receipt=receipt,
            )
    except ImportFileError as error:
        raise JobFailed(_("Nothing was saved: %(error)s") % {"error": error}) from None
    PROGRESS_UPLOADS.discard(job.token)  # saved: the upload has served
