"""The plan itself: Plan → Pillar → Program → Activity, the agencies that carry
it out, and the regions (kabupaten, kecamatan) where the work happens.

This app imports nothing from `indicators` or `reports`: data flows one way.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from programs.signals import plan_data_changed


class BilingualMixin:
    """Models with `<field>_id` (Indonesian) and optional `<field>_en` text."""

    def localized(self, field: str) -> str:
        if (get_language() or "id").startswith("en"):
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, f"{field}_id")


class NamedBilingualMixin(BilingualMixin):
    """Models with `name_id` and `name_en`: `name` is the one in the reader's language."""

    @property
    def name(self) -> str:
        return self.localized("name")


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Province")
        KABUPATEN = "kabupaten", _("Regency")
        KECAMATAN = "kecamatan", _("District (kecamatan)")
        DESA = "desa", _("Village (desa)")

    LEVELS = (Level.PROVINSI, Level.KABUPATEN, Level.KECAMATAN, Level.DESA)  # each one under the one before

    code = models.CharField(_("Kemendagri code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["provinsi", "kabupaten"]) | Q(parent__isnull=False),
                name="region_below_kabupaten_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """A Kemendagri code is its parent's code and one more part (53.03 → 53.03.08 → 53.03.08.2001), and a
        region's level is the one below its parent's: a kecamatan put under TTU with Belu's code 53.04.97 would
        be read as TTU's and as Belu's."""
        if self.parent_id is None:
            return
        parent = self.parent
        below = dict(zip(self.LEVELS, self.LEVELS[1:], strict=False))
        errors = {}
        if self.level and below.get(parent.level) != self.level:
            errors["level"] = _("Under a %(parent)s comes a %(level)s.") % {
                "parent": Region.Level(parent.level).label,
                "level": Region.Level(below[parent.level]).label if parent.level in below else "—",
            }
        rest = (self.code or "").removeprefix(parent.code + ".")
        if rest == self.code or not rest or "." in rest:
            errors["code"] = _("A region under %(parent)s has its code and one more part, e.g. %(example)s.") % {
                "parent": parent,
                "example": f"{parent.code}.01",
            }
        if errors:
            raise ValidationError(errors)


class AgencyQuerySet(models.QuerySet):
    def for_region(self, region: "Region | None"):
        """The agencies a regency's plans may name: its own, and the shared ones (no regency)."""
        return self.filter(Q(region=region) | Q(region__isnull=True)) if region is not None else self.none()

    def by_code(self, region: "Region | None") -> "dict[str, Agency]":
        """Code → agency for the regency; its own agency wins over a shared one of the same code."""
        found: dict[str, Agency] = {}
        for agency in self.for_region(region).order_by(F("region_id").asc(nulls_first=True)):
            found[agency.code] = agency
        return found


class Agency(NamedBilingualMixin, models.Model):
    """A member agency (OPD) of a regency's task force; without a regency, one that serves several (shared)."""

    code = models.SlugField(_("code"), max_length=30)
    region = models.ForeignKey(
        "Region",
        models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": "kabupaten"},
        related_name="agencies",
        verbose_name=_("regency"),
        help_text=_("The regency whose task force the agency belongs to; empty: shared by several regencies."),
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=50)
    is_secretariat = models.BooleanField(_("task-force secretariat"), default=False)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="agency_code_unique_in_regency"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(region__isnull=True), name="shared_agency_code_unique"
            ),
            models.UniqueConstraint(
                fields=["region"], condition=Q(is_secretariat=True), name="one_secretariat_per_regency"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name


def new_token() -> int:
    """A fresh random version token, not a counter: a rolled-back change must never leave a number behind that a
    later, different change could take again."""
    return secrets.randbits(62) + 1


class StaffProfile(models.Model):
    """Where a person works: a regency (with the agency whose indicators she reports on) or a province.

    The regency bounds everything she sees and does; a province's people read every regency of it.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="staff_profile")
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level__in": ["provinsi", "kabupaten"]},
        related_name="staff",
        verbose_name=_("regency or province"),
        help_text=_("A regency's people act within its plans; a province's people read every regency of it."),
    )
    agency = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, verbose_name=_("agency"))
    national = models.BooleanField(
        _("national"),
        default=False,
        help_text=_("Reads every province and regency of the country and changes nothing (no regency, no agency)."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
        blank=True,
        help_text=_("The language of the emails this person receives; empty: Bahasa Indonesia."),
    )
    # the token her permissions are kept under in each process (tptto_monitor.auth_backend): any change of a role's
    # permissions or of anyone's roles replaces every profile's (programs.permissions), read with her user
    permissions_version = models.PositiveBigIntegerField(default=new_token, editable=False)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        constraints = [
            # the country's people belong to no regency or province: they read all and act in none
            models.CheckConstraint(
                condition=Q(national=False) | Q(region__isnull=True, agency__isnull=True),
                name="staff_national_has_no_region_or_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.agency or '-'}, {self.region.name if self.region_id else '-'})"

    def clean(self) -> None:
        if self.national and (self.region_id or self.agency_id):
            raise ValidationError(
                {"national": _("A person of the country reads every regency: leave the regency and the agency empty.")}
            )
        if self.region_id and self.region.level not in (Region.Level.PROVINSI, Region.Level.KABUPATEN):
            raise ValidationError({"region": _("Choose a regency or a province, not a kecamatan or desa.")})
        if self.agency_id and self.region_id and self.region.level == Region.Level.PROVINSI:
            raise ValidationError({"agency": _("An agency belongs to a regency; a province's people have none.")})
        if self.agency_id and self.region_id and self.agency.region_id not in (None, self.region_id):
            raise ValidationError({"agency": _("The agency belongs to another regency.")})


class PlanQuerySet(models.QuerySet):
    def not_closed(self):
        return self.exclude(status=Plan.Status.CLOSED)

    def overlapping(self, plan: "Plan"):
        """The other plans of the plan's regency, not closed, that share a year with it."""
        others = self.filter(region_id=plan.region_id, start_year__lte=plan.end_year, end_year__gte=plan.start_year)
        return others.not_closed().exclude(pk=plan.pk)

    def default(self) -> "Plan | None":
        """The plan the addresses from before `/rad/<slug>/` lead to: the first one loaded."""
        return self.order_by("id").first()


class Plan(NamedBilingualMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (being prepared)")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed (read-only)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, verbose_name=_("region"))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    source = models.TextField(_("source"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Draft: being prepared, no entries yet. Active: entries are logged. Closed: read-only."),
    )
    # Changes with every change to the plan's entries, targets or indicators (indicators.signals);
    # cached figures are keyed on it, so a change is seen at once by every app server.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="plan_years_in_order"),
            models.CheckConstraint(condition=Q(start_year__gte=2000, end_year__lte=2100), name="plan_years_plausible"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:plan", args=[self.code])

    def clean(self) -> None:
        # two plans of one regency that are not closed would both claim the same years' work
        if self.status != self.Status.CLOSED and self.region_id and self.start_year and self.end_year:
            other = Plan.objects.overlapping(self).order_by("start_year").first()
            if other is not None:
                raise ValidationError(
                    _(
                        "The years %(start)s–%(end)s overlap the plan “%(other)s” (%(code)s, %(other_start)s–"
                        "%(other_end)s) of the same regency, which is not closed. Close it first or choose other years."
                    )
                    % {
                        "start": self.start_year,
                        "end": self.end_year,
                        "other": other.name,
                        "code": other.code,
                        "other_start": other.start_year,
                        "other_end": other.end_year,
                    }
                )

    @property
    def accepts_entries(self) -> bool:
        """Only an active plan takes new entries or changes to them."""
        return self.status == self.Status.ACTIVE

    def entries_refused(self) -> str | None:
        """Why the plan takes no entries or changes to them now; None when it does."""
        if self.status == self.Status.DRAFT:
            return _("The plan “%(plan)s” is a draft: it takes no entries until an administrator makes it active.") % {
                "plan": self.code
            }
        if self.status == self.Status.CLOSED:
            return _(
                "The plan “%(plan)s” is closed: its entries can be read and its summaries downloaded, "
                "but nothing can be changed."
            ) % {"plan": self.code}
        return None

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    def contains_year(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year

    @property
    def end_date(self) -> datetime.date:
        return datetime.date(self.end_year, 12, 31)

    @classmethod
    def bump_data_version(cls, plan_id: int) -> None:
        # a fresh random token, not a counter: a rolled-back change must never leave a number
        # behind that a later, different change could take again
        cls.objects.filter(pk=plan_id).update(data_version=secrets.randbits(62) + 1)
        transaction.on_commit(lambda: plan_data_changed.send(sender=cls, plan_id=plan_id))


class Pillar(NamedBilingualMixin, models.Model):
    """A 'program aksi' of the RAD."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="pillars", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("number"))
    name_id = models.CharField(_("name (Indonesian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="pillar_number_unique_in_plan"),
            models.CheckConstraint(condition=Q(number__gte=1), name="pillar_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def code(self) -> str:
        return str(self.number)


class Program(NamedBilingualMixin, models.Model):
    pillar = models.ForeignKey(Pillar, models.CASCADE, related_name="programs", verbose_name=_("pillar"))
    letter = models.CharField(_("letter"), max_length=2)
    name_id = models.TextField(_("name (Indonesian)"))
    name_en = models.TextField(_("name (English)"), blank=True)

    class Meta:
        ordering = ["pillar", "letter"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.UniqueConstraint(fields=["pillar", "letter"], name="program_letter_unique_in_pillar"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def code(self) -> str:
        return f"{self.pillar.number}.{self.letter}"


class Activity(NamedBilingualMixin, models.Model):
    """A 'kegiatan' of a program."""

    program = models.ForeignKey(Program, models.CASCADE, related_name="activities", verbose_name=_("program"))
    number = models.PositiveSmallIntegerField(_("number"))
    name_id = models.TextField(_("name (Indonesian)"))
    name_en = models.TextField(_("name (English)"), blank=True)

    class Meta:
        ordering = ["program", "number"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="activity_number_unique_in_program"),
            models.CheckConstraint(condition=Q(number__gte=1), name="activity_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def code(self) -> str:
        return f"{self.program.code}.{self.number}"


def validate_year_in_plan(plan: Plan, year: int, field: str = "year") -> None:
    if not plan.contains_year(year):
        raise ValidationError(
            {
                field: _("The year %(year)s is outside the plan (%(start)s–%(end)s).")
                % {"year": year, "start": plan.start_year, "end": plan.end_year}
            }
        )
