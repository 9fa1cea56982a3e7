"""Requests no page can mean: refused at the door with 400, before any view or database sees them."""

from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    """A NUL character in the address or the query string is refused (400).

    No link of the app carries one, and PostgreSQL refuses it in any text it is given ("A string
    literal cannot contain NUL"), so a view that looked such a value up would fail with a 500. Form
    fields refuse NUL themselves (Django's CharField validator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                # the API answers every error in its own JSON format (indicators/api/errors.py)
                return JsonResponse({"detail": _("The address contains a NUL character."), "errors": []}, status=400)
            raise BadRequest("NUL in the address")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Every response says which sources the browser may use: the app's own, and nothing from elsewhere.

    The policy is settings.CONTENT_SECURITY_POLICY; a view may set its own header instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class ApiJsonErrorsMiddleware:
    """Under /api/, an unknown address (404) or a method the address does not take (405) answers in the API's
    JSON error format (indicators/api/errors.py), as the API documents, not with an HTML page or plain text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in (404, 405)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            if response.status_code == 404:
                detail = _("No such address in the API; see /api/v1/docs.")
            else:
                detail = _("This address does not take %(method)s; it takes %(allowed)s.") % {
                    "method": request.method,
                    "allowed": response.get("Allow", ""),
                }
            answer = JsonResponse({"detail": detail, "errors": []}, status=response.status_code)
            if response.has_header("Allow"):
                answer["Allow"] = response["Allow"]
            return answer
        return response
