"""Whom a person asks when her account lacks something (a role, a regency, an agency)."""

from django.contrib.auth.models import User

from indicators.models.roles import ADMINISTRATOR
from programs.access import home_region


def people_to_ask(user) -> list[User]:
    """The active administrators of her regency (or province); without one, the installation's superusers.

    They are the ones who give a role, an agency and a regency (People, or the admin site)."""
    active = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    region = home_region(user) if user.is_authenticated else None
    if region is not None:
        admins = list(active.filter(groups__name=ADMINISTRATOR, staff_profile__region=region).exclude(pk=user.pk))
        if admins:
            return admins
    return list(active.filter(is_superuser=True).exclude(pk=user.pk)[:5])
