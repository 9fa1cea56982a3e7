"""The installable app (issue 17): its web app manifest and its service worker, from the app's own origin.

The service worker is built from npm packages (Workbox, idb) by `make assets` into
static/vendor/offline-sw.js and served here at /sw.js, so that its scope is the whole site (a script
under /static/ could only control /static/). Both answer without a session: the browser fetches the
manifest without cookies, and neither holds anything of anyone.
"""

import json

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from tptto_monitor.lib.plurals import plural_forms

SERVICE_WORKER = "vendor/offline-sw.js"


@login_not_required
@require_GET
def service_worker(request):
    path = finders.find(SERVICE_WORKER)
    if path is None:
        raise Http404("The service worker is not built: run make assets")
    with open(path, "rb") as script:
        response = HttpResponse(script.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # a new version reaches the phones at their next visit
    return response


@login_not_required
@require_GET
def manifest(request):
    """The web app manifest: the officer's page as the start (`/` leads an officer to My work)."""
    data = {
        "name": _("TPPO Monitor"),
        "short_name": _("TPPO"),
        "description": _("Progress of the action plan against trafficking in persons"),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b3d62",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def offline_text() -> dict:
    """The words of the page script (assets/offline.js) in the reader's language, given to it as JSON; a
    sentence with a count (%(n)s) as its plural forms (plural_forms), which the script reads with sayCount."""
    return {
        "saved_offline": _("Saved on this device. It is sent by itself when the connection returns."),
        "waiting": plural_forms(
            lambda n: ngettext("%(n)s entry waiting to be sent.", "%(n)s entries waiting to be sent.", n)
        ),
        "waiting_item": _("Waiting to be sent."),
        "refused_count": _("Refused by the server, to fix and send again: %(n)s."),
        "all_sent": _("Everything saved on this device has been sent."),
        "refused": _("Refused by the server:"),
        "fix": _("Fix and send again"),
        "server_error": _("The server could not take it now; it will be tried again."),
        "sign_in_again": _("Your session has ended: sign in again to send what is waiting."),
        "sign_out_warning": plural_forms(
            lambda n: ngettext(
                "%(n)s entry on this device has not been sent yet. Signing out deletes it from this device. "
                "Sign out anyway?",
                "%(n)s entries on this device have not been sent yet. Signing out deletes them from this device. "
                "Sign out anyway?",
                n,
            )
        ),
        "too_big": _("The file is too big (%(size)s); the limit is %(limit)s. Nothing was sent."),
        "bad_type": _("This file cannot be sent: attach a JPEG or PNG photo or a PDF (a HEIC photo cannot be read)."),
        "compressing": _("Making the photo smaller…"),
        "photo_done": _("Photo made smaller: %(before)s → %(after)s."),
        "uploading": _("Sending… %(percent)s %%"),
        "storage_full": _(
            "This device's storage is full, so the entry could not be kept on it. Free some space and save "
            "again: what you typed is still in the form."
        ),
    }
