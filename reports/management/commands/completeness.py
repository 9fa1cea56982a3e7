"""Writes the reporting completeness of a year (or of the whole plan) as CSV or XLSX.

python manage.py completeness --year 2021 --format csv --output completeness-2021.csv
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from indicators.figures.completeness import completeness, year_periods
from programs.management.rad import add_rad_argument, plan_from_option
from reports.files import completeness_files
from reports.management.output import write_output


class Command(BaseCommand):
    help = "Writes expected, received and on-time reports per agency and semester (CSV or XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="a year of the plan, e.g. 2021 (default: the whole plan)")
        parser.add_argument("--format", dest="fmt", required=True, help="csv or xlsx")
        add_rad_argument(parser)
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, help="judge deadlines on this day (YYYY-MM-DD; default today)"
        )

    def handle(self, *args, year, fmt, output, as_of, rad, **options):
        fmt = fmt.lower().lstrip(".")
        if fmt not in completeness_files.FORMATS:
            raise CommandError(f"Unknown format {fmt!r}: choose csv or xlsx.")
        plan = plan_from_option(rad)
        if year is not None and not plan.contains_year(year):
            raise CommandError(f"The year {year} is outside the plan {plan.code} ({plan.start_year}–{plan.end_year}).")
        result = completeness(plan, as_of=as_of or timezone.localdate(), periods=year_periods(plan, year))
        content = completeness_files.build(result, fmt)
        path = write_output(output, content)
        self.stdout.write(f"Wrote {path} ({len(result.flat())} rows).")
