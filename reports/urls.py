"""URLs of the reports app. Each views module owns its own list of paths."""

from reports.views import dashboard, downloads

app_name = "reports"

urlpatterns = [*dashboard.urlpatterns, *downloads.urlpatterns]
