"""Writes the plan as one IATI 2.03 activity with its results (official figures).

python manage.py export_iati --output rad-ttu-2018-2022.xml

The reporting organisation and activity identifier are settings (IATI_REPORTING_ORG_REF,
IATI_REPORTING_ORG_TYPE, IATI_REPORTING_ORG_NAME, IATI_ACTIVITY_IDENTIFIER).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from programs.management.rad import add_rad_argument, plan_from_option
from reports.exchange import iati
from reports.management.output import write_output


class Command(BaseCommand):
    help = "Writes the plan as one IATI 2.03 activity (results per program, indicators with targets and actuals)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="the XML file to write")
        add_rad_argument(parser)

    def handle(self, *args, output, rad, **options):
        plan = plan_from_option(rad)
        content = iati.build(plan, timezone.localdate())
        path = write_output(output, content)
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes): IATI activity {iati.activity_identifier(plan)}.")
