"""`manage.py import_plan FILE --regency CODE --years 2023-2027 --slug SLUG --name "…" [--dry-run]`.

A new draft plan from the plan file (docs/plan-format.md): all or nothing, every bad row and column named.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.plans.copying import parse_years
from indicators.plans.plan_import import check_plan, create_plan, parse_plan_file


class Command(BaseCommand):
    help = "Create a draft plan from a plan file (CSV or XLSX, docs/plan-format.md); nothing is created on an error."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--regency", required=True, help="the regency's Kemendagri code, e.g. 53.03")
        parser.add_argument("--years", required=True, help="the plan's years, e.g. 2023-2027")
        parser.add_argument("--slug", required=True, help="the new plan's slug")
        parser.add_argument("--name", required=True, help="the plan's name")
        parser.add_argument("--dry-run", action="store_true", help="check the file, create nothing")

    def handle(self, *args, file, regency, years, slug, name, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        try:
            span = parse_years(years)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        region, problems = check_plan(region_code=regency, code=slug, name=name, years=span)
        parsed = parse_plan_file(path.read_bytes(), years=span, region=region)
        lines = list(problems)
        for row, column, message in parsed.errors:
            where = _("Row %(row)s") % {"row": row} if row else _("The file")
            lines.append(f"{where}, {column}: {message}" if column else f"{where}: {message}")
        if lines:
            raise CommandError(_("Nothing was created.") + "\n" + "\n".join(lines))
        if dry_run:
            self.stdout.write(
                _("The file is correct: %(n)s indicators. Nothing was created (--dry-run).") % {"n": parsed.count}
            )
            self._say_agencies(parsed, _("Agencies the plan would add to the regency: %(codes)s."))
            return
        plan = create_plan(parsed, region=region, code=slug, name=name, years=span)
        self.stdout.write(
            _("Created the draft plan “%(code)s” (%(start)s–%(end)s) with %(n)s indicators.")
            % {"code": plan.code, "start": plan.start_year, "end": plan.end_year, "n": plan.indicators.count()}
        )
        self._say_agencies(parsed, _("Agencies added to the regency: %(codes)s."))

    def _say_agencies(self, parsed, text: str) -> None:
        if parsed.new_agencies:
            self.stdout.write(text % {"codes": ", ".join(sorted(parsed.new_agencies))})
