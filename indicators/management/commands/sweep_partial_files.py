"""Removes the temporary files that interrupted writes left in MEDIA_ROOT (tptto_monitor/lib/atomic.py).

Every stored file is written under a hidden `.<name>.part-<hex>` name and renamed when complete; a process
killed part-way (or a full disk, if the error could not be cleaned up) leaves that temporary file. Run hourly:

0 * * * *  cd /srv/tppo && .venv/bin/python manage.py sweep_partial_files
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from tptto_monitor.lib.atomic import sweep_partial_files


class Command(BaseCommand):
    help = "Removes temporary files of interrupted writes from MEDIA_ROOT (older than --minutes, default 60)."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=60, help="leave files written more recently than this")

    def handle(self, *args, minutes, **options):
        removed = sweep_partial_files(Path(settings.MEDIA_ROOT), datetime.timedelta(minutes=minutes))
        self.stdout.write(f"Removed {len(removed)} temporary files.")
