"""Each plan's published figures, stored per year (indicators.tallies.plan_figures computes and reads them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Plan


class PlanFigures(models.Model):
    """What the province and national pages show of one plan in one year, as computed from its data version on a
    calendar point (figures.completeness.calendar_point); replaced whole when the plan is recomputed.

    `figures` is plain JSON (decimals as strings): pillar achievements, status counts, reporting gaps, standard-tag
    totals (with their units in every language) and whether the plan reported (plan_figures.figures_of_year).
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="stored_figures", verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("year"))
    data_version = models.PositiveBigIntegerField(_("data version"))
    calendar_point = models.CharField(_("calendar point"), max_length=64)
    computed_at = models.DateTimeField(_("computed at"))
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("stored figures of a plan")
        verbose_name_plural = _("stored figures of plans")
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="plan_figures_one_per_year")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.year}"
