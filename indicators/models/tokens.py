"""Personal API tokens: a user creates and revokes her own, read-only or read-write.

Only a SHA-256 digest of the token is stored, so a copy of the database does not
hand out working tokens; the token itself is shown once, when it is made. A plain
hash (not a slow password hash) is enough because a token is 32 random bytes, not
something a person chose. A request with a token acts with exactly the permissions
of its owner; a read token can in addition never write.

A token is bound to its owner's password and to her account staying open: it carries a stamp of the
password hash it was made under, and a changed hash (a new password on the web, through a reset, from the
shell, or written straight into the table) or a closed account (the stamp is wiped, so opening the account
again does not bring the token back) ends it. Django re-hashing the same password at sign-in (more
iterations after an upgrade) moves the stamps along: that is not a new password. Closing an account ends
its sessions too (they came back to life when it was opened again).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "tppo_"
DEFAULT_DAYS = 365


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_stamp(password_hash: str) -> str:
    """A fingerprint of a user's password hash (never of the password): another hash, another stamp."""
    return hashlib.sha256(f"tppo-api-token:{password_hash}".encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now: datetime.datetime | None = None) -> "ApiTokenQuerySet":
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. “R scripts”."))
    can_write = models.BooleanField(_("can write"), default=False)
    # the first characters of the token, so that its owner can tell her tokens apart
    hint = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    # password_stamp() of the owner's password hash when the token was made; empty: ended (account closed)
    password_stamp = models.CharField(max_length=64, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        app_label = "indicators"
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.hint}… ({self.name})"

    @classmethod
    def issue(
        cls, user, *, name: str, can_write: bool = False, days: int | None = DEFAULT_DAYS
    ) -> tuple["ApiToken", str]:
        """A new token for `user`: the saved row and the token itself (shown once, never stored)."""
        token = PREFIX + secrets.token_urlsafe(32)
        expires = timezone.now() + datetime.timedelta(days=days) if days else None
        row = cls.objects.create(
            user=user,
            name=name,
            can_write=can_write,
            hint=token[: len(PREFIX) + 6],
            digest=digest(token),
            password_stamp=password_stamp(user.password),
            expires_at=expires,
        )
        return row, token

    @classmethod
    def lookup(cls, token: str) -> "ApiToken | None":
        """The token's row, whatever its state (the caller says why it cannot be used)."""
        if not token.startswith(PREFIX):
            return None
        return cls.objects.select_related("user").filter(digest=digest(token)).first()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_ended(self) -> bool:
        """Ended by a new password or a closed account since it was made."""
        return not self.password_stamp or self.password_stamp != password_stamp(self.user.password)

    def refusal(self) -> str | None:
        """Why the token does not work now (translated), or None when it does: the one statement of which
        tokens work, read by the API's authentication."""
        if self.is_revoked:
            return _("This API token was revoked.")
        if self.is_expired:
            return _("This API token has expired; create a new one in your profile.")
        if not self.user.is_active:
            return _("The account of this API token is disabled.")
        if self.is_ended:
            return _("This API token ended when the account's password changed or it was closed; create a new one.")
        return None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def touch(self) -> None:
        """Record the use, at most once a minute (no write per request)."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at > datetime.timedelta(minutes=1):
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api_tokens_note_rehash")
def _note_rehash(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    """Django's own re-hash at sign-in saves the password alone, with no new password set (`_password`):
    remember the old stamp so that the tokens follow the new hash of the same password."""
    instance._api_token_stamp_before = None
    instance._account_closing = False
    if raw or instance.pk is None:
        return
    if not instance.is_active:  # closed now: was it open? (one query, only when saving a closed account)
        instance._account_closing = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    if getattr(instance, "_password", None) is not None:
        return
    if update_fields is not None and set(update_fields) == {"password"}:
        before = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
        if before is not None and before != instance.password:
            instance._api_token_stamp_before = password_stamp(before)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api_tokens_follow_account")
def _follow_account(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_api_token_stamp_before", None)
    if before:
        ApiToken.objects.filter(user=instance, password_stamp=before).update(
            password_stamp=password_stamp(instance.password)
        )
    if not instance.is_active:
        ApiToken.objects.filter(user=instance).exclude(password_stamp="").update(password_stamp="")
    if getattr(instance, "_account_closing", False):
        _end_sessions(instance.pk)


def _end_sessions(user_id: int) -> None:
    """Delete the sessions of a closed account: Django refuses them while it is closed, but kept them, and they
    worked again once it was opened (sessions live in the database: settings.SESSION_ENGINE)."""
    from django.contrib.sessions.models import Session

    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    Session.objects.filter(session_key__in=ended).delete()
