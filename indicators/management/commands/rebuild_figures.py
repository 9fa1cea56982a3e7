"""`manage.py rebuild_figures [--rad SLUG]`: the figures kept on write (indicators/tallies/) computed again from
the entries, for one plan or (without --rad) every plan; each step says how many rows it wrote and how long it
took. The kept figures never need it to stay right (every write keeps them); it is for after a repair by hand
in the database, or to measure."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.tallies import entry_totals
from programs.management.rad import plan_from_option

# What is rebuilt, in order: (what it is, a function of the plans (None: every plan) → Rebuilt(rows, seconds)).
STEPS = [
    (gettext_lazy("Entry totals"), entry_totals.rebuild),
]


class Command(BaseCommand):
    help = "Rebuild the figures kept on write from the entries, for one plan (--rad) or every plan."

    def add_arguments(self, parser):
        parser.add_argument("--rad", metavar="SLUG", help="the plan's slug (default: every plan)")

    def handle(self, *args, rad: str | None = None, **options):
        plans = [plan_from_option(rad)] if rad else None
        for label, step in STEPS:
            done = step(plans)
            self.stdout.write(
                _("%(step)s: %(rows)s rows in %(seconds).2f s.")
                % {"step": label, "rows": done.rows, "seconds": done.seconds}
            )
