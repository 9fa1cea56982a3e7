"""Who is calling: a personal token in `Authorization: Bearer <token>`.

The request then carries the token's owner as `request.user`, so every permission
check below is the same one the web pages make (indicators.models.roles). A read token
additionally cannot write, whatever its owner may do.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.openapi.views import openapi_json
from ninja.security import HttpBearer

from indicators.models.roles import has_role
from indicators.models.tokens import ApiToken


class BearerToken(HttpBearer):
    def __call__(self, request):
        header = request.headers.get(self.header, "")
        if not header.lower().startswith("bearer "):
            raise AuthenticationError(401, _("Give your API token as “Authorization: Bearer <token>”."))
        return super().__call__(request)

    def authenticate(self, request, token: str) -> ApiToken:
        row = ApiToken.lookup(token.strip())
        if row is None:
            raise AuthenticationError(401, _("Unknown API token."))
        refusal = row.refusal()
        if refusal is not None:
            raise AuthenticationError(401, str(refusal))
        if not has_role(row.user):
            # as on the web: a signed-in user without a role reads nothing
            raise AuthorizationError(403, _("Your account has no role yet; ask an administrator."))
        row.touch()
        request.user = row.user
        return row


def require_write(request) -> None:
    """Refuse a write made with a read-only token (403), before anything is read or saved."""
    if not request.auth.can_write:
        raise AuthorizationError(403, _("This API token can only read; create a read-write token to change data."))


def signed_in_or_token(view):
    """The docs page: for a signed-in user (browser) or a valid token (scripts).

    The OpenAPI schema itself (openapi.json) is public: it describes the operations, holds no data,
    and client generators (openapi-python-client, openapi-generator) read it from its address
    without a token. Every operation it describes still needs one."""
    if getattr(view, "func", None) is openapi_json:
        return view

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if "Authorization" not in request.headers:
                return redirect_to_login(request.get_full_path())
            try:
                BearerToken()(request)
            except AuthenticationError as error:
                return JsonResponse({"detail": error.message, "errors": []}, status=401)
        return view(request, *args, **kwargs)

    return wrapper
