from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Action plan")

    def ready(self):
        from programs import permissions

        permissions.connect()  # a change of roles replaces the permissions tokens (programs/permissions.py)
