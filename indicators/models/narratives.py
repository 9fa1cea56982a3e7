"""The secretariat's own words in the annual report: per pillar and year, what was achieved, what stood
in the way and what follows. Written in the app by verifiers and administrators, read by every role and
printed in the PDF and DOCX reports beside the figures; every version is kept (simple_history)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models.kinds import TEXT_LIMIT, limited_text
from programs.models import Pillar, validate_year_in_plan

NARRATIVE_PARTS = ("achievements", "obstacles", "follow_up")


class PillarNarrative(models.Model):
    """What the secretariat says of one pillar in one year of its plan (each part up to 5,000 characters)."""

    pillar = models.ForeignKey(Pillar, models.CASCADE, related_name="narratives", verbose_name=_("pillar"))
    year = models.PositiveSmallIntegerField(_("year"))
    achievements = limited_text(
        _("achievements"), blank=True, help_text=_("What the pillar's agencies achieved in the year.")
    )
    obstacles = limited_text(_("obstacles"), blank=True, help_text=_("What held the work back."))
    follow_up = limited_text(_("follow-up"), blank=True, help_text=_("What the task force will do next, and who."))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("written by")
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pillar", "year"]
        verbose_name = _("pillar narrative")
        verbose_name_plural = _("pillar narratives")
        permissions = [("write_narrative", _("Can write the secretariat's narrative of the annual report"))]
        constraints = [
            models.UniqueConstraint(fields=["pillar", "year"], name="narrative_one_per_pillar_and_year"),
            *(
                models.CheckConstraint(
                    condition=LessThanOrEqual(Length(part), TEXT_LIMIT), name=f"narrative_{part}_within_limit"
                )
                for part in NARRATIVE_PARTS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pillar} · {self.year}"

    def clean(self) -> None:
        if self.pillar_id and self.year is not None:
            validate_year_in_plan(self.pillar.plan, self.year)

    @property
    def author(self) -> str:
        """Who changed it last, by name ("–" for a narrative loaded without one)."""
        user = self.updated_by
        return (user.get_full_name() or user.username) if user else "–"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, part).strip() for part in NARRATIVE_PARTS)

    @classmethod
    def for_year(cls, plan, year: int) -> dict[int, "PillarNarrative"]:
        """Pillar number → its narrative of `year` (pillars without one are left out)."""
        found = cls.objects.filter(pillar__plan=plan, year=year).select_related("pillar", "updated_by")
        return {narrative.pillar.number: narrative for narrative in found}
