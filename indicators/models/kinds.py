"""The kinds of indicator and the entry fields each uses (DESIGN.md: the rollup rules per kind)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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
# The numbers an entry can carry: what adds up where a kind adds up (rollup.SUMMED_FIELDS), what an officer types
NUMBER_FIELDS = ("value", *SPLIT_FIELDS, "numerator", "denominator")
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
