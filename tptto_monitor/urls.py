from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from indicators.api.v1 import urls as api_v1_urls
from indicators.views import tokens as api_tokens
from programs.admin_scope import view_on_site
from tptto_monitor import accounts, pwa

# a translated page (JSON under /api/), 503 with Retry-After when the database is lost (tptto_monitor/errors.py)
handler500 = "tptto_monitor.errors.handler500"

admin.site.site_header = "TPPO Monitor"
admin.site.site_title = "TPPO Monitor"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Every user changes her own password; a forgotten one is reset through a link sent by e-mail (EMAIL_URL).
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # at most a few reset e-mails an hour per address and per client (tptto_monitor.accounts)
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # the installable app: its service worker at the root (its scope is the whole site) and its manifest
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    # The language switch also works on the sign-in page.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # before the admin's own: its "view on site" redirect, for the rows of the administrator's regency only
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("api/v1/", api_v1_urls()),
    # a person's own API tokens: not a plan's page
    *api_tokens.urlpatterns,
    # a new plan from a plan file (administrators): not a page of an existing plan
    path("plans/new/", include("indicators.views.plan_upload")),
    # a regency's people, and inviting one (administrators)
    path("people/", include("indicators.views.people")),
    # every page of a plan lives under its slug: /rad/rad-ttu-2018-2022/dashboard/
    path("rad/<slug:rad>/", include("indicators.urls")),
    path("rad/<slug:rad>/", include("reports.urls")),
    path("", include("reports.views.province")),
    path("", include("reports.views.national")),
    path("", include("programs.views")),
]
