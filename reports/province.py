"""The province view: each regency's active plan side by side for a year, and the totals of the
indicators that share a standard tag across plans (DESIGN.md: the province task force reads across
its regencies; a regency's staff see only their own).

Every figure comes from `indicators.rollup`, computed for all the plans together; nothing here is written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from indicators.models import Kind
from indicators.rollup import PlanRollup, Status, cached_compute_many, reporting_gaps_many, share
from programs.models import Plan, Region

# the standard tags of the embedded plan, named; a tag of an imported plan file without a name here shows as it is
TAG_LABELS = {
    "socialisation-reach": _("People reached by socialisation"),
    "service-officers-trained": _("Service officers trained"),
    "law-enforcement-trained": _("Law-enforcement officers trained"),
    "victims-referred": _("Victims referred to services"),
    "migrant-workers-repatriated": _("Troubled migrant workers repatriated"),
}


def province_for_user(user, code: str) -> Region:
    """The province with this Kemendagri code if the user may read it; 404 otherwise (as for plans).

    Superusers may read every province; anyone else only the province her profile names (a regency's
    people see only their regency). One query: the profile is matched in the database, not read.
    """
    provinces = Region.objects.filter(code=code, level=Region.Level.PROVINSI)
    if not user.is_authenticated:
        provinces = provinces.none()
    elif not user.is_superuser:
        provinces = provinces.filter(staff__user=user)
    province = provinces.first()
    if province is None:
        raise Http404("No such province")
    return province


def provinces_for(user):
    """The provinces whose view the user may open (for the navigation)."""
    provinces = Region.objects.filter(level=Region.Level.PROVINSI)
    if user.is_superuser:
        return provinces.filter(children__plan__isnull=False).distinct()
    if not user.is_authenticated:
        return provinces.none()
    return provinces.filter(staff__user=user)


def active_plans(province: Region):
    """The active plans of the province's regencies, by regency code."""
    return (
        Plan.objects.filter(region__parent=province, region__level=Region.Level.KABUPATEN, status=Plan.Status.ACTIVE)
        .select_related("region")
        .order_by("region__code", "start_year")
    )


@dataclass
class RegencyColumn:
    """One regency's plan in the year: pillar achievements, status counts and reporting gaps."""

    plan: Plan
    rollup: PlanRollup
    pillars: dict[int, Decimal | None]  # pillar number → the pillar's mean capped achievement (None: nothing due)
    statuses: dict[str, int]
    gaps: int  # agency-semesters of the year that had ended without a submitted or verified entry
    agencies_with_gaps: int


@dataclass
class TagTotal:
    """The indicators that carry one standard tag, added up across the plans for the year."""

    tag: str
    unit: str
    by_plan: dict[int, tuple[Decimal | None, Decimal | None]] = field(
        default_factory=dict
    )  # plan id → (target, actual)

    @property
    def label(self) -> str:
        return str(TAG_LABELS.get(self.tag, self.tag))

    @property
    def target(self) -> Decimal | None:
        values = [t for t, _a in self.by_plan.values() if t is not None]
        return sum(values, Decimal(0)) if values else None

    @property
    def actual(self) -> Decimal | None:
        values = [a for _t, a in self.by_plan.values() if a is not None]
        return sum(values, Decimal(0)) if values else None

    @property
    def achievement(self) -> Decimal | None:
        return share(self.actual, self.target)


@dataclass
class ProvinceView:
    province: Region
    year: int | None
    years: list[int]
    columns: list[RegencyColumn]
    pillar_numbers: list[int]
    tags: list[TagTotal]

    @property
    def status_order(self) -> list[tuple[str, str]]:
        return [(status, Status.label(status)) for status in Status.ORDER]


def years_of(plans: list[Plan]) -> list[int]:
    return sorted({year for plan in plans for year in plan.years})


def default_year(years: list[int], today: datetime.date) -> int | None:
    """This year when a plan covers it, else the latest year before it, else the first."""
    if not years:
        return None
    earlier = [y for y in years if y <= today.year]
    return max(earlier) if earlier else years[0]


def build(province: Region, year: int | None, *, as_of: datetime.date) -> ProvinceView:
    """The view for `year` (None: the default year), as on the day `as_of`."""
    plans = list(active_plans(province))
    years = years_of(plans)
    if year is None:
        year = default_year(years, as_of)
    in_year = [plan for plan in plans if year is not None and plan.contains_year(year)]
    # every plan's figures and gaps at once: the page's queries do not grow with the number of regencies
    rollups = cached_compute_many(in_year, as_of=as_of)
    agencies = {pk: {row.indicator.agency_id for row in rollup.indicators} for pk, rollup in rollups.items()}
    gaps_by_plan = reporting_gaps_many(in_year, as_of, year, agencies=agencies)
    columns, tags, numbers = [], {}, set()
    for plan in in_year:
        rollup, gaps = rollups[plan.pk], gaps_by_plan[plan.pk]
        pillars = {p.pillar.number: p.years[year].achievement for p in rollup.pillars}
        numbers.update(pillars)
        columns.append(
            RegencyColumn(
                plan,
                rollup,
                pillars,
                rollup.status_counts(year),
                sum(len(periods) for periods in gaps.values()),
                sum(1 for periods in gaps.values() if periods),
            )
        )
        for row in rollup.indicators:
            tag = row.indicator.standard_tag
            if not tag or not Kind(row.indicator.kind).is_summed:
                continue
            total = tags.setdefault(tag, TagTotal(tag, row.indicator.unit))
            figure = row.years[year]
            target, actual = total.by_plan.get(plan.pk, (None, None))
            total.by_plan[plan.pk] = (_add(target, figure.target), _add(actual, figure.actual))
    return ProvinceView(province, year, years, columns, sorted(numbers), sorted(tags.values(), key=lambda t: t.label))


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b
