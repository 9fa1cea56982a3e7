"""Progress entries that staff log, their evidence and the reviewers' comments."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models.kinds import Kind, limited_text
from indicators.models.plan import Indicator
from programs.models import Agency, Region
from programs.periods import Period


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    VERIFIED = "verified", _("Verified")


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")


MILESTONE_SCORE = {MilestoneStatus.NOT_STARTED: 0, MilestoneStatus.IN_PROGRESS: 50, MilestoneStatus.ACHIEVED: 100}


class ProgressEntryQuerySet(models.QuerySet):
    def official(self, include_unverified: bool = False) -> "ProgressEntryQuerySet":
        """Verified entries only; with the flag, submitted ones too."""
        if include_unverified:
            return self.filter(status__in=[EntryStatus.VERIFIED, EntryStatus.SUBMITTED])
        return self.filter(status=EntryStatus.VERIFIED)

    def visible_to(self, user) -> "ProgressEntryQuerySet":
        """The entries `user` may read: every one with the read-all permission, else her agency's
        if she logs progress (the rule of the entry pages, indicators.views.entries.can_see_entry)."""
        from indicators.models.roles import can_enter, can_read_all, user_agency
        from programs.access import plans_for

        mine = self.filter(indicator__plan__in=plans_for(user))  # her regency's plans (or her province's)
        if can_read_all(user):
            return mine
        agency = user_agency(user) if can_enter(user) else None
        return mine.filter(agency=agency) if agency else self.none()

    def filtered(
        self,
        *,
        agency=None,
        indicator=None,
        period: Period | None = None,
        kecamatan=None,
        status: str = "",
        flagged: bool | None = None,
    ) -> "ProgressEntryQuerySet":
        """The entries matching every filter given (the lists' filter forms); None or empty: no filter.

        A year period keeps both of its semesters; `flagged` keeps the entries a data check flagged
        (True) or those it did not (False).
        """
        entries = self
        if agency is not None:
            entries = entries.filter(agency=agency)
        if indicator is not None:
            entries = entries.filter(indicator=indicator)
        if period is not None:
            entries = entries.filter(year=period.year)
            if period.semester:
                entries = entries.filter(semester=period.semester)
        if kecamatan is not None:
            entries = entries.filter(kecamatan=kecamatan)
        if status:
            entries = entries.filter(status=status)
        if flagged is not None:
            # the warnings' model lives in the cockpit module, which imports this one: reached by the relation
            warnings = self.model._meta.get_field("warnings").related_model.objects.filter(entry=OuterRef("pk"))
            entries = entries.filter(Exists(warnings)) if flagged else entries.exclude(Exists(warnings))
        return entries


class ProgressEntry(models.Model):
    """One piece of work for an indicator (a session, a training, a meeting).

    Aggregate counts only: there is no field for anyone's identity.
    """

    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="entries", verbose_name=_("indicator"))
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="entries", verbose_name=_("agency"))
    year = models.PositiveSmallIntegerField(_("year"))
    semester = models.PositiveSmallIntegerField(_("semester"), choices=[(1, _("S1 (Jan–Jun)")), (2, _("S2 (Jul–Dec)"))])
    date = models.DateField(_("date of the work"))
    kecamatan = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("kecamatan"),
        limit_choices_to={"level": Region.Level.KECAMATAN},
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    value = models.PositiveIntegerField(_("number"), null=True, blank=True)
    male = models.PositiveIntegerField(_("men / boys"), null=True, blank=True)
    female = models.PositiveIntegerField(_("women / girls"), null=True, blank=True)
    child = models.PositiveIntegerField(_("children (under 18)"), null=True, blank=True)
    adult = models.PositiveIntegerField(_("adults"), null=True, blank=True)
    numerator = models.PositiveIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)
    milestone_status = models.CharField(
        _("milestone status"), max_length=12, choices=MilestoneStatus.choices, blank=True
    )
    narrative = limited_text(
        _("narrative"), blank=True, help_text=_("What happened. Never write the name of a victim or a witness.")
    )
    status = models.CharField(_("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    return_reason = limited_text(_("reason for return"), blank=True)
    # The officer's answer to the reason when she resubmits a returned entry (kept in the history, shown to
    # the verifier); cleared when the entry is returned again.
    return_answer = limited_text(_("answer to the verifier"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    # The one-time key of the form that created the entry: a second POST of the same form (a double
    # click, a reload) finds it taken, by the unique constraint, and is sent to this entry.
    form_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The spreadsheet import that created the entry, so the import can be listed and undone.
    import_receipt = models.ForeignKey(
        "indicators.ImportReceipt",
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="entries",
        verbose_name=_("import"),
    )

    objects = ProgressEntryQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "form_key"])

    class Meta:
        ordering = ["-year", "-semester", "-date", "-id"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        permissions = [
            ("enter_progress", _("Can log progress for the own agency's indicators")),
            ("verify_progress", _("Can verify, return and reopen entries")),
            ("read_all_progress", _("Can read every agency's entries")),
            ("view_dashboards", _("Can read the plan, its figures and the dashboards")),
            ("comment_progress", _("Can comment on entries")),
            ("view_audit", _("Can read the audit trail")),
            ("download_reports", _("Can download annual summaries")),
        ]
        indexes = [
            # Covers every grouped query of indicators.figures.rollup, so they read only this index (index-only
            # scans), never the table: at 1M entries on PostgreSQL the sums query drops from 270 ms to
            # 40 ms (`make bench`, docs/bench-results.md). Plain key columns, not INCLUDE, so SQLite
            # uses it too and `check` stays quiet there.
            models.Index(
                fields=[
                    *["status", "indicator", "year", "semester", "milestone_status", "kecamatan", "date", "id"],
                    *["value", "numerator", "denominator", "male", "female", "child", "adult"],
                ],
                name="entry_rollup_cover_idx",
            ),
            models.Index(fields=["agency", "status"], name="entry_agency_status_idx"),
            # The reporting gaps of a year (completeness.completeness_many): who sent what in which semester of
            # it, read from this index alone. Without it the province view read the whole table, 280–460 ms
            # at 1M entries for the one plan changed since its last view (`make bench`).
            models.Index(fields=["year", "status", "indicator", "agency", "semester"], name="entry_reporting_idx"),
            # The demo banner asks on every page whether any demo entry exists: without this tiny
            # partial index that is a full scan (300 ms at 1M entries).
            models.Index(fields=["is_demo"], condition=Q(is_demo=True), name="entry_demo_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(semester__in=[1, 2]), name="entry_semester_1_or_2"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="entry_year_plausible"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(denominator__isnull=True) | Q(numerator__lte=F("denominator")),
                name="entry_numerator_at_most_denominator",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0), name="entry_denominator_positive"
            ),
            models.CheckConstraint(
                condition=Q(male__isnull=True) | Q(female__isnull=True) | Q(value=F("male") + F("female")),
                name="entry_sex_split_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(child__isnull=True) | Q(adult__isnull=True) | Q(value=F("child") + F("adult")),
                name="entry_age_split_adds_up",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="entry_returned_has_reason"
            ),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0), name="entry_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:entry", args=[self.indicator.plan.code, self.pk])

    @property
    def period(self) -> Period:
        return Period(self.year, self.semester)

    @property
    def is_editable(self) -> bool:
        return self.status in (EntryStatus.DRAFT, EntryStatus.RETURNED)

    def clean(self) -> None:
        """Rules that need the indicator, the plan or today's date."""
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        if not self.indicator_id or self.year is None or self.semester is None:
            return
        indicator = self.indicator
        plan = indicator.plan
        if not plan.contains_year(self.year):
            add(
                "year",
                _("The period is outside the plan (%(start)s–%(end)s).")
                % {"start": plan.start_year, "end": plan.end_year},
            )
        period = Period(self.year, self.semester)
        today = timezone.localdate()
        if period.start > today:
            add("year", _("The period %(period)s has not begun yet.") % {"period": period})
        if self.date:
            if not period.contains(self.date):
                add(
                    "date",
                    _("The date must fall inside the period %(period)s (%(start)s to %(end)s).")
                    % {"period": period, "start": period.start.isoformat(), "end": period.end.isoformat()},
                )
            elif self.date > today:
                add("date", _("The date cannot be in the future."))
        # the indicator's own agency is its regency's (Indicator.clean); another one (an import's --agency) is read
        if self.agency_id not in (None, indicator.agency_id) and self.agency.region_id not in (None, plan.region_id):
            add("agency", _("The agency belongs to another regency."))
        if self.kecamatan_id and self.kecamatan.level != Region.Level.KECAMATAN:
            add("kecamatan", _("Choose a kecamatan of the regency."))
        if self.kecamatan_id and self.kecamatan.parent_id != plan.region_id:
            add("kecamatan", _("This kecamatan is outside %(region)s.") % {"region": plan.region.name})
        kind = indicator.kind
        if kind == Kind.COVERAGE and not self.kecamatan_id:
            add("kecamatan", _("A coverage indicator needs the kecamatan where the work now exists."))
        if Kind(kind).takes_number and self.value is None:
            add("value", _("Enter the number."))
        if self.value is not None:
            if self.male is not None and self.female is not None and self.male + self.female != self.value:
                add(
                    "male",
                    _("Men and women (%(sum)s) must add up to the number (%(value)s).")
                    % {"sum": self.male + self.female, "value": self.value},
                )
            if self.child is not None and self.adult is not None and self.child + self.adult != self.value:
                add(
                    "child",
                    _("Children and adults (%(sum)s) must add up to the number (%(value)s).")
                    % {"sum": self.child + self.adult, "value": self.value},
                )
            for part in ("male", "female", "child", "adult"):
                if getattr(self, part) is not None and getattr(self, part) > self.value:
                    add(part, _("A part cannot be larger than the number."))
        if kind == Kind.PERCENT:
            if self.numerator is None:
                add("numerator", _("Enter the numerator."))
            if not self.denominator:
                add("denominator", _("Enter a denominator greater than zero."))
            if self.numerator is not None and self.denominator and self.numerator > self.denominator:
                add("numerator", _("The numerator cannot exceed the denominator (more than 100%)."))
        if kind == Kind.MILESTONE and not self.milestone_status:
            add("milestone_status", _("Choose the milestone's status."))
        if kind == Kind.QUALITATIVE and not self.narrative.strip():
            add("narrative", _("Describe what was achieved."))
        if self.status == EntryStatus.RETURNED and not self.return_reason.strip():
            add("return_reason", _("Give the reason for returning the entry."))
        if errors:
            raise ValidationError(errors)

    def duplicates(self) -> "ProgressEntryQuerySet":
        """Entries that look like this one: same indicator, period, place, date and numbers."""
        same = ProgressEntry.objects.filter(
            indicator_id=self.indicator_id,
            year=self.year,
            semester=self.semester,
            kecamatan_id=self.kecamatan_id,
            date=self.date,
            value=self.value,
            numerator=self.numerator,
            denominator=self.denominator,
            milestone_status=self.milestone_status,
        )
        return same.exclude(pk=self.pk) if self.pk else same


def evidence_path(instance: "Evidence", filename: str) -> str:
    today = datetime.date.today()
    return f"evidence/{today:%Y/%m}/{instance.entry_id}-{filename}"


def thumbnail_path(instance: "Evidence", filename: str) -> str:
    today = datetime.date.today()
    return f"evidence/{today:%Y/%m}/thumbnails/{instance.entry_id}-{filename}"


class Evidence(models.Model):
    entry = models.ForeignKey(ProgressEntry, models.CASCADE, related_name="evidence", verbose_name=_("entry"))
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # a photo's small JPEG (indicators.documents.thumbnails), shown inline; empty for documents
    thumbnail = models.FileField(_("thumbnail"), upload_to=thumbnail_path, blank=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("indicators:evidence", args=[self.entry.indicator.plan.code, self.pk])

    def get_thumbnail_url(self) -> str:
        return reverse("indicators:evidence_thumbnail", args=[self.entry.indicator.plan.code, self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Comment(models.Model):
    """A reviewer's remark on an entry; comments never change data."""

    entry = models.ForeignKey(ProgressEntry, models.CASCADE, related_name="comments", verbose_name=_("entry"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    text = limited_text(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:50]


# --- the secretariat's cockpit: reporting calendar, data checks, rules, follow-ups, reminders -----------------
