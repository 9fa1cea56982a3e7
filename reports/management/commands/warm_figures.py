"""`manage.py warm_figures`: every active plan's figures computed into the cache, and each province view's
columns for its default year stored (indicators.tallies.plan_figures), before the first reader asks.

A cached figure's key holds the semesters begun, not the day, so only the first page after a semester begins
computes afresh. Run it from cron after `rebuild_figures --stale` (and after a bulk import, if you like)
against the server's shared cache (CACHE_URL=redis://…): the first reader finds the figures ready.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from indicators.figures.rollup import cached_compute_many
from programs.models import Plan, Region
from reports.province import overview as province


class Command(BaseCommand):
    help = "Compute every active plan's figures and each province view into the cache (cron, after midnight)."

    def handle(self, *args, **options):
        backend = settings.CACHES["default"]["BACKEND"]
        if "locmem" in backend.lower() or "dummy" in backend.lower():
            self.stderr.write(
                _("The cache is this process's own memory (no CACHE_URL): the server will not see what this computes.")
            )
        as_of = timezone.localdate()
        plans = list(Plan.objects.filter(status=Plan.Status.ACTIVE).select_related("region"))
        cached_compute_many(plans, as_of=as_of)
        provinces = Region.objects.filter(
            level=Region.Level.PROVINSI, children__plan__status=Plan.Status.ACTIVE
        ).distinct()
        # a province view's columns are kept per language (their units and names): warm each
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                views = [province.build(region, None, as_of=as_of) for region in provinces]
        self.stdout.write(
            _("Figures of %(plans)s active plans and %(views)s province views are in the cache for %(day)s.")
            % {"plans": len(plans), "views": len(views), "day": as_of.isoformat()}
        )
