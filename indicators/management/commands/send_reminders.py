"""Emails each agency's officers what is missing for a semester and what was returned to them,
and the verifiers a digest of the queue. For cron; see the README.

python manage.py send_reminders --semester 2021S2 --dry-run
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from indicators.workflow import reminders
from programs.management.rad import add_rad_argument, plan_from_option
from programs.models import Plan
from programs.periods import Period


class Command(BaseCommand):
    help = "Sends reminder emails: missing and returned entries to officers, a queue digest to verifiers."

    def add_arguments(self, parser):
        parser.add_argument("--semester", help="e.g. 2021S2 (default: the last semester that has ended)")
        parser.add_argument("--dry-run", action="store_true", help="print who would get what; send nothing")
        add_rad_argument(parser)
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="the day to judge deadlines on and to record the reminders for (YYYY-MM-DD; default today)",
        )

    def handle(self, *args, semester, dry_run, date, rad, **options):
        plan = plan_from_option(rad)
        today = date or timezone.localdate()
        period = self._period(plan, semester, today)
        found = reminders.reminders_for(plan, period, today)
        if dry_run:
            for reminder in found:
                self.stdout.write(
                    f"would send {reminder.kind} to {reminder.user.email} ({reminder.language}): {reminder.summary}"
                )
            self.stdout.write(f"{len(found)} reminders for {period}; nothing sent (--dry-run).")
            return
        outcome = reminders.send(found, today=today, site_url=settings.SITE_URL)
        for reminder in outcome.sent:
            self.stdout.write(f"sent {reminder.kind} to {reminder.user.email}")
        for reminder in outcome.skipped:
            self.stdout.write(f"already sent today: {reminder.kind} to {reminder.user.email}")
        for reminder, error in outcome.failed:
            self.stderr.write(f"FAILED {reminder.kind} to {reminder.user.email}: {error}")
        self.stdout.write(
            f"{period}: {len(outcome.sent)} sent, {len(outcome.skipped)} already sent, {len(outcome.failed)} failed."
        )
        if outcome.failed:
            raise CommandError(
                f"{len(outcome.failed)} of {len(found)} reminders could not be sent; run the command again to retry "
                "them (those delivered are not sent twice)."
            )

    def _period(self, plan: Plan, semester: str | None, today: datetime.date) -> Period:
        if not semester:
            return reminders.default_semester(plan, today)
        try:
            period = Period.parse(semester)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if period.semester is None:
            raise CommandError(f"Give a semester, like {period.year}S1 or {period.year}S2.")
        if not plan.contains_year(period.year):
            raise CommandError(f"{period} is outside the plan {plan.code} ({plan.start_year}–{plan.end_year}).")
        return period
