"""Loads a backup into an empty database after checking its manifest (tptto_monitor/backup.py).

python manage.py restore /var/backups/tppo/2026-11-30
python manage.py restore /var/backups/tppo/2026-11-30 --force    # replaces everything in the database
python manage.py restore /var/backups/tppo/2026-01-31 --unsigned # a backup of the first format (no signature)
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tptto_monitor.backup import BackupError, restore


class Command(BaseCommand):
    help = "Loads a backup made by `backup` into an empty database, checking its signature, checksums and counts."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the backup folder")
        parser.add_argument(
            "--force", action="store_true", help="empty a database that holds data first (everything in it is lost)"
        )

        parser.add_argument(
            "--unsigned",
            action="store_true",
            help="accept a backup of the first format, whose manifest has no signature (check where it came from)",
        )

    def handle(self, *args, folder, force, unsigned, **options):
        try:
            restored = restore(Path(folder), force=force, unsigned=unsigned)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(restored.counts.values())
        self.stdout.write(f"Restored {folder}: {rows:,} rows, {restored.files} evidence files.")
