"""Delete the uploads left waiting for a confirmation longer than uploads.STALE_AFTER: run it hourly from cron
(README, "Pending uploads"); every upload sweeps its own folder too."""

from django.core.management.base import BaseCommand

from indicators.intake.uploads import ALL


class Command(BaseCommand):
    help = "Delete abandoned uploads (import and plan-file previews never confirmed or cancelled)."

    def handle(self, *args, **options):
        swept = sum(uploads.sweep() for uploads in ALL)
        self.stdout.write(f"{swept} abandoned upload(s) deleted.")
