"""Writes a backup of the database and the evidence files into a new folder (tptto_monitor/backup.py).

python manage.py backup --output /var/backups/tppo/2026-11-30
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tptto_monitor.backup import BackupError, backup


class Command(BaseCommand):
    help = "Writes the database (portable JSON) and the evidence files, with a manifest of counts and checksums."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="a new or empty folder")

    def handle(self, *args, output, **options):
        try:
            manifest = backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Wrote {output}: {rows:,} rows, {len(manifest['files'])} evidence files.")
