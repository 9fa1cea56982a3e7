"""Writes a year's official figures as a DHIS2 dataValueSet (JSON or CSV), or the plan's
DHIS2 metadata package (data elements, categories, org units, the data set) to load first.

python manage.py export_dhis2 --metadata --output rad-ttu-metadata.json
python manage.py export_dhis2 --year 2021 --format json --output ttu-2021.json
python manage.py export_dhis2 --year 2021 --format csv --output ttu-2021.csv --id-scheme uid

With --id-scheme uid every data element, org unit and combo must be mapped to a DHIS2
uid in the admin (DHIS2 mappings); by default the file uses our codes (idScheme=CODE, given
to DHIS2 as the import's query parameter: the command prints the request).
"""

from django.core.management.base import BaseCommand, CommandError

from programs.management.rad import add_rad_argument, plan_from_option
from reports.exchange import dhis2 as dhis2_export
from reports.exchange import dhis2_metadata
from reports.management.output import write_output


class Command(BaseCommand):
    help = (
        "Writes the official values of a year of the plan as a DHIS2 dataValueSet (JSON or CSV), "
        "or with --metadata the plan's DHIS2 metadata package."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="a year of the plan, e.g. 2021 (for the data values)")
        parser.add_argument(
            "--metadata", action="store_true", help="write the metadata package (POST /api/metadata) instead"
        )
        parser.add_argument("--format", dest="fmt", default="json", choices=dhis2_export.FORMATS)
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--id-scheme", default="code", choices=dhis2_export.SCHEMES, help="code (default) or uid")
        add_rad_argument(parser)

    def handle(self, *args, year, metadata, fmt, output, id_scheme, rad, **options):
        plan = plan_from_option(rad)
        if metadata:
            content = dhis2_metadata.build_json(plan)
            request = "POST /api/metadata (Content-Type: application/json)"
        elif year is None:
            raise CommandError("Give --year for the data values, or --metadata for the metadata package.")
        else:
            try:
                content = dhis2_export.build(plan, year, fmt, id_scheme)
            except ValueError as error:
                raise CommandError(str(error)) from None
            request = dhis2_export.import_path(id_scheme, fmt)
        path = write_output(output, content)
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes).")
        self.stdout.write(f"Send it to DHIS2 with: {request}")
