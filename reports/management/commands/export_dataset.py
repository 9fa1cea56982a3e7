"""Writes the analysis dataset (tidy long format, docs/dataset.md) as CSV or XLSX.

python manage.py export_dataset --format csv --output rad-dataset.csv
python manage.py export_dataset --format xlsx --output rad-dataset.xlsx --language en
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from programs.management.rad import add_rad_argument, plan_from_option
from reports.exchange import dataset
from reports.management.output import write_output


class Command(BaseCommand):
    help = "Writes the analysis dataset (one row per indicator × period × area × disaggregation) as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--format", dest="fmt", required=True, choices=list(dataset.FORMATS))
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--language", default="id", choices=["id", "en"], help="of names and words (default id)")
        add_rad_argument(parser)

    def handle(self, *args, fmt, output, language, rad, **options):
        plan = plan_from_option(rad)
        content = dataset.build(plan, fmt, timezone.localdate(), language)
        path = write_output(output, content)
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes).")
