"""The entries' aggregates the rollup reads, kept on write (indicators/tallies/entry_totals.py keeps them).

`EntryTotal`: one row per indicator × semester × kecamatan × agency × official status (verified, or submitted:
the two `ProgressEntry.objects.official` reads; a draft or a returned entry never counts), and, where the latest
report counts (`Kind.is_latest`), per reported state too (the milestone status and the value): how many entries,
the sum of each number an entry carries, the latest date and the highest id. Grouping these rows again (sums of
sums, the max of maxima) gives what a grouped query over the entries gives, for every filter of
`rollup.Filters`.

`SemesterTotal`: the same rows added up over the kecamatan and the agencies (indicator × semester × status ×
reported state): what the figures of a whole plan read. At the nation's size an indicator has a few entries per
semester spread over its kecamatan, so the rows by place are hardly fewer than the entries; these are ten times
fewer (bench: docs/bench-results.md).

Both are derived data, never backed up, rebuilt by `manage.py rebuild_figures`.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from indicators.models.entries import EntryStatus
from indicators.models.kinds import NUMBER_FIELDS
from indicators.models.plan import Indicator
from programs.models import Agency, Region

# The statuses whose entries the figures can count (official: verified; with the flag, submitted too).
COUNTED_STATUSES = (EntryStatus.VERIFIED, EntryStatus.SUBMITTED)


class Totals(models.Model):
    """What both tables hold (see the module docstring)."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    semester = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10)
    # where the latest report counts, the state reported (one row per state): "" and NULL where numbers add up
    milestone_status = models.CharField(max_length=12, blank=True)
    value = models.BigIntegerField(null=True, blank=True)
    n = models.PositiveIntegerField()  # how many entries
    sum_value = models.BigIntegerField(null=True, blank=True)  # NULL: no entry carries the number
    sum_male = models.BigIntegerField(null=True, blank=True)
    sum_female = models.BigIntegerField(null=True, blank=True)
    sum_child = models.BigIntegerField(null=True, blank=True)
    sum_adult = models.BigIntegerField(null=True, blank=True)
    sum_numerator = models.BigIntegerField(null=True, blank=True)
    sum_denominator = models.BigIntegerField(null=True, blank=True)
    last_date = models.DateField()
    last_id = models.BigIntegerField()  # the highest id of the entries (the latest report breaks ties by id)

    SUMS = tuple(f"sum_{name}" for name in NUMBER_FIELDS)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}-S{self.semester} {self.status} ×{self.n}"


def _checks(prefix: str) -> list:
    return [
        models.CheckConstraint(condition=Q(n__gt=0), name=f"{prefix}_has_entries"),
        models.CheckConstraint(condition=Q(status__in=COUNTED_STATUSES), name=f"{prefix}_counted_status"),
        models.CheckConstraint(condition=Q(semester__in=[1, 2]), name=f"{prefix}_semester_1_or_2"),
    ]


class EntryTotal(Totals):
    """The official entries of one cell of the rollup, by place and agency, added up."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+")
    kecamatan = models.ForeignKey(Region, models.CASCADE, null=True, blank=True, related_name="+")

    # the columns of the key, in the order of the unique index (the rollup filters by indicator and status)
    KEY = ("indicator_id", "status", "year", "semester", "agency_id", "kecamatan_id", "milestone_status", "value")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "indicator",
                "status",
                "year",
                "semester",
                "agency",
                Coalesce("kecamatan", 0),
                "milestone_status",
                Coalesce("value", -1),
                name="entry_total_one_row_per_cell",
            ),
            *_checks("entry_total"),
        ]


class SemesterTotal(Totals):
    """The official entries of one indicator in one semester, every place and agency together, added up."""

    KEY = ("indicator_id", "status", "year", "semester", "milestone_status", "value")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "indicator",
                "status",
                "year",
                "semester",
                "milestone_status",
                Coalesce("value", -1),
                name="semester_total_one_row_per_cell",
            ),
            *_checks("semester_total"),
        ]
