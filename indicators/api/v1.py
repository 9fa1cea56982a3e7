"""The API object: /api/v1/, its OpenAPI 3 schema (/api/v1/openapi.json) and docs page (/api/v1/docs).

The docs page is django-ninja's Swagger UI from the app's own static files ("ninja" in
INSTALLED_APPS; no CDN, no inline script). Every operation needs a token; the docs page needs
a signed-in user or a token; the schema (no data, only the operations) is public, so clients can
be generated from its address.
"""

from django.contrib.auth.decorators import login_not_required
from ninja import NinjaAPI

from indicators.api import entries, errors, figures, plan
from indicators.api.auth import BearerToken, signed_in_or_token

api = NinjaAPI(
    title="TPPO Monitor API",
    version="1",
    description=(
        "Read the plan, its figures and entries; create, edit and submit draft entries. "
        "Authenticate with a personal token (`Authorization: Bearer <token>`), made in your profile "
        'or with `manage.py create_api_token`. Errors: `{"detail": ..., "errors": [{"field", "message"}]}`.'
    ),
    auth=BearerToken(),
    urls_namespace="api-v1",
    docs_decorator=signed_in_or_token,
)
errors.install(api)
api.add_router("/", plan.router)
api.add_router("/", figures.router)
api.add_router("/", entries.router)


def urls():
    """The API's URL patterns, exempt from the sign-in redirect (a token signs each request in)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        login_not_required(pattern.callback)
    return patterns, app_name, namespace
