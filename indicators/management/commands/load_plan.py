from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from indicators.plans.loader import load_plan


class Command(BaseCommand):
    help = "Load the RAD plan, its agencies and the regency's kecamatan from fixtures/ (idempotent)."

    def handle(self, *args, **options):
        result = load_plan()
        if not result.changed:
            self.stdout.write(_("The plan is already loaded; nothing changed."))
            return
        for name, count in sorted(result.created.items()):
            self.stdout.write(_("created %(count)s %(name)s") % {"count": count, "name": name})
        for name, count in sorted(result.updated.items()):
            self.stdout.write(_("updated %(count)s %(name)s") % {"count": count, "name": name})
