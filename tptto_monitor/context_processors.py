import functools
import hashlib

from django.conf import settings


def site(request) -> dict:
    """Flags every page needs: demo banner, the plan in view."""
    from indicators.models import ProgressEntry

    demo = False
    # demo entries can only be made in demo mode (seed_demo refuses otherwise): production skips the query;
    # asked once a request, though a dashboard renders its cached content and then the page around it
    if settings.DEMO_MODE and request.user.is_authenticated:
        if not hasattr(request, "_demo_data"):
            request._demo_data = ProgressEntry.objects.filter(is_demo=True).exists()
        demo = request._demo_data
    context = {"demo_data": demo, "debug": settings.DEBUG}
    if request.user.is_authenticated:
        from tptto_monitor.pwa import offline_text

        context["offline_text"] = offline_text  # called by the template only where it is used (base.html)
    # the plan of a /rad/<slug>/ page (programs.access.plan_page): the templates' links and the footer name it
    plan = getattr(request, "plan", None)
    if plan is not None:
        context["plan"] = plan
    context["province_codes"] = _province_codes(request, plan)
    context["national_reader"] = _national_reader(request)
    context["shell_key"] = functools.partial(shell_key, request, context)  # computed only where base.html asks
    return context


def shell_key(request, context: dict) -> str:
    """Everything the cached parts of base.html ({% cache … shell_key %}) show besides the language: the reader
    (her name, staff status and permissions), the page (its view and plan) and the navigation's links. A part of
    the shell that shows something more must add it here."""
    if hasattr(request, "_shell_key"):
        return request._shell_key
    user, plan = request.user, context.get("plan")
    match = getattr(request, "resolver_match", None)
    parts = [
        match.view_name if match else "",
        context["national_reader"],
        ",".join(context["province_codes"]),
    ]
    if plan is not None:
        parts += [plan.pk, plan.code, plan.status, plan.region.name]
    if user.is_authenticated:
        parts += [user.pk, user.username, user.get_full_name(), user.is_staff, user.is_superuser]
        parts += sorted(user.get_all_permissions())
    request._shell_key = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return request._shell_key


def _national_reader(request) -> bool:
    """Whether the navigation links to the national view: a superuser's on every page; the country's people's on
    the list of plans and the national page (their profile comes with their user: no query)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in ("programs:plans", "national:national"):
        from programs.access import is_national

        return is_national(user)
    return False


def _province_codes(request, plan) -> list[str]:
    """The provinces whose view the navigation links to: a superuser's on a plan page (the Kemendagri code's
    first part, no query); on the list of plans, those the user may read (one query, that page only)."""
    user = request.user
    if not user.is_authenticated:
        return []
    if plan is not None and user.is_superuser:
        return [plan.region.code.split(".")[0]]
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "programs:plans":
        from reports.province.overview import provinces_for

        return list(provinces_for(user).values_list("code", flat=True))
    return []
