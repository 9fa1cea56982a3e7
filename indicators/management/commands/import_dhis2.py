"""Imports a DHIS2 dataValueSet (JSON or CSV) as progress entries; all values or none.

python manage.py import_dhis2 ttu-2021.json --dry-run
python manage.py import_dhis2 ttu-2021.json --status verified --user admin

Every bad value is named with its position in the file. Entries are recorded as created
(and, with --status verified, verified) by `--user`, by default the first active superuser.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.intake.dhis2 import STATUSES, Dhis2FileError, import_values
from indicators.models import EntryStatus
from programs.management.rad import add_rad_argument, plan_from_option


class Command(BaseCommand):
    help = "Import a DHIS2 dataValueSet (JSON or CSV) as progress entries; all values or none."

    def add_arguments(self, parser):
        parser.add_argument("file", help="DHIS2 dataValueSet, JSON or CSV")
        parser.add_argument("--dry-run", action="store_true", help="check every value, save nothing")
        parser.add_argument("--status", choices=list(STATUSES), default=EntryStatus.SUBMITTED)
        parser.add_argument("--user", metavar="USERNAME", help="who imports (default: the first active superuser)")
        add_rad_argument(parser)

    def handle(self, *args, file, dry_run, status, user, rad, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        plan = plan_from_option(rad)
        try:
            result = import_values(
                path.read_bytes(), plan=plan, user=self.importing_user(user), status=status, dry_run=dry_run
            )
        except Dhis2FileError as error:
            raise CommandError(str(error)) from None
        for problem in result.problems:
            self.stdout.write(_("ERROR %(problem)s") % {"problem": problem})
        if not result.ok:
            raise CommandError(
                _("%(bad)s problems in %(total)s data values; nothing was saved.")
                % {"bad": len(result.problems), "total": result.values}
            )
        if dry_run:
            self.stdout.write(
                _("Dry run: all %(total)s data values are good (%(entries)s entries); nothing was saved.")
                % {"total": result.values, "entries": len(result.entries)}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Saved %(count)s entries as %(status)s from %(total)s data values.")
                    % {"count": result.saved, "status": status, "total": result.values}
                )
            )

    def importing_user(self, username: str | None):
        User = get_user_model()
        if username:
            found = User.objects.filter(username=username, is_active=True).first()
            if found is None:
                raise CommandError(_("No active user “%(name)s”.") % {"name": username})
            return found
        found = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if found is None:
            raise CommandError(_("No active superuser: create one with `manage.py createsuperuser` or pass --user."))
        return found
