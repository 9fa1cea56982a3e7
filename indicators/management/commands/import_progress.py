"""Import progress entries from a spreadsheet (format: docs/import-format.md).

Same rules as the web import (indicators.intake.progress). Entries are recorded as
created by the administrator running it: `--user USERNAME`, or by default the
first active superuser; with `--status verified` that user is also recorded as
the one who verified them.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.intake.progress import ImportFileError, import_file
from indicators.models import EntryStatus
from programs.management.rad import add_rad_argument, plan_from_option
from programs.models import Agency


class Command(BaseCommand):
    help = "Import progress entries from a CSV or XLSX file; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8) or XLSX file")
        add_rad_argument(parser)
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")
        parser.add_argument("--agency", metavar="CODE", help="agency of every entry (default: each indicator's agency)")
        parser.add_argument(
            "--status",
            choices=[EntryStatus.SUBMITTED, EntryStatus.VERIFIED],
            default=EntryStatus.SUBMITTED,
            help="status of the imported entries (default: submitted)",
        )
        parser.add_argument("--user", metavar="USERNAME", help="who imports (default: the first active superuser)")
        parser.add_argument(
            "--explain-warnings",
            metavar="TEXT",
            default="",
            help="why the values the data checks flag are right (needed to save flagged rows; kept with them)",
        )

    def handle(self, *args, file, rad, dry_run, agency, status, user, explain_warnings, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        plan = plan_from_option(rad)
        agency_obj = None
        if agency:
            known = Agency.objects.by_code(plan.region)
            agency_obj = known.get(agency)
            if agency_obj is None:
                codes = ", ".join(sorted(known))
                raise CommandError(_("Unknown agency “%(code)s”. Known: %(codes)s.") % {"code": agency, "codes": codes})
        importer = self.importing_user(user)
        try:
            result = import_file(
                path.read_bytes(),
                plan=plan,
                user=importer,
                status=status,
                agency=agency_obj,
                dry_run=dry_run,
                warning_comment=explain_warnings,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None

        for row in result.rows:
            code = row.values.get("code", "")
            if row.ok:
                self.stdout.write(_("row %(row)s: OK (%(code)s)") % {"row": row.row, "code": code})
            for warning in row.warnings:
                self.stdout.write(_("row %(row)s: WARNING %(message)s") % {"row": row.row, "message": warning.message})
            for column, message in row.errors:
                where = column or _("row")
                self.stdout.write(
                    _("row %(row)s: ERROR %(column)s: %(message)s")
                    % {"row": row.row, "column": where, "message": message}
                )
        if not result.ok:
            raise CommandError(
                _("%(bad)s of %(total)s rows have errors; nothing was saved.")
                % {"bad": len(result.bad_rows), "total": len(result.rows)}
            )
        if result.needs_comment:
            raise CommandError(
                _(
                    "%(count)s rows are flagged by the data checks; nothing was saved. Check them and run again "
                    'with --explain-warnings "why the values are right".'
                )
                % {"count": len(result.warned_rows)}
            )
        if dry_run:
            self.stdout.write(
                _("Dry run: all %(total)s rows are good; nothing was saved.") % {"total": len(result.rows)}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Saved %(count)s entries as %(status)s.") % {"count": result.saved, "status": status}
                )
            )

    def importing_user(self, username: str | None):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(username=username, is_active=True)
            except User.DoesNotExist:
                raise CommandError(_("No active user “%(name)s”.") % {"name": username}) from None
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError(_("No active superuser: create one with `manage.py createsuperuser` or pass --user."))
        return user
