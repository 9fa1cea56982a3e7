from django.conf import settings


def site(request) -> dict:
    """Flags every page needs: demo banner, the plan in view."""
    from indicators.models import ProgressEntry

    demo = False
    # demo entries can only be made in demo mode (seed_demo refuses otherwise): production skips the query
    if settings.DEMO_MODE and request.user.is_authenticated:
        demo = ProgressEntry.objects.filter(is_demo=True).exists()
    context = {"demo_data": demo, "debug": settings.DEBUG}
    # the plan of a /rad/<slug>/ page (programs.access.plan_page): the templates' links and the footer name it
    plan = getattr(request, "plan", None)
    if plan is not None:
        context["plan"] = plan
    return context
