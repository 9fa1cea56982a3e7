"""Small helpers to create progress entries in tests."""

from django.contrib.auth.models import User

from indicators.models import EntryStatus, Indicator, ProgressEntry
from programs.models import Region
from programs.periods import Period


def entry(
    code: str,
    period: str,
    *,
    status: str = EntryStatus.VERIFIED,
    kecamatan: str | None = None,
    user: User | None = None,
    rad: str = "rad-ttu-2018-2022",
    **values,
) -> ProgressEntry:
    """A saved entry for the indicator `code` of the plan `rad` in `period` ('2019S1'), dated the period's last day."""
    indicator = Indicator.objects.select_related("plan").get(code=code, plan__code=rad)
    p = Period.parse(period)
    user = user or User.objects.get_or_create(username="factory")[0]
    obj = ProgressEntry(
        indicator=indicator,
        agency=indicator.agency,
        year=p.year,
        semester=p.semester,
        date=values.pop("date", p.end),
        status=status,
        created_by=user,
        kecamatan=Region.objects.get(code=kecamatan) if kecamatan else None,
        **values,
    )
    obj.full_clean()
    obj.save()
    return obj
