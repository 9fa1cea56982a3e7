"""Prints a new personal API token for a user, for scripts and scheduled jobs.

python manage.py create_api_token siti            # read-only
python manage.py create_api_token siti --write    # read-write

The token acts with exactly that user's permissions. Only its digest is stored:
copy it now, it cannot be shown again. Revoke it in the user's profile page.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.models.tokens import DEFAULT_DAYS, ApiToken


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--write", action="store_true", help="read-write (default: read-only)")
        parser.add_argument("--name", default="manage.py create_api_token", help="what the token is for")
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"valid for this many days (default {DEFAULT_DAYS}; 0: never expires)",
        )

    def handle(self, *args, username, write, name, days, **options):
        if days < 0:
            raise CommandError(_("--days cannot be negative."))
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user “%(name)s”.") % {"name": username})
        _row, token = ApiToken.issue(user, name=name[:100], can_write=write, days=days or None)
        self.stdout.write(token)
