"""`manage.py export_plan [--rad SLUG] --output FILE.xlsx|FILE.csv [--start-year YEAR]`: a plan as the plan file
(docs/plan-format.md); with --start-year, as if it began that year (a starting point for a plan of other years)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.plans.plan_file import to_csv, to_xlsx
from programs.management.rad import add_rad_argument, plan_from_option
from tptto_monitor.lib import atomic


class Command(BaseCommand):
    help = "Write a plan as the plan file (one row per indicator), CSV or XLSX by the output's extension."

    def add_arguments(self, parser):
        add_rad_argument(parser)
        parser.add_argument("--output", required=True, metavar="FILE", help="FILE.xlsx or FILE.csv")
        parser.add_argument(
            "--start-year",
            type=int,
            metavar="YEAR",
            help="write the plan as if it began in YEAR: annual target columns and milestone due years move along",
        )

    def handle(self, *args, rad, output, start_year=None, **options):
        path = Path(output)
        writers = {".csv": to_csv, ".xlsx": to_xlsx}
        writer = writers.get(path.suffix.lower())
        if writer is None:
            raise CommandError(_("The output must end in .csv or .xlsx: %(name)s") % {"name": output})
        plan = plan_from_option(rad)
        if start_year is not None and not 1900 < start_year < 2200:
            raise CommandError(_("The start year must be a year such as 2023: %(year)s") % {"year": start_year})
        atomic.write_bytes(
            path, writer(plan, start_year - plan.start_year if start_year is not None else 0)
        )  # whole or not at all
        self.stdout.write(
            _("Wrote %(n)s indicators of “%(code)s” to %(name)s.")
            % {"n": plan.indicators.count(), "code": plan.code, "name": output}
        )
