"""Indicators of the plan and their annual targets."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from indicators.models.kinds import Kind
from programs.models import Activity, Agency, BilingualMixin, Plan, validate_year_in_plan

# A kind with a target (Kind.is_targeted) without one: the model refuses it, and the plan file names the row
NEEDS_TARGET = _("A %(kind)s indicator needs a plan target.")


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
            errors["plan_target"] = NEEDS_TARGET % {"kind": self.get_kind_display()}
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
