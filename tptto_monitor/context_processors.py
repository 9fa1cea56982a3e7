from django.conf import settings


def site(request) -> dict:
    """Flags every page needs: demo banner, the plan in view."""
    from indicators.models import ProgressEntry

    demo = False
    if request.user.is_authenticated:
        demo = ProgressEntry.objects.filter(is_demo=True).exists()
    return {"demo_data": demo, "debug": settings.DEBUG}
