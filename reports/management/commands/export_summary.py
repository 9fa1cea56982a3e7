"""Writes an annual (or whole-plan) summary to a file, for scheduled jobs.

python manage.py export_summary --year 2021 --format pdf --output laporan-2021.pdf
python manage.py export_summary --plan --format xlsx --output rad.xlsx --language en
python manage.py export_summary --year 2021 --format docx --output laporan-2021.docx
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from programs.management.rad import add_rad_argument, plan_from_option
from reports.files import summary
from reports.management.output import write_output


class Command(BaseCommand):
    help = "Writes the annual summary of a year of the plan (or of the whole plan) as PDF, DOCX, XLSX or CSV."

    def add_arguments(self, parser):
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument("--year", type=int, help="a year of the plan, e.g. 2021")
        period.add_argument("--plan", action="store_true", help="the whole plan instead of one year")
        parser.add_argument("--format", dest="fmt", required=True, help="pdf, docx, xlsx or csv")
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--language", default="id", help="id (default) or en")
        add_rad_argument(parser)

    def handle(self, *args, year, plan, fmt, output, language, rad, **options):
        fmt = fmt.lower().lstrip(".")
        if fmt not in summary.FORMATS:
            raise CommandError(f"Unknown format {fmt!r}: choose one of {', '.join(summary.FORMATS)}.")
        if language not in summary.LANGUAGES:
            raise CommandError(f"Unknown language {language!r}: choose one of {', '.join(summary.LANGUAGES)}.")
        current = plan_from_option(rad)
        if year is not None and not current.contains_year(year):
            raise CommandError(
                f"The year {year} is outside the plan {current.code} ({current.start_year}–{current.end_year})."
            )
        content = summary.build(current, None if plan else year, fmt, language, as_of=timezone.localdate())
        path = write_output(output, content)
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes).")
