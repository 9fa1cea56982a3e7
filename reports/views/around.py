"""The page around the content: what base.html shows of its reader and of the page, and a cached page kept whole
around its content.

`context(request)` is what every template's page around shows besides the user and the language (the context
processor tptto_monitor.context_processors.site hands it on): the demo banner, the plan in view, the navigation's
links to the province and national views. `shell_key(request)` digests what the kept parts of base.html
({% cache %}) show: the reader (her name, staff status, permissions), the page (its view, its plan) and the
navigation's links. A part of the page around that shows something more must add it there.

`render(request, template, title, content)`: a dashboard (or a view over many plans) shows the same content to every
reader until the figures change (reports.dashboards.page_cache keeps it). The page around it is rendered once per
reader, address and language with markers in place of the title, the content and the CSRF token, and kept in this
process (CACHES["template_fragments"]); each request fills them in, with a CSRF token masked anew. A page with a
message to show is rendered whole (a message is shown once, and is not kept).
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from indicators.models import ProgressEntry
from programs.access import is_national
from reports.dashboards.page_cache import release
from reports.province.overview import provinces_for

KEEP_SECONDS = 3600
# markers of this process's own (unguessable: nothing a user types can make one) for what each request fills in
MARK = f"@@around-{secrets.token_hex(8)}-"
SLOT = re.compile(re.escape(MARK) + r"(title|content|csrf)@@")


def context(request) -> dict:
    """What the page around shows of the page and the site: the demo banner, the plan in view, the navigation's
    links; `shell_key` (called only where base.html asks for it). Worked out once a request."""
    if hasattr(request, "_around"):
        return request._around
    demo = False
    # demo entries can only be made in demo mode (seed_demo refuses otherwise): production skips the query
    if settings.DEMO_MODE and request.user.is_authenticated:
        demo = ProgressEntry.objects.filter(is_demo=True).exists()
    shown = {"demo_data": demo, "debug": settings.DEBUG}
    # the plan of a /rad/<slug>/ page (programs.access.plan_page): the templates' links and the footer name it
    plan = getattr(request, "plan", None)
    if plan is not None:
        shown["plan"] = plan
    shown["province_codes"] = _province_codes(request, plan)
    shown["national_reader"] = _national_reader(request)
    shown["shell_key"] = functools.partial(shell_key, request)
    request._around = shown
    return shown


def links_to_province(request, code: str) -> None:
    """The navigation of a province's page links to that province (whoever reads it: the country's people too)."""
    request.province_shown = code
    request.__dict__.pop("_around", None)
    request.__dict__.pop("_shell_key", None)


def shell_key(request) -> str:
    """A digest of everything the kept parts of base.html show besides the language: the reader (her name, staff
    status and permissions), the page (its view and plan) and the navigation's links."""
    if hasattr(request, "_shell_key"):
        return request._shell_key
    shown = context(request)
    user, plan = request.user, shown.get("plan")
    match = getattr(request, "resolver_match", None)
    parts = [match.view_name if match else "", shown["national_reader"], ",".join(shown["province_codes"])]
    if plan is not None:
        parts += [plan.pk, plan.code, plan.status, plan.region.name]
    if user.is_authenticated:
        parts += [user.pk, user.username, user.get_full_name(), user.is_staff, user.is_superuser]
        parts += sorted(user.get_all_permissions())
    request._shell_key = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return request._shell_key


def render(request, template: str, title: str, content: str) -> HttpResponse:
    """`template` (extending base.html, showing `title` and `content`) around a title and content that are the
    same for every reader: the page around them kept per reader, address and language (see the module)."""
    if len(messages.get_messages(request)):  # counted, not read: they are still shown on this page
        return HttpResponse(render_to_string(template, {"title": title, "content": content}, request))
    fragments = caches["template_fragments"]
    key = _page_key(request, template)
    pieces = fragments.get(key)
    if pieces is None:
        marked = {name: f"{MARK}{name}@@" for name in ("title", "content")}
        html = render_to_string(template, {**marked, "csrf_token": f"{MARK}csrf@@"}, request)
        pieces = SLOT.split(html)  # text, slot name, text, slot name … text
        if pieces[1::2].count("title") != 1 or pieces[1::2].count("content") != 1:
            raise ValueError(f"{template} must show its title and content once each")
        fragments.set(key, pieces, KEEP_SECONDS)
    filled = {"title": title, "content": content}
    if "csrf" in pieces[1::2]:
        filled["csrf"] = get_token(request)  # one token a page, masked anew, as the template's own csrf_token is
    return HttpResponse("".join(filled[piece] if i % 2 else piece for i, piece in enumerate(pieces)))


def _page_key(request, template: str) -> str:
    """What the page around a content shows: base.html's kept parts (shell_key), the banners, the language, the
    address (the language form returns to it), the release of the templates."""
    shown = context(request)
    parts = (release(), template, get_language(), request.get_full_path(), shell_key(request), shown["demo_data"])
    return "around:" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def _national_reader(request) -> bool:
    """Whether the navigation links to the national view: a superuser's on every page; the country's people's on
    the list of plans and the national page (their profile comes with their user: no query)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in ("programs:plans", "national:national"):
        return is_national(user)
    return False


def _province_codes(request, plan) -> list[str]:
    """The provinces whose view the navigation links to: on a province's page, that province (links_to_province); a
    superuser's on a plan page (the Kemendagri code's first part, no query); on the list of plans, those the user may
    read (one query, that page only)."""
    user = request.user
    if not user.is_authenticated:
        return []
    if getattr(request, "province_shown", None):
        return [request.province_shown]
    if plan is not None and user.is_superuser:
        return [plan.region.code.split(".")[0]]
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "programs:plans":
        return list(provinces_for(user).values_list("code", flat=True))
    return []
