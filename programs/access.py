"""Which plans a person may open and act in, and the plan of a `/rad/<slug>/` page.

A person belongs to a regency or to a province (her staff profile). She reads
and acts only within her regency's plans; a province's people read every
regency of the province and act in none. A plan she may not read does not
exist for her (404). Superusers, who run the installation, see everything.

Every plan page is addressed by its plan's slug; `plan_page` resolves it once,
checks that the user may read the plan, refuses every write (any method but
GET/HEAD) from someone who may only read it, and puts the plan on
`request.plan` (and thereby in every template, see
`tptto_monitor.context_processors`), and shows times in the regency's time zone.
"""

from functools import partial, wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Plan, Region, StaffProfile
from programs.timezones import zone_of
from tptto_monitor.lib.fixed_reads import instances

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def home_region(user) -> Region | None:
    """The regency or province on the user's staff profile."""
    profile = getattr(user, "staff_profile", None)
    return profile.region if profile is not None and profile.region_id else None


def regencies_acted_in(user):
    """The regencies whose data the user may change (a queryset of regions); a superuser's: all."""
    if user.is_superuser:
        return Region.objects.filter(level=Region.Level.KABUPATEN)
    region = home_region(user)
    if region is None or region.level != Region.Level.KABUPATEN:
        return Region.objects.none()
    return Region.objects.filter(pk=region.pk)


def is_national(user) -> bool:
    """A person of the country (StaffProfile.national): she reads every province and regency, acts in none."""
    profile = getattr(user, "staff_profile", None) if user.is_authenticated else None
    return profile is not None and profile.national


def national_profiles(user):
    """The user's national profile as a subquery (empty for anyone else): matched in the database, not read."""
    return StaffProfile.objects.filter(user=user, national=True)


def regencies_read(user):
    """The regencies whose plans the user may read: her own, or every regency of her province (of the country)."""
    if user.is_superuser or is_national(user):
        return Region.objects.filter(level=Region.Level.KABUPATEN)
    region = home_region(user)
    if region is None:
        return Region.objects.none()
    if region.level == Region.Level.PROVINSI:
        return Region.objects.filter(parent=region, level=Region.Level.KABUPATEN)
    return Region.objects.filter(pk=region.pk)


def plans_for(user):
    """The plans the user may read: her regency's, or every regency's of her province (one query, no profile read)."""
    plans = Plan.objects.select_related("region")
    if user.is_superuser:
        return plans
    if not user.is_authenticated:
        return plans.none()
    # a plan's region is a regency, whose parent is a province: her profile's region matches one side or neither
    # (a subquery, not a join through the region's staff, which would repeat each plan once per colleague)
    home = StaffProfile.objects.filter(user=user).values("region")
    return plans.filter(Q(region__in=home) | Q(region__parent__in=home) | Q(Exists(national_profiles(user))))


def acts_in(user, plan: Plan) -> bool:
    """Whether the user may change anything of the plan (still subject to her role)."""
    if user.is_superuser:
        return True
    # a plan's region is a regency, so an equal id is her regency (a province's id never equals it)
    profile = getattr(user, "staff_profile", None)
    return profile is not None and profile.region_id is not None and profile.region_id == plan.region_id


def check_acts_in(user, plan: Plan) -> None:
    if not acts_in(user, plan):
        raise PermissionDenied(
            _("You can read the plan “%(plan)s” but not change it: it belongs to another regency.")
            % {"plan": plan.code}
        )


def reads_region(user, *region_ids: int | None) -> bool:
    """Whether the user reads what belongs to one of these regions: superusers and the country's people read
    everything, anyone else what belongs to the region her staff profile names (read with her user by
    tptto_monitor.auth_backend: no query)."""
    if user.is_superuser:
        return True
    profile = getattr(user, "staff_profile", None) if user.is_authenticated else None
    if profile is None:
        return False
    return profile.national or (profile.region_id is not None and profile.region_id in region_ids)


def reads(user, plan: Plan) -> bool:
    """Whether the user may read the plan: `plans_for`'s rule for one plan (her regency's plan, or a plan of a
    regency of her province, or any plan for a person of the country), without a query."""
    return reads_region(user, plan.region_id, plan.region.parent_id)


def get_plan_for_user(user, slug: str) -> Plan:
    """The plan with this slug if the user may read it; 404 otherwise (a plan one may not read does not exist).

    Every plan page asks this: one query by the plan's code, with its regency, its SQL compiled once (the ORM's
    building of it cost a cached dashboard a tenth of its time), and `reads` decides (the subqueries of `plans_for`
    cost a page more than its cached content did)."""
    found = instances(Plan, ("plan-page", slug), partial(_plan_with_regency, slug))
    plan = found[0] if found else None
    if plan is None or not reads(user, plan):
        raise Http404("No such plan")
    return plan


def _plan_with_regency(slug: str):
    return Plan.objects.select_related("region").filter(code=slug)


def plan_page(view):
    """For views under `/rad/<slug:rad>/`: the plan from the address, on `request.plan`.

    A write (POST …) from someone who may only read the plan is refused here, before any view code runs.
    """

    @wraps(view)
    def wrapper(request, rad: str, *args, **kwargs):
        request.plan = get_plan_for_user(request.user, rad)
        if request.method not in SAFE_METHODS:
            check_acts_in(request.user, request.plan)
        # times on the page (an entry's history, its submission) in the regency's own time zone
        with timezone.override(zone_of(request.plan.region)):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # a template response renders here, inside the zone
            return response

    return wrapper
