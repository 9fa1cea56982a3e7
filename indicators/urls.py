"""URLs of the indicators app. Each views module owns its own list of paths."""

from django.urls import path

from indicators.views import bulk, cockpit, entries, importing, jobs, narratives, plan, review, work

app_name = "indicators"

urlpatterns = [
    path("", plan.plan, name="plan"),
    path("indicators/<str:code>/", plan.indicator, name="indicator"),
]

# each views module owns its list of paths: progress entries, verification, import
urlpatterns += entries.urlpatterns + review.urlpatterns + importing.urlpatterns + jobs.urlpatterns

# entries in bulk: an officer's drafts, the verifier's batch (issue 18)
urlpatterns += bulk.urlpatterns

# the officer's own page (issue 17)
urlpatterns += work.urlpatterns

# The secretariat's cockpit (issue 13): completeness, data quality, follow-ups.
urlpatterns += cockpit.urlpatterns

# The secretariat's narrative of the annual report, per pillar and year (issue 21).
urlpatterns += narratives.urlpatterns
