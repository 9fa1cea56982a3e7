"""`manage.py rebuild_figures [--rad SLUG] [--stale]`: the figures kept on write (indicators/tallies/) computed
again from the entries, for one plan or (without --rad) every plan; each step says how many rows it wrote and how
long it took. The entry totals never need it to stay right (every write keeps them); it is for after a repair by
hand in the database, or to measure. The plans' stored figures (per year) follow the entry totals, which the
rollup reads; they move with the calendar too, so `--stale` (from cron just after midnight, docs/serving.md)
recomputes only the plans whose figures are behind their data or their calendar point, and runs no other step."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.tallies import entry_totals, plan_figures
from programs.management.rad import plan_from_option

# What is rebuilt, in order: (what it is, a function of the plans (None: every plan) → Rebuilt(rows, seconds)).
STEPS = [
    (gettext_lazy("Entry totals"), entry_totals.rebuild),
    (gettext_lazy("Stored figures of the plans (per year)"), plan_figures.rebuild_step),
]
# --stale: the steps that can rebuild only what is behind, and how (the others are kept on write, never behind)
STALE = {plan_figures.rebuild_step: plan_figures.rebuild_stale_step}


class Command(BaseCommand):
    help = "Rebuild the figures kept on write from the entries, for one plan (--rad) or every plan."

    def add_arguments(self, parser):
        parser.add_argument("--rad", metavar="SLUG", help="the plan's slug (default: every plan)")
        parser.add_argument("--stale", action="store_true", help="only the plans' stored figures that are behind")

    def handle(self, *args, rad: str | None = None, stale: bool = False, **options):
        plans = [plan_from_option(rad)] if rad else None
        for label, step in STEPS:
            if stale:
                if step not in STALE:
                    continue
                step = STALE[step]
            done = step(plans)
            self.stdout.write(
                _("%(step)s: %(rows)s rows in %(seconds).2f s.")
                % {"step": label, "rows": done.rows, "seconds": done.seconds}
            )
