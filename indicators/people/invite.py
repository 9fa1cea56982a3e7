"""A person invited by an administrator: her account, role and staff profile in one step, and a link by
e-mail to choose her own password (Django's password reset token: it works once, for
settings.PASSWORD_RESET_TIMEOUT, and stops working when she has set a password)."""

import re

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from programs.models import Agency, Region, StaffProfile


def set_password_link(user: User) -> str:
    """The address where the person chooses her password, built from settings.SITE_URL."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password_reset_confirm", args=[uid, token])


def free_username(email: str) -> str:
    """A user name from the address's local part (ana.lopes@… → ana.lopes), numbered when taken."""
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "user"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def send_invitation(user: User, *, by: User) -> None:
    context = {"user": user, "by": by, "link": set_password_link(user), "site": settings.SITE_URL}
    subject = _("Your TPPO Monitor account")
    body = render_to_string("indicators/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])


def invite_person(*, by: User, name: str, email: str, role: Group, agency: Agency | None, regency: Region) -> User:
    """Create the account (no usable password until she sets one), its role and its staff profile, in one
    transaction, then send the set-password link."""
    with transaction.atomic():
        first, _sep, last = name.strip().rpartition(" ") if " " in name.strip() else (name.strip(), "", "")
        user = User(username=free_username(email), email=email, first_name=first[:150], last_name=last[:150])
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        user.groups.add(role)
        profile = StaffProfile(user=user, region=regency, agency=agency)
        profile.full_clean()
        profile.save()
    send_invitation(user, by=by)
    return user
