"""Rules between indicators (`ConsistencyRule`: left ≤ right), checked semester by semester.

The values compared are the rollup's semester figures (submitted and verified entries, so that
the secretariat sees a broken rule before verifying), never a sum made here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from indicators.figures.rollup import Filters, compute
from indicators.models import ConsistencyRule, Indicator
from programs.models import Plan
from programs.periods import Period, semesters


@dataclass
class RuleSemester:
    period: Period
    left: Decimal | None
    right: Decimal | None

    @property
    def broken(self) -> bool:
        return self.left is not None and self.left > (self.right or 0)


@dataclass
class RuleResult:
    rule: ConsistencyRule
    left: Indicator
    right: Indicator
    semesters: list[RuleSemester]

    @property
    def broken(self) -> list[RuleSemester]:
        return [row for row in self.semesters if row.broken]


def rule_results(plan: Plan, *, as_of: datetime.date) -> list[RuleResult]:
    """Every rule of the plan with the semesters begun by `as_of` in which either side has a value.

    A rule whose indicator no longer exists in the plan is left out (the admin refuses to save one).
    """
    rules = list(ConsistencyRule.objects.filter(plan=plan))
    codes = {code for rule in rules for code in (rule.left_code, rule.right_code)}
    if not rules:
        return []
    indicators = {i.code: i for i in Indicator.objects.filter(plan=plan, code__in=codes)}
    rollup = compute(
        plan, Filters(include_unverified=True, indicator_ids=[i.pk for i in indicators.values()]), as_of=as_of
    )
    begun = [p for p in semesters(plan.years) if p.start <= as_of]
    results = []
    for rule in rules:
        left, right = indicators.get(rule.left_code), indicators.get(rule.right_code)
        if left is None or right is None:
            continue
        left_figures, right_figures = rollup.indicator(left.code), rollup.indicator(right.code)
        rows = []
        for period in begun:
            a = left_figures.semesters.get(period)
            b = right_figures.semesters.get(period)
            row = RuleSemester(period, a.actual if a else None, b.actual if b else None)
            if row.left is not None or row.right is not None:
                rows.append(row)
        results.append(RuleResult(rule, left, right, rows))
    return results
