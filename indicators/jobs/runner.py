"""Running a job: the one task of the queue that every kind of job goes through, and its bookkeeping.

`run_job` takes a queued job (a conditional update, so two workers never run one job), runs its kind's
work in the user's language, and records how it ended. A kind's work (RUNNERS, imported on first use)
does everything in one transaction and, inside that same transaction, calls `complete`: the job is
done exactly when its rows are saved. A refusal (`JobFailed`) rolls the work back and fails the job
with its reason; an unexpected error too, and the task is marked failed with its traceback.

A worker killed midway (SIGKILL, the machine gone) takes its open transaction with it, so the database
holds nothing of the work; its job still says running. `reap` finds such jobs by their worker's
heartbeat (tptto_monitor.lib.queue) and fails them with the reason, at every worker's start and whenever
someone looks at the job. The user may then start it again from the job page (`requeue`).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from indicators.jobs.progress import Progress, forget
from indicators.models import Job, JobKind, JobState
from tptto_monitor.lib.queue import alive_window, worker_alive

RUNNERS = {
    JobKind.IMPORT: "indicators.jobs.progress_import.run",
    JobKind.PLAN: "indicators.jobs.plan_upload.run",
    JobKind.BULK: "indicators.jobs.bulk_entries.run",
}


class JobFailed(Exception):
    """The work was refused (bad rows, a plan that cannot be created): nothing saved, the job failed."""

    def __init__(self, message: str, outcome: dict | None = None):
        super().__init__(message)
        self.message = message
        self.outcome = outcome or {}


def enqueue(job: Job) -> None:
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


def requeue(job: Job) -> bool:
    """Queue a failed job again (its upload must still be kept); False if it is not failed."""
    if not Job.objects.filter(pk=job.pk, state=JobState.FAILED).update(
        state=JobState.QUEUED, done=0, message="", outcome={}, worker_id="", started_at=None, finished_at=None
    ):
        return False
    enqueue(job)
    return True


def _start(job_id: int, worker_id: str) -> Job | None:
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, worker_id=worker_id[:64], started_at=timezone.now(), attempts=F("attempts") + 1
    )
    return Job.objects.get(pk=job_id) if claimed else None


def complete(job: Job, *, done: int, total: int, message: str, outcome: dict | None = None, **fields) -> None:
    """Mark the job done: call it inside the work's transaction, so both commit together or neither does."""
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE,
        done=done,
        total=total,
        message=message,
        outcome=outcome or {},
        finished_at=timezone.now(),
        **fields,
    )


def fail(job: Job, message: str, outcome: dict | None = None) -> bool:
    """Mark the job failed unless it ended already (a job done stays done); True if it was marked."""
    return bool(
        Job.objects.filter(pk=job.pk, state__in=(JobState.QUEUED, JobState.RUNNING)).update(
            state=JobState.FAILED, message=message, outcome=outcome or {}, finished_at=timezone.now()
        )
    )


@task(takes_context=True)
def run_job(context, job_id: int) -> str:
    worker_ids = context.task_result.worker_ids
    job = _start(job_id, worker_ids[-1] if worker_ids else "")
    if job is None:  # done, failed or taken by another worker meanwhile
        return "skipped"
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            import_string(RUNNERS[job.kind])(job, Progress(job))
        except JobFailed as failure:
            fail(job, failure.message, failure.outcome)
        except Exception as error:
            fail(job, _("The work stopped on an unexpected error; nothing was saved."), {"error": type(error).__name__})
            raise
        finally:
            forget(job)
    return Job.objects.values_list("state", flat=True).get(pk=job.pk)


def worker_died(job: Job) -> bool:
    """A running job whose worker has not beaten for a minute (and that has run that long)."""
    if job.state != JobState.RUNNING or job.started_at is None:
        return False
    if (timezone.now() - job.started_at).total_seconds() < alive_window():
        return False
    return not worker_alive(job.worker_id)


def reap(jobs=None) -> int:
    """Fail the running jobs whose worker died, and their tasks; how many."""
    from django_tasks_db.models import DBTaskResult

    reaped = 0
    running = Job.objects.filter(state=JobState.RUNNING) if jobs is None else jobs
    for job in running:
        if not worker_died(job):
            continue
        message = _(
            "The worker running this job stopped before it finished (it was killed or restarted); nothing was saved."
        )
        if fail(job, message, {"worker_died": True}):
            reaped += 1
            if job.task_id:
                DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(
                    status="FAILED", finished_at=timezone.now(), exception_class_path="WorkerDied", traceback=message
                )
    return reaped


def start_job(*, kind: str, token, user, region, file_name: str, params: dict, plan=None) -> tuple[Job, bool]:
    """The job of this upload, created and queued now or found as an earlier confirmation left it."""
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind, token=token, user=user, plan=plan, region=region, file_name=file_name[:200], params=params
            )
    except IntegrityError:  # the same upload confirmed twice (a double click, two tabs)
        return Job.objects.get(token=token), False
    enqueue(job)
    return job, True
