"""`Idempotency-Key` on the API's POSTs: the same request sent again gets the first answer, and is done once.

The write and the answer it returns are made in one transaction, with the key: the answer (the entry read back)
is complete before the commit, so a connection lost after the commit cannot turn a saved entry into an error,
and a client that retries with the same key gets that answer instead of a second entry. Two copies sent at the
same moment: the second waits on the key's unique index, its own write is rolled back, and it gets the first's
answer. The same key with another method, path or body is refused (422): the client reused a key by mistake.
"""

import hashlib
import json
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.api.errors import body as error_body
from indicators.models.idempotency import KEPT_FOR, IdempotencyKey

HEADER = "Idempotency-Key"
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as the IETF draft's examples (a UUID is typical)


def openapi() -> dict:
    """The header in an operation's OpenAPI description (its `openapi_extra`), for the operations that call
    `once`: optional, in the form KEY accepts. A new dict each time: django-ninja merges it into the operation."""
    return {
        "parameters": [
            {
                "in": "header",
                "name": HEADER,
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
                "description": (
                    "Makes a retry safe: the same key with the same request answers the first answer, and the "
                    "write is done once (kept for a day). 1 to 255 visible ASCII characters, e.g. a UUID; the "
                    "same key with another request is refused (422)."
                ),
            }
        ]
    }


class _Lost(Exception):
    """Another request with the same key committed first: this one's write is rolled back."""


def fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def once(request, write: Callable[[], tuple[int, dict]]):
    """Run `write` (which saves and returns its answer: the status and the JSON body) in one transaction, at most
    once per `Idempotency-Key` of the caller; without the header, in one transaction all the same."""
    key = request.headers.get(HEADER)
    if key is None:
        with transaction.atomic():
            return _json(*write())
    if not KEY.match(key):
        return _json(
            422,
            error_body(
                _("The Idempotency-Key header is not valid."),
                [(HEADER, _("Use 1 to 255 visible ASCII characters, e.g. a UUID."))],
            ),
        )
    sent = fingerprint(request)
    mine = IdempotencyKey.objects.filter(user=request.user, key=key)
    try:
        with transaction.atomic():
            stored = mine.current().first()
            if stored is not None:
                return _replay(stored, sent)
            mine.expired().delete()
            status, answer = write()
            try:
                with transaction.atomic():
                    IdempotencyKey.objects.create(
                        user=request.user,
                        key=key,
                        fingerprint=sent,
                        status=status,
                        body=answer,
                        expires_at=timezone.now() + KEPT_FOR,
                    )
            except IntegrityError:
                raise _Lost from None
            return _json(status, answer)
    except _Lost:
        return _replay(mine.get(), sent)


def _replay(stored: IdempotencyKey, sent: str):
    if stored.fingerprint != sent:
        return _json(
            422,
            error_body(
                _("This Idempotency-Key was already used for a different request; nothing was saved."),
                [(HEADER, _("Use a new key for a new request."))],
            ),
        )
    return _json(stored.status, stored.body)


def _json(status: int, body: dict) -> HttpResponse:
    """The answer as the API renders it: already JSON-ready (rendered inside the transaction), so ninja's
    response schema (whose resolvers read a model instance) is not run on it again."""
    return HttpResponse(json.dumps(body), status=status, content_type="application/json; charset=utf-8")
