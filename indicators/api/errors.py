"""One error format for every 4xx of the API: `{"detail": "...", "errors": [{"field", "message"}]}`.

`detail` says what went wrong in a sentence; `errors` names each bad field (a dotted
path into the body or the query, e.g. `value` or `period`), empty when no single
field is at fault. Nothing is ever half-saved: every write runs in one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestInvalid

from indicators.workflow.services import StaleEntry, WorkflowError
from tptto_monitor.lib.limits import TooMany, too_many_changes

# entry model fields → the API's names for them
FIELD_NAMES = {"year": "period", "semester": "period", "confirm_duplicate": "allow_duplicate"}


class FieldError(Schema):
    field: str
    message: str


class Error(Schema):
    detail: str
    errors: list[FieldError]


# the statuses every operation may answer with an Error (declared in the schema)
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
# and the writes' (indicators/api/rates.py)
WRITE_ERRORS = {**ERRORS, 429: Error}


def body(detail: str, errors: list[tuple[str, str]] | None = None) -> dict:
    return {"detail": str(detail), "errors": [{"field": f, "message": str(m)} for f, m in errors or []]}


def _request_invalid(exc: RequestInvalid) -> list[tuple[str, str]]:
    errors = []
    for error in exc.errors:
        # loc is ("body", "payload", "value") or ("query", "year"): keep the part a caller wrote
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        kind = error.get("type", "")
        if kind == "extra_forbidden":
            message = _("Unknown field.")
        elif kind == "missing":
            message = _("This field is required.")
        else:
            message = error.get("msg", _("Invalid value."))
        errors.append((".".join(loc) or "body", message))
    return errors


def install(api) -> None:
    def handle(exc_class, status_for, build):
        api.add_exception_handler(
            exc_class, lambda request, exc: api.create_response(request, build(exc), status=status_for(exc))
        )

    handle(RequestInvalid, lambda exc: 422, lambda exc: body(_("The request is not valid."), _request_invalid(exc)))

    def invalid(request, exc: ValidationError):
        # a read (a figures GET with a bad period) saves nothing to begin with
        detail = (
            _("The request is not valid.")
            if request.method in ("GET", "HEAD")
            else _("The entry is not valid; nothing was saved.")
        )
        errors = [
            (FIELD_NAMES.get(name, name) if name != "__all__" else "", message)
            for name, messages in (exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}).items()
            for message in messages
        ]
        return api.create_response(request, body(detail, errors), status=422)

    api.add_exception_handler(ValidationError, invalid)
    handle(StaleEntry, lambda exc: 409, lambda exc: body(exc.message, [("version", exc.message)]))
    handle(WorkflowError, lambda exc: 409, lambda exc: body(exc.message))
    handle(PermissionDenied, lambda exc: 403, lambda exc: body(str(exc) or _("You are not allowed to do this.")))
    handle(Http404, lambda exc: 404, lambda exc: body(str(exc) or _("Not found.")))
    handle(HttpError, lambda exc: exc.status_code, lambda exc: body(_http_message(exc)))

    def too_many(request, exc: TooMany):
        response = api.create_response(request, body(too_many_changes(exc)), status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response

    api.add_exception_handler(TooMany, too_many)


def _http_message(exc: HttpError) -> str:
    if exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
        return _("The request body is not valid JSON.")
    return exc.message
