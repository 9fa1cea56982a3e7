"""`manage.py copy_plan SLUG --years 2023-2027 --slug NEW [--carry-over] [--name "…"]`: the next plan of a regency."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.plans.copying import copy_plan, parse_years
from programs.management.rad import plan_from_option
from tptto_monitor.lib.numbers import format_number


class Command(BaseCommand):
    help = (
        "Copy a plan's structure (pillars, programs, activities, indicators) into a new draft plan of the same "
        "regency; with --carry-over each count and coverage target becomes what the old plan left unmet."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="SLUG", help="the plan to copy")
        parser.add_argument("--years", required=True, help="the new plan's years, e.g. 2023-2027")
        parser.add_argument("--slug", required=True, help="the new plan's slug")
        parser.add_argument("--carry-over", action="store_true", help="targets: what the old plan left unmet")
        parser.add_argument("--name", help="the new plan's name (default: the old one with the new years)")

    def handle(self, *args, source, years, slug, carry_over, name=None, **options):
        plan = plan_from_option(source)
        try:
            span = parse_years(years)
            new, carried = copy_plan(
                plan, code=slug, years=span, carry=carry_over, as_of=timezone.localdate(), name=name
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for row in carried:
            self.stdout.write(
                _("%(code)s: target %(target)s, reached %(actual)s → new target %(unmet)s")
                % {
                    "code": row.code,
                    "target": format_number(row.target),
                    "actual": format_number(row.actual),
                    "unmet": format_number(row.unmet),
                }
            )
        self.stdout.write(
            _("Created the draft plan “%(code)s” (%(start)s–%(end)s) with %(n)s indicators.")
            % {"code": new.code, "start": new.start_year, "end": new.end_year, "n": new.indicators.count()}
        )
