"""URLs of the reports app. Each views module owns its own list of paths."""

from reports.views import dashboard, dataset, downloads

app_name = "reports"

urlpatterns = [*dashboard.urlpatterns, *downloads.urlpatterns]

# The analysis dataset (issue 12):
urlpatterns += dataset.urlpatterns
