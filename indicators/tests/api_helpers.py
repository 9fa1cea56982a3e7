"""Helpers for the API tests: a token per persona and a client that sends it."""

import json

from indicators.models.tokens import ApiToken

API = "/api/v1"
PLAN = "rad-ttu-2018-2022"


def token_for(user, *, write: bool = False, days: int | None = 30) -> str:
    return ApiToken.issue(user, name="test", can_write=write, days=days)[1]


def call(client, method: str, path: str, token: str | None, payload=None, raw: bytes | None = None, **headers):
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    data = raw if raw is not None else (json.dumps(payload) if payload is not None else None)
    kwargs = {"content_type": "application/json"} if data is not None else {}
    return (
        getattr(client, method)(API + path, data=data, **kwargs, **headers)
        if data is not None
        else getattr(client, method)(API + path, **headers)
    )
