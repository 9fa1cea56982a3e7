"""URLs of the indicators app. Each views module owns its own list of paths."""

from django.urls import path

from indicators.views import cockpit, entries, importing, plan, review

app_name = "indicators"

urlpatterns = [
    path("", plan.plan, name="plan"),
    path("indicators/<str:code>/", plan.indicator, name="indicator"),
]

# Progress entry, verification and import pages (issue 3) are appended here:
# urlpatterns += entries.urlpatterns + review.urlpatterns + importing.urlpatterns
urlpatterns += entries.urlpatterns + review.urlpatterns + importing.urlpatterns

# The secretariat's cockpit (issue 13): completeness, data quality, follow-ups.
urlpatterns += cockpit.urlpatterns
