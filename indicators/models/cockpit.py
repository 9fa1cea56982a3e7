"""What the secretariat's cockpit keeps: reporting deadlines, data-check warnings, rules between
indicators, follow-ups and the reminders sent."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models.entries import ProgressEntry
from indicators.models.kinds import Kind, limited_text
from indicators.models.plan import Indicator
from programs.models import Plan, validate_year_in_plan
from programs.periods import Period

DEADLINE_DAYS_AFTER_SEMESTER = 15


def default_deadline(period: Period) -> datetime.date:
    """Reports on a semester are due 15 days after it ends, unless the plan says otherwise."""
    return period.end + datetime.timedelta(days=DEADLINE_DAYS_AFTER_SEMESTER)


class ReportingDeadline(models.Model):
    """A plan's own reporting deadline for one semester (the default applies where there is none)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="deadlines", verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("year"))
    semester = models.PositiveSmallIntegerField(_("semester"), choices=[(1, _("S1 (Jan–Jun)")), (2, _("S2 (Jul–Dec)"))])
    deadline = models.DateField(
        _("reporting deadline"), help_text=_("The last day on which reports on the semester count as on time.")
    )

    class Meta:
        ordering = ["plan", "year", "semester"]
        verbose_name = _("reporting deadline")
        verbose_name_plural = _("reporting deadlines")
        permissions = [("monitor_reporting", _("Can read reporting completeness, data quality and follow-ups"))]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "semester"], name="deadline_one_per_semester"),
            models.CheckConstraint(condition=Q(semester__in=[1, 2]), name="deadline_semester_1_or_2"),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.deadline.isoformat()}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.semester)

    def clean(self) -> None:
        if self.plan_id and self.year is not None:
            validate_year_in_plan(self.plan, self.year)
        if self.year is not None and self.semester in (1, 2) and self.deadline and self.deadline < self.period.end:
            raise ValidationError(
                {
                    "deadline": _("The deadline cannot fall before the semester %(period)s ends (%(end)s).")
                    % {"period": self.period, "end": self.period.end.isoformat()}
                }
            )


class CheckKind(models.TextChoices):
    """The data checks run on entry and on import (indicators.workflow.checks)."""

    OUTLIER = "outlier", _("Far above the agency's earlier semesters")
    ABOVE_TARGET = "above_target", _("First value far above the annual target")
    PLACE_REACHED = "place_reached", _("Kecamatan already reached")
    DENOMINATOR_JUMP = "denominator_jump", _("Denominator jumps")


def warning_message(kind: str, figures: dict) -> str:
    """The warning in the reader's language, from the figures kept with it."""
    if kind == CheckKind.OUTLIER:
        return (
            gettext(
                "With this entry, %(period)s adds up to %(total)s, more than 3× the median of the agency's "
                "earlier semesters (%(median)s)."
            )
            % figures
        )
    if kind == CheckKind.ABOVE_TARGET:
        return (
            gettext(
                "This first report (%(total)s in %(period)s) is more than 3× the annual target "
                "for %(year)s (%(target)s)."
            )
            % figures
        )
    if kind == CheckKind.PLACE_REACHED:
        return (
            gettext("%(place)s was already reached in %(period)s; a coverage report counts each kecamatan once.")
            % figures
        )
    if kind == CheckKind.DENOMINATOR_JUMP:
        return (
            gettext(
                "With this entry, the denominator of %(period)s adds up to %(total)s, more than 3× that of "
                "%(previous_period)s (%(previous)s)."
            )
            % figures
        )
    return str(kind)


class EntryWarning(models.Model):
    """A data check the entry tripped, confirmed by the person who saved it with a comment.

    The figures behind the warning are kept, not its text, so that every reader sees it in her language.
    """

    entry = models.ForeignKey(ProgressEntry, models.CASCADE, related_name="warnings", verbose_name=_("entry"))
    kind = models.CharField(_("check"), max_length=20, choices=CheckKind.choices)
    figures = models.JSONField(_("figures"), default=dict)
    comment = models.TextField(_("explanation"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "id"]
        verbose_name = _("data-check warning")
        verbose_name_plural = _("data-check warnings")
        constraints = [models.CheckConstraint(condition=~Q(comment=""), name="warning_has_comment")]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        return warning_message(self.kind, self.figures)


class ConsistencyRule(models.Model):
    """A rule between two numeric indicators of a plan, checked each semester: `left` ≤ `right`.

    Indicators are named by their codes, which stay the same when a plan is copied into the next one.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="rules", verbose_name=_("plan"))
    left_code = models.CharField(
        _("indicator that cannot be larger"), max_length=20, help_text=_("Its code, e.g. 2.a.1.3 (victims referred).")
    )
    right_code = models.CharField(
        _("indicator that bounds it"), max_length=20, help_text=_("Its code (victims identified, say).")
    )
    note_id = models.CharField(_("explanation (Indonesian)"), max_length=300, blank=True)
    note_en = models.CharField(_("explanation (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "left_code", "right_code"]
        verbose_name = _("rule between indicators")
        verbose_name_plural = _("rules between indicators")
        constraints = [
            models.UniqueConstraint(fields=["plan", "left_code", "right_code"], name="rule_unique_in_plan"),
            models.CheckConstraint(condition=~Q(left_code=F("right_code")), name="rule_two_indicators"),
        ]

    def __str__(self) -> str:
        return f"{self.left_code} ≤ {self.right_code}"

    def clean(self) -> None:
        if not self.plan_id:
            return
        errors = {}
        named = Indicator.objects.filter(plan_id=self.plan_id, code__in=[self.left_code, self.right_code])
        found = {indicator.code: indicator for indicator in named}
        for field in ("left_code", "right_code"):
            code = getattr(self, field)
            indicator = found.get(code)
            if indicator is None:
                errors[field] = _("Unknown indicator code “%(code)s” in %(plan)s.") % {
                    "code": code,
                    "plan": self.plan.name,
                }
            elif not Kind(indicator.kind).takes_number:
                errors[field] = _("Indicator %(code)s is a %(kind)s indicator; a rule compares numbers.") % {
                    "code": code,
                    "kind": indicator.get_kind_display().lower(),
                }
        if not errors and self.left_code == self.right_code:
            errors["right_code"] = _("A rule compares two different indicators.")
        if errors:
            raise ValidationError(errors)


class FollowUp(models.Model):
    """A verifier's note that an entry needs following up; open until someone resolves it (audited)."""

    entry = models.ForeignKey(ProgressEntry, models.CASCADE, related_name="follow_ups", verbose_name=_("entry"))
    note = models.TextField(_("what needs following up"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    resolution = limited_text(_("how it was resolved"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="follow_up_has_note"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True)
                | Q(resolved_at__isnull=False, resolved_by__isnull=False),
                name="follow_up_resolved_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.note[:50]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class SentReminder(models.Model):
    """A reminder email that was delivered, so that running `send_reminders` again never repeats it.

    At most one of each kind per person, semester and day.
    """

    class Kind(models.TextChoices):
        OFFICER = "officer", _("Missing and returned entries (officer)")
        DIGEST = "digest", _("Verification queue digest (verifier)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period = models.CharField(max_length=6)
    day = models.DateField()
    email = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "period", "day"], name="reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} → {self.email} ({self.day.isoformat()})"
