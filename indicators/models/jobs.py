"""Jobs: long work (a spreadsheet import, a plan from a plan file) run by a task, with its progress and outcome.

A job is created by the confirmation the user clicks, under the upload's token (unique: a second click,
another tab, a retry after a lost connection all lead to the same job), and a task of the queue does the
work (indicators.jobs.runner). Its state moves queued → running → done | failed, each step committed on
its own; the outcome of a done job is written in the same transaction as the work itself, so a job is
never done without its rows, nor its rows saved without the job saying so. While the work's transaction
is open, the rows done so far go through the jobs cache (indicators.jobs.progress), not this table:
on SQLite no other connection can write while the work holds the write lock.

A batch of entries (submit all the drafts of an import, verify a large selection) is a job too, created
under the token its form was drawn with (the same click twice, or from two tabs, leads to one job); it is
the one kind whose work is not one transaction: each entry is its own decision (indicators.workflow.bulk).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models.exchange import ImportReceipt
from programs.models import Plan, Region


class JobKind(models.TextChoices):
    IMPORT = "import", _("Spreadsheet import")
    PLAN = "plan", _("New plan from a plan file")
    BULK = "bulk", _("Entries in bulk")  # submit, verify or return many entries (indicators.jobs.bulk_entries)


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = (JobState.DONE, JobState.FAILED)


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=JobKind.choices)
    token = models.UUIDField(_("upload"), unique=True)
    # the plan an import goes into; the plan a plan file created, once it is done
    plan = models.ForeignKey(Plan, models.CASCADE, null=True, blank=True, related_name="jobs", verbose_name=_("plan"))
    # whose job it is to see: the plan's regency, or the regency a new plan is for
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("regency"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    file_name = models.CharField(_("file"), max_length=200)
    params = models.JSONField(default=dict, blank=True)  # what the confirmation said: comment, slug, years …
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    outcome = models.JSONField(default=dict, blank=True)  # errors by row, the created plan's code …
    receipt = models.OneToOneField(
        ImportReceipt, models.SET_NULL, null=True, blank=True, related_name="job", verbose_name=_("import")
    )
    task_id = models.CharField(max_length=64, blank=True)  # the queue's task (django_tasks_db) running it
    worker_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["plan", "kind", "-created_at"], name="job_plan_kind_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="job_done_within_total"),
            models.CheckConstraint(
                condition=~models.Q(kind="import") | models.Q(plan__isnull=False), name="job_import_has_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        if self.kind == JobKind.PLAN:
            return reverse("plan_upload:job", args=[self.pk])
        return reverse("indicators:job", args=[self.plan.code, self.pk])

    def status_url(self) -> str:
        """The JSON status: the page's address with `.json` in place of its trailing slash."""
        return self.get_absolute_url().rstrip("/") + ".json"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED
