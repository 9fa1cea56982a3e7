"""The province view: each regency's active plan side by side for a year, and the totals of the
indicators that share a standard tag across plans (DESIGN.md: the province task force reads across
its regencies; a regency's staff see only their own).

Every figure comes from `indicators.figures.rollup`, through each plan's figures stored per year
(`indicators.tallies.plan_figures`), read for all the plans in one query.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from indicators.figures.rollup import Status, add_up, share
from indicators.tallies import plan_figures
from programs.access import is_national, reads_region
from programs.models import Plan, Region
from tptto_monitor.lib.fixed_reads import instances

# the standard tags of the embedded plan, named; a tag of an imported plan file without a name here shows as it is
TAG_LABELS = {
    "socialisation-reach": _("People reached by socialisation"),
    "service-officers-trained": _("Service officers trained"),
    "law-enforcement-trained": _("Law-enforcement officers trained"),
    "victims-referred": _("Victims referred to services"),
    "migrant-workers-repatriated": _("Troubled migrant workers repatriated"),
}


def province_for_user(user, code: str, province: Region | None = None) -> Region:
    """The province with this Kemendagri code if the user may read it; 404 otherwise (as for plans).

    Superusers and the country's people (StaffProfile.national) may read every province; anyone else only the
    province her profile names (a regency's people see only their regency). One query, the province's, unless
    `province` is given (read already, with its plans); her profile comes with her user (tptto_monitor.auth_backend).
    """
    if province is None or province.code != code:
        province = Region.objects.filter(code=code, level=Region.Level.PROVINSI).first()
    if province is None or not reads_region(user, province.pk):
        raise Http404("No such province")
    return province


def provinces_for(user):
    """The provinces whose view the user may open (for the navigation)."""
    provinces = Region.objects.filter(level=Region.Level.PROVINSI)
    if user.is_superuser or is_national(user):
        return provinces.filter(children__plan__isnull=False).distinct()
    if not user.is_authenticated:
        return provinces.none()
    return provinces.filter(staff__user=user)


def active_plans(province: Region | str):
    """The active plans of the province's regencies, by regency code; `province`: the region or its Kemendagri code
    (each plan then carries the province as its region's parent)."""
    of = (
        {"region__parent": province}
        if isinstance(province, Region)
        else {"region__parent__code": province, "region__parent__level": Region.Level.PROVINSI}
    )
    return (
        Plan.objects.filter(**of, region__level=Region.Level.KABUPATEN, status=Plan.Status.ACTIVE)
        .select_related("region__parent")
        .order_by("region__code", "start_year")
    )


def active_plans_read(code: str) -> list[Plan]:
    """`active_plans(code)`, read on every request of the province page: its SQL compiled once (fixed_reads)."""
    return instances(Plan, ("province-active-plans", code), functools.partial(active_plans, code))


@dataclass
class RegencyColumn:
    """One regency's plan in the year: pillar achievements, status counts, reporting gaps and standard tags."""

    plan: Plan
    pillars: dict[int, Decimal | None]  # pillar number → the pillar's mean capped achievement (None: nothing due)
    statuses: dict[str, int]
    gaps: int  # agency-semesters of the year past their deadline with nothing of what was due (Cell.unreported)
    agencies_with_gaps: int
    tags: dict[str, tuple[str, Decimal | None, Decimal | None]]  # standard tag → (unit, target, actual) of the year
    reported: bool = False  # something due in the year was received (submitted or verified)


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
        return add_up(t for t, _a in self.by_plan.values())

    @property
    def actual(self) -> Decimal | None:
        return add_up(a for _t, a in self.by_plan.values())

    @property
    def achievement(self) -> Decimal | None:
        return share(self.actual, self.target)


class ViewOverPlans:
    """What the province and national views share: the statuses in their order, and the note on the plans whose
    figures shown are being brought up to date (the view's `behind` and `since`)."""

    @property
    def status_order(self) -> list[tuple[str, str]]:
        return [(status, Status.label(status)) for status in Status.ORDER]

    @property
    def behind_note(self) -> str:
        return behind_note(self.behind, self.since)


@dataclass
class ProvinceView(ViewOverPlans):
    province: Region
    year: int | None
    years: list[int]
    columns: list[RegencyColumn]
    pillar_numbers: list[int]
    tags: list[TagTotal]
    behind: int = 0  # plans whose figures shown are being brought up to date (plan_figures.year_figures)
    since: datetime.datetime | None = None  # when the oldest of them was computed


def behind_note(behind: int, since: datetime.datetime | None) -> str:
    """What the page and its workbook say when they show stored figures of plans being brought up to date."""
    if not behind:
        return ""
    return ngettext(
        "The figures of %(plans)s plan are being brought up to date: shown as they stood at %(since)s.",
        "The figures of %(plans)s plans are being brought up to date: shown as they stood, the oldest at %(since)s.",
        behind,
    ) % {"plans": behind, "since": date_format(timezone.localtime(since), "j M Y, H:i")}


def years_of(plans: list[Plan]) -> list[int]:
    return sorted({year for plan in plans for year in plan.years})


def default_year(years: list[int], today: datetime.date) -> int | None:
    """This year when a plan covers it, else the latest year before it, else the first."""
    if not years:
        return None
    earlier = [y for y in years if y <= today.year]
    return max(earlier) if earlier else years[0]


def year_columns(plans: list[Plan], year: int | None, *, as_of: datetime.date):
    """The years the plans cover, the year shown (`year`, or the default one), and the columns of the plans that
    run in it (the province page's and, over every province, the national page's)."""
    plans = list(plans)
    years = years_of(plans)
    if year is None:
        year = default_year(years, as_of)
    in_year = [plan for plan in plans if year is not None and plan.contains_year(year)]
    return years, year, regency_columns(in_year, year, as_of=as_of) if in_year else Columns()


def build(province: Region, year: int | None, *, as_of: datetime.date, plans: list[Plan] | None = None) -> ProvinceView:
    """The view for `year` (None: the default year), as on the day `as_of`; `plans`: active_plans(province), if read
    already."""
    years, year, columns = year_columns(active_plans(province) if plans is None else plans, year, as_of=as_of)
    tags: dict[str, TagTotal] = {}
    for column in columns:
        for tag, (unit, target, actual) in column.tags.items():
            tags.setdefault(tag, TagTotal(tag, unit)).by_plan[column.plan.pk] = (target, actual)
    numbers = sorted({number for column in columns for number in column.pillars})
    view = ProvinceView(province, year, years, columns, numbers, sorted(tags.values(), key=lambda t: t.label))
    view.behind, view.since = columns.behind, columns.since
    return view


def regency_columns(plans: list[Plan], year: int, *, as_of: datetime.date) -> Columns:
    """Each plan's column for the year, from its stored figures (indicators.tallies.plan_figures): one query for
    every plan, whatever their number. A few plans behind their data are computed now; beyond those, the
    columns say how many are being brought up to date, and since when."""
    stored = plan_figures.year_figures(plans, year, as_of=as_of)
    language = get_language()  # a column carries its units in the reader's language
    columns = Columns(RegencyColumn(plan, **plan_figures.read(stored.figures[plan.pk], language)) for plan in plans)
    columns.behind, columns.since = stored.behind, stored.since
    return columns


class Columns(list):
    """The plans' columns, and how many of them show figures being brought up to date (since when)."""

    behind: int = 0
    since: datetime.datetime | None = None
