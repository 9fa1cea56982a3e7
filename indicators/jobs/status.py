"""What a job's page and its JSON say: the state, rows done of the total, and a message for now."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.jobs import bulk_entries, progress
from indicators.jobs.runner import reap
from indicators.models import Job, JobKind, JobState
from tptto_monitor.lib.queue import any_worker_alive


def done_message(job: Job) -> str:
    """What a finished job did, in the reader's language (a failure's reason is kept as the worker wrote it)."""
    if job.kind == JobKind.IMPORT:
        saved = job.outcome.get("saved", job.done)
        message = ngettext(
            "Imported %(count)s entry as a draft. Check it and submit it for verification.",
            "Imported %(count)s entries as drafts. Check them and submit them for verification.",
            saved,
        ) % {"count": saved}
        if left_out := job.outcome.get("left_out"):
            message += " " + ngettext(
                "%(count)s row with errors was left out, as you chose.",
                "%(count)s rows with errors were left out, as you chose.",
                left_out,
            ) % {"count": left_out}
        return message
    if job.kind == JobKind.BULK and "action" in job.outcome:
        return bulk_entries.done_message(job.outcome["action"], job.outcome["done"], job.outcome["refused_count"])
    if job.kind == JobKind.PLAN and job.outcome.get("plan"):
        return _("Created the draft plan “%(code)s” with %(n)s indicators.") % {
            "code": job.outcome["plan"],
            "n": job.total,
        }
    return job.message


def job_status(job: Job) -> dict:
    """{"state", "done", "total", "message"}; a running job whose worker died is failed first (runner.reap)."""
    if job.state == JobState.RUNNING and reap([job]):
        job.refresh_from_db()
    status = {"state": job.state, "done": job.done, "total": job.total, "message": job.message}
    if job.state == JobState.DONE:
        status["message"] = done_message(job)
    elif job.state == JobState.RUNNING:
        status.update(progress.read(job) or {"message": _("Starting")})
    elif job.state == JobState.QUEUED:
        status["message"] = (
            _("Waiting for a worker.")
            if any_worker_alive()
            else _("No worker is running: the job waits until one starts. Tell the administrator.")
        )
    return status
