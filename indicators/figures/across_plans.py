"""An indicator across plans: the indicator of the plan its plan was copied from (copy_plan), and that one's,
with each one's plan-to-date figure from the rollup, oldest first."""

import datetime

from indicators.figures.rollup import Figure, Filters, cached_compute
from indicators.models import Indicator
from programs.access import plans_for

MAX_PLANS = 5  # a regency's plans over a quarter of a century


def across_plans(indicator: Indicator, user, *, as_of: datetime.date) -> list[tuple[Indicator, Figure]]:
    """[] when the indicator has no predecessor (no query); else the chain the user may read, with figures."""
    if indicator.predecessor_id is None:
        return []
    chain = [indicator]
    while chain[-1].predecessor_id is not None and len(chain) < MAX_PLANS:
        chain.append(Indicator.objects.select_related("plan__region").get(pk=chain[-1].predecessor_id))
    readable = set(plans_for(user).filter(pk__in=[i.plan_id for i in chain]).values_list("pk", flat=True))
    rows = []
    for item in reversed(chain):
        if item.plan_id not in readable:
            continue
        row = cached_compute(item.plan, Filters(indicator_code=item.code), as_of=as_of).find(item.code)
        rows.append((item, row.to_date))
    return rows
