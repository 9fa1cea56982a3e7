"""Indicators of the plan, their targets, and the progress entries that staff log.

Every figure shown anywhere is computed from these rows by `indicators.rollup`.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models import Activity, Agency, BilingualMixin, Plan, Region, validate_year_in_plan
from programs.periods import Period


class Kind(models.TextChoices):
    """How an indicator's entries roll up (DESIGN.md, 'Indicator kinds').

    The groups of kinds that share a rule are properties of the kind, so that
    a new kind is placed in every group here, once.
    """

    COUNT = "count", _("Count")
    COVERAGE = "coverage", _("Coverage (places reached)")
    PERCENT = "percent", _("Percentage")
    MILESTONE = "milestone", _("Milestone")
    PERIODIC = "periodic", _("Periodic deliverable")
    LEVEL = "level", _("Level (how many there are now)")
    TRACKED = "tracked", _("Tracked (no target)")
    QUALITATIVE = "qualitative", _("Qualitative")

    @property
    def is_targeted(self) -> bool:
        """Has a plan target and an achievement."""
        return self not in (Kind.TRACKED, Kind.QUALITATIVE)

    @property
    def takes_number(self) -> bool:
        """An entry carries a number (`value`)."""
        return self in (Kind.COUNT, Kind.PERIODIC, Kind.LEVEL, Kind.TRACKED)

    @property
    def is_summed(self) -> bool:
        """The numbers of the entries add up (within a period and over periods)."""
        return self in (Kind.COUNT, Kind.PERIODIC, Kind.TRACKED)

    @property
    def is_split(self) -> bool:
        """The plan target is split over the plan's years, in whole units (things, places, deliverables)."""
        return self in (Kind.COUNT, Kind.COVERAGE, Kind.PERIODIC)

    @property
    def holds_every_year(self) -> bool:
        """The plan target applies in every year as it is: a percentage to reach, a level to hold."""
        return self in (Kind.PERCENT, Kind.LEVEL)

    @property
    def is_latest(self) -> bool:
        """The latest report up to the end of a period stands for the period (nothing adds up)."""
        return self in (Kind.MILESTONE, Kind.LEVEL, Kind.QUALITATIVE)

    @classmethod
    def where(cls, group: str, value: bool = True) -> "list[Kind]":
        """The kinds of a group, e.g. `Kind.where("is_targeted")`; with `value=False`, the others."""
        return [kind for kind in cls if getattr(kind, group) is value]


# What one person types into a narrative, a reason or a comment: a long page, not a file (1,000,000
# characters were accepted). Forms show a counter (static/js/counter.js); full_clean() enforces it on every
# write path, the import's included.
TEXT_LIMIT = 5000


def limited_text(verbose_name, **kwargs) -> models.TextField:
    return models.TextField(verbose_name, max_length=TEXT_LIMIT, validators=[MaxLengthValidator(TEXT_LIMIT)], **kwargs)


SPLIT_FIELDS = ("male", "female", "child", "adult")
# The entry fields each kind uses, besides period, date and narrative (DESIGN.md table). The entry form
# shows these and the spreadsheet import accepts their columns; every other field stays empty.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.COUNT: ("value", *SPLIT_FIELDS, "kecamatan"),
    Kind.COVERAGE: ("kecamatan", "place"),
    Kind.PERCENT: ("numerator", "denominator", "kecamatan"),
    Kind.MILESTONE: ("milestone_status",),
    Kind.PERIODIC: ("value", "kecamatan"),
    Kind.LEVEL: ("value",),  # a standing quantity of the whole regency, not of a kecamatan
    Kind.TRACKED: ("value", *SPLIT_FIELDS, "kecamatan"),
    Kind.QUALITATIVE: (),
}


class IndicatorQuerySet(models.QuerySet):
    def with_tree(self) -> "IndicatorQuerySet":
        return self.select_related("activity__program__pillar", "agency")

    def for_plan(self, plan: Plan) -> "IndicatorQuerySet":
        return self.filter(plan=plan)

    def for_agency(self, agency: Agency | None) -> "IndicatorQuerySet":
        return self.filter(agency=agency) if agency else self.none()


class Indicator(BilingualMixin, models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="indicators", verbose_name=_("plan"))
    activity = models.ForeignKey(Activity, models.CASCADE, related_name="indicators", verbose_name=_("activity"))
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=20, help_text=_("pillar.program.activity.number, e.g. 1.a.2.1"))
    text_id = models.TextField(_("text (Indonesian)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    unit_id = models.CharField(_("unit (Indonesian)"), max_length=50, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=50, blank=True)
    plan_target = models.DecimalField(
        _("plan target"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a milestone, 1 means achieved. Empty for tracked and qualitative indicators."),
    )
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="indicators", verbose_name=_("responsible agency"))
    agency_inferred = models.BooleanField(
        _("agency inferred"), default=False, help_text=_("The table implies this agency rather than naming it.")
    )
    note_id = models.TextField(
        _("reading note (Indonesian)"), blank=True, help_text=_("How an ambiguous target was read.")
    )
    note_en = models.TextField(
        _("reading note (English)"), blank=True, help_text=_("How an ambiguous target was read.")
    )
    due_year = models.PositiveSmallIntegerField(
        _("due year"),
        null=True,
        blank=True,
        help_text=_("Milestones only: the year by which it must be achieved. Empty: the plan's last year."),
    )
    # the same measure in every regency's plan (people reached by socialisation, officers trained …), so that
    # the province view can add the plans' figures up (DESIGN.md, the province task force)
    # the indicator of the plan this one's plan was copied from (manage.py copy_plan): its page shows both
    predecessor = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("predecessor"),
        help_text=_("The same indicator in the plan this plan was copied from."),
    )
    standard_tag = models.SlugField(
        _("standard indicator tag"),
        max_length=50,
        blank=True,
        help_text=_(
            "Indicators with the same tag measure the same thing in every plan; the province view adds them up."
        ),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["activity__program__pillar__number", "activity__program__letter", "activity__number", "number"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique_in_plan"),
            models.UniqueConstraint(fields=["activity", "number"], name="indicator_number_unique_in_activity"),
            models.CheckConstraint(
                condition=Q(plan_target__isnull=True) | Q(plan_target__gte=0), name="indicator_target_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(plan_target__lte=100), name="indicator_percent_target_at_most_100"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=Kind.where("is_targeted", False)) | Q(plan_target__isnull=True),
                name="indicator_untargeted_kinds_have_no_target",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=Kind.where("is_targeted")) | Q(plan_target__isnull=False),
                name="indicator_targeted_kinds_have_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator", args=[self.plan.code, self.code])

    @property
    def text(self) -> str:
        return self.localized("text")

    @property
    def unit(self) -> str:
        return self.localized("unit")

    @property
    def note(self) -> str:
        """How the target was read, in the reader's language (Indonesian when no English is given)."""
        return self.localized("note")

    @property
    def is_targeted(self) -> bool:
        return Kind(self.kind).is_targeted

    @property
    def pillar(self):
        return self.activity.program.pillar

    @property
    def milestone_due_year(self) -> int | None:
        """The year a milestone falls due (its due year, else the plan's last year); None for other kinds."""
        if self.kind != Kind.MILESTONE:
            return None
        return self.due_year or self.plan.end_year

    def _agency_of_the_same_code(self) -> "Agency | None":
        """Another agency the plan's indicators use under this indicator's agency's code (a shared one and a
        regency's own): the filters, files and API read agencies by code."""
        return (
            Agency.objects.filter(indicators__plan_id=self.plan_id, code=self.agency.code)
            .exclude(pk=self.agency_id)
            .first()
        )

    def clean(self) -> None:
        errors = {}
        if self.activity_id and self.plan_id and self.activity.program.pillar.plan_id != self.plan_id:
            errors["activity"] = _("The activity belongs to another plan.")
        if self.agency_id and self.plan_id and self.agency.region_id not in (None, self.plan.region_id):
            errors["agency"] = _("The agency belongs to another regency.")
        elif self.agency_id and self.plan_id and (twin := self._agency_of_the_same_code()) is not None:
            errors["agency"] = _(
                "Another agency of this plan, %(agency)s, has the code “%(code)s”: a code names one agency."
            ) % {"agency": twin.short_name, "code": twin.code}
        if self.kind and Kind(self.kind).is_targeted and self.plan_target is None:
            errors["plan_target"] = _("A %(kind)s indicator needs a plan target.") % {"kind": self.get_kind_display()}
        if self.kind and not Kind(self.kind).is_targeted and self.plan_target is not None:
            errors["plan_target"] = _("A %(kind)s indicator has no target.") % {"kind": self.get_kind_display()}
        if self.plan_target is not None and self.plan_target < 0:
            errors["plan_target"] = _("A target cannot be negative.")
        if self.kind == Kind.PERCENT and self.plan_target is not None and self.plan_target > 100:
            errors["plan_target"] = _("A percentage target cannot exceed 100.")
        if self.due_year is not None:
            if self.kind != Kind.MILESTONE:
                errors["due_year"] = _("Only a milestone has a due year; the other kinds have annual targets.")
            elif self.plan_id and not self.plan.contains_year(self.due_year):
                errors["due_year"] = _("The year %(year)s is outside the plan (%(start)s–%(end)s).") % {
                    "year": self.due_year,
                    "start": self.plan.start_year,
                    "end": self.plan.end_year,
                }
        if errors:
            raise ValidationError(errors)

    def default_annual_targets(self) -> dict[int, Decimal]:
        """The annual targets an indicator starts with (DESIGN.md, 'Targets'); an administrator can edit them.

        Things, places and deliverables: the plan target split over the plan's years in whole units
        (`whole_split`). A percentage to reach and a level to hold: the plan target in every year. A
        milestone has no annual targets: it falls due in its due year.
        """
        if self.plan_target is None or self.kind == Kind.MILESTONE:
            return {}
        years = self.plan.years
        if Kind(self.kind).holds_every_year:
            return dict.fromkeys(years, self.plan_target)
        return whole_split(self.plan_target, years)

    def earlier_default_targets(self) -> dict[int, Decimal]:
        """The split made before targets were whole (the plan target ÷ years to the cent, the rest in the last
        year): `load_plan` replaces targets still exactly at it, so it can tell them from edited ones."""
        years = self.plan.years
        if self.plan_target is None:
            return {}
        share = (self.plan_target / len(years)).quantize(Decimal("0.01"))
        targets = dict.fromkeys(years, share)
        targets[years[-1]] = self.plan_target - share * (len(years) - 1)
        return targets


def whole_split(total: Decimal, years: list[int]) -> dict[int, Decimal]:
    """`total` over `years` in whole units, by largest remainder: 24 over 5 → 5, 5, 5, 5, 4; 4 over 5 → 1, 1, 1, 1, 0.

    Every year's exact share (total ÷ years) has the same remainder, so the units left over after the
    whole parts go to the earliest years. A total that is not whole is split to the cent instead.
    """
    count = len(years)
    if total != total.to_integral_value():
        share = (total / count).quantize(Decimal("0.01"))
        return {year: share if i < count - 1 else total - share * (count - 1) for i, year in enumerate(years)}
    base, left = divmod(int(total), count)
    return {year: Decimal(base + (1 if i < left else 0)) for i, year in enumerate(years)}


class Target(models.Model):
    """The target of an indicator for one year of the plan."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets", verbose_name=_("indicator"))
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_one_per_year"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="target_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"

    def clean(self) -> None:
        if self.indicator_id:
            validate_year_in_plan(self.indicator.plan, self.year)
            if self.indicator.kind == Kind.PERCENT and self.value is not None and self.value > 100:
                raise ValidationError({"value": _("A percentage target cannot exceed 100.")})
            if not self.indicator.is_targeted:
                raise ValidationError({"value": _("This indicator has no target.")})
            if self.indicator.kind == Kind.MILESTONE:
                raise ValidationError({"value": _("A milestone has no annual targets: it falls due in its due year.")})


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
        from indicators.roles import can_enter, can_read_all, user_agency
        from programs.access import plans_for

        mine = self.filter(indicator__plan__in=plans_for(user))  # her regency's plans (or her province's)
        if can_read_all(user):
            return mine
        agency = user_agency(user) if can_enter(user) else None
        return mine.filter(agency=agency) if agency else self.none()


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
            # Covers every grouped query of indicators.rollup, so they read only this index (index-only
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
            # The reporting gaps of a year (rollup.reporting_gaps_many): who sent what in which semester of
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


class Evidence(models.Model):
    entry = models.ForeignKey(ProgressEntry, models.CASCADE, related_name="evidence", verbose_name=_("entry"))
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("indicators:evidence", args=[self.entry.indicator.plan.code, self.pk])


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
    """The data checks run on entry and on import (indicators.checks)."""

    OUTLIER = "outlier", _("Far above the agency's earlier semesters")
    ABOVE_TARGET = "above_target", _("First value far above the annual target")
    PLACE_REACHED = "place_reached", _("Kecamatan already reached")
    DENOMINATOR_JUMP = "denominator_jump", _("Denominator jumps")


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
        from indicators.checks import warning_message

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


class ImportReceipt(models.Model):
    """One confirmed spreadsheet import, by the token of its upload.

    The token is unique, so of two confirmations of one upload (a double click, two tabs) only the
    first inserts its receipt; the second finds it and is told the file was already imported. The
    receipt is written in the same transaction as the rows, so an import that saves nothing leaves none.
    """

    token = models.UUIDField(unique=True)
    file_name = models.CharField(_("file name"), max_length=200)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    saved = models.PositiveIntegerField(_("entries saved"), default=0)

    class Meta:
        verbose_name = _("import receipt")
        verbose_name_plural = _("import receipts")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


# Personal API tokens live with the API; imported here so that Django registers the model.
from indicators.api.tokens import ApiToken  # noqa: E402, F401
from indicators.dhis2 import Dhis2Mapping  # noqa: E402, F401
