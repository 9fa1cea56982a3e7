"""Writes the analysis dataset (tidy long format, docs/dataset.md) as CSV or XLSX.

python manage.py export_dataset --format csv --output rad-dataset.csv
python manage.py export_dataset --format xlsx --output rad-dataset.xlsx --language en
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from programs.management.rad import add_rad_argument, plan_from_option
from reports.exchange import dataset
from tptto_monitor.lib import atomic


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
        path = Path(output)
        try:
            atomic.write_bytes(path, content)  # whole or not at all
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}") from exc
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes).")
