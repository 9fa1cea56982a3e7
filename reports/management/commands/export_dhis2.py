"""Writes a year's official figures as a DHIS2 dataValueSet (JSON or CSV).

python manage.py export_dhis2 --year 2021 --format json --output ttu-2021.json
python manage.py export_dhis2 --year 2021 --format csv --output ttu-2021.csv --id-scheme uid

With --id-scheme uid every data element, org unit and combo must be mapped to a DHIS2
uid in the admin (DHIS2 mappings); by default the file uses our codes (idScheme=CODE).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.management.rad import add_rad_argument, plan_from_option
from reports.exchange import dhis2 as dhis2_export


class Command(BaseCommand):
    help = "Writes the official values of a year of the plan as a DHIS2 dataValueSet (JSON or CSV)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="a year of the plan, e.g. 2021")
        parser.add_argument("--format", dest="fmt", default="json", choices=dhis2_export.FORMATS)
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--id-scheme", default="code", choices=dhis2_export.SCHEMES, help="code (default) or uid")
        add_rad_argument(parser)

    def handle(self, *args, year, fmt, output, id_scheme, rad, **options):
        plan = plan_from_option(rad)
        try:
            content = dhis2_export.build(plan, year, fmt, id_scheme)
        except ValueError as error:
            raise CommandError(str(error)) from None
        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}") from exc
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes).")
        if fmt == "csv":
            self.stdout.write(
                f"Send it to DHIS2 with: POST /api/dataValueSets?idScheme={id_scheme.upper()} "
                "(Content-Type: application/csv)"
            )
