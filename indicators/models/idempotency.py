"""Idempotency keys of the API's writes: the key a client sent with a POST, what it sent, and the answer.

A client that lost an answer (a dropped connection, the offline queue sending again) repeats the request with
the same `Idempotency-Key`: it gets the stored answer instead of a second entry. A key is the caller's own
(unique per user) and kept for a day. Only the answers of writes that were saved are kept: a refused request
saved nothing, and sent again it is refused again.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

KEPT_FOR = datetime.timedelta(hours=24)


class IdempotencyKeyQuerySet(models.QuerySet):
    def current(self):
        return self.filter(expires_at__gt=timezone.now())

    def expired(self):
        return self.filter(expires_at__lte=timezone.now())


class IdempotencyKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, the path and the body")
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    objects = IdempotencyKeyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
