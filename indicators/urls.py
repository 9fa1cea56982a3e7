from django.urls import path

from indicators.views import importing, plan

app_name = "indicators"

urlpatterns = [
    path("", plan.plan, name="plan"),
    path("indicators/<str:code>/", plan.indicator, name="indicator"),
]

urlpatterns += importing.urlpatterns
