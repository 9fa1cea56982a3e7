from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Dashboards and reports")

    def ready(self) -> None:
        from programs.signals import plan_data_changed
        from reports.built.dataset_files import schedule

        # a plan's files are built by a task once its data are quiet (reports.built)
        plan_data_changed.connect(schedule, dispatch_uid="reports.built.schedule")
