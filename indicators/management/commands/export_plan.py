"""`manage.py export_plan [--rad SLUG] --output FILE.xlsx|FILE.csv`: a plan as the plan file (docs/plan-format.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.plan_file import to_csv, to_xlsx
from programs.management.rad import add_rad_argument, plan_from_option


class Command(BaseCommand):
    help = "Write a plan as the plan file (one row per indicator), CSV or XLSX by the output's extension."

    def add_arguments(self, parser):
        add_rad_argument(parser)
        parser.add_argument("--output", required=True, metavar="FILE", help="FILE.xlsx or FILE.csv")

    def handle(self, *args, rad, output, **options):
        path = Path(output)
        writers = {".csv": to_csv, ".xlsx": to_xlsx}
        writer = writers.get(path.suffix.lower())
        if writer is None:
            raise CommandError(_("The output must end in .csv or .xlsx: %(name)s") % {"name": output})
        plan = plan_from_option(rad)
        path.write_bytes(writer(plan))
        self.stdout.write(
            _("Wrote %(n)s indicators of “%(code)s” to %(name)s.")
            % {"n": plan.indicators.count(), "code": plan.code, "name": output}
        )
