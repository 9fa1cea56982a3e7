"""`/national/`: the provinces side by side for a year (issue: the nation). Each province's row gathers its
regencies' columns as the province page holds them (reports.province.overview.regency_columns: each plan's
stored figures, indicators.tallies.plan_figures), read for every plan of the country at once: plans in the year
and reporting, each pillar's mean achievement over its plans (each plan weighs the same), indicators by status,
the standard-tag totals. Every figure comes from the rollup; this module arranges and adds them up
(rollup.add_up, mean_of).

Who reads it: superusers and the country's people (StaffProfile.national); anyone else is told it does not exist.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404

from indicators.figures.rollup import Status, add_up, mean_of
from programs.access import is_national
from programs.models import Plan, Region
from reports.province.overview import TagTotal, ViewOverPlans, year_columns
from tptto_monitor.lib.fixed_reads import instances


@dataclass
class ProvinceRow:
    province: Region
    plans: int  # active plans of its regencies in the year
    reporting: int  # of them, those with something due in the year received
    pillars: dict[int, Decimal | None]  # pillar number → the mean of its plans' pillar achievements
    statuses: dict[str, int]
    gaps: int  # unreported agency-semesters of the year (Cell.unreported), over its plans
    tags: dict[str, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)  # tag → (target, actual)


@dataclass
class NationalView(ViewOverPlans):
    year: int | None
    years: list[int]
    rows: list[ProvinceRow]
    pillar_numbers: list[int]
    tags: list[TagTotal]  # by_plan keyed by province id here: the country's totals
    behind: int = 0  # plans whose figures shown are being brought up to date (plan_figures.year_figures)
    since: datetime.datetime | None = None  # when the oldest of them was computed

    @property
    def totals(self) -> ProvinceRow | None:
        """The country as one row: its plans, reporting plans, status counts and gaps added up."""
        if not self.rows:
            return None
        return ProvinceRow(
            province=None,
            plans=sum(row.plans for row in self.rows),
            reporting=sum(row.reporting for row in self.rows),
            pillars={},
            statuses={status: sum(row.statuses.get(status, 0) for row in self.rows) for status in Status.ORDER},
            gaps=sum(row.gaps for row in self.rows),
        )


def check_reader(user) -> None:
    """The national view is the country's people's and superusers'; to anyone else it does not exist."""
    if not (user.is_authenticated and (user.is_superuser or is_national(user))):
        raise Http404("No such page")


def active_plans():
    """Every active plan of a regency that lies in a province, by province and regency code."""
    return (
        Plan.objects.filter(
            status=Plan.Status.ACTIVE, region__level=Region.Level.KABUPATEN, region__parent__level=Region.Level.PROVINSI
        )
        .select_related("region__parent")
        .order_by("region__code", "start_year")
    )


def active_plans_read() -> list[Plan]:
    """`active_plans()`, read on every request of the national page: its SQL compiled once (fixed_reads)."""
    return instances(Plan, "national-active-plans", active_plans)


def build(year: int | None, *, as_of: datetime.date, plans: list[Plan] | None = None) -> NationalView:
    """The view for `year` (None: the default year), as on the day `as_of`; `plans`: active_plans(), if read already."""
    years, year, columns = year_columns(active_plans() if plans is None else plans, year, as_of=as_of)
    by_province: dict[int, list] = {}
    provinces: dict[int, Region] = {}
    for column in columns:
        parent = column.plan.region.parent
        provinces[parent.pk] = parent
        by_province.setdefault(parent.pk, []).append(column)
    numbers = sorted({number for column in columns for number in column.pillars})
    rows, tags = [], {}
    for pk, own in sorted(by_province.items(), key=lambda item: provinces[item[0]].code):
        row = ProvinceRow(
            province=provinces[pk],
            plans=len(own),
            reporting=sum(1 for column in own if column.reported),
            pillars={n: mean_of(column.pillars.get(n) for column in own) for n in numbers},
            statuses={status: sum(column.statuses.get(status, 0) for column in own) for status in Status.ORDER},
            gaps=sum(column.gaps for column in own),
        )
        for tag in sorted({tag for column in own for tag in column.tags}):
            present = [column.tags[tag] for column in own if tag in column.tags]
            row.tags[tag] = (add_up(t for _u, t, _a in present), add_up(a for _u, _t, a in present))
            total = tags.setdefault(tag, TagTotal(tag, present[0][0]))
            total.by_plan[pk] = row.tags[tag]
        rows.append(row)
    tag_totals = sorted(tags.values(), key=lambda t: t.label)
    return NationalView(year, years, rows, numbers, tag_totals, columns.behind, columns.since)
