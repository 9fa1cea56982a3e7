"""The media storage: Django's file system storage, but a file appears under its name only once complete.

Django's own writes straight into the final name, so a full disk left a half evidence PDF or a 0-byte pending
upload that a reader would be served, and that nothing removed. Here the bytes go to a hidden temporary name in
the same folder (tptto_monitor/lib/atomic.py), which is linked to the real name when complete (a link, not a
rename: it refuses a name that exists, as Django's O_EXCL open does) and removed on any error.
`manage.py sweep_partial_files` removes what a killed process left.
"""

import contextlib
import os
import posixpath

from django.core.files.storage import FileSystemStorage

from tptto_monitor.lib import atomic


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        folder, base = posixpath.split(name)
        part = posixpath.join(folder, atomic.partial_name(base))
        try:
            part = super()._save(part, content)
            while True:
                try:
                    os.link(self.path(part), self.path(name))
                except FileExistsError:
                    name = self.get_available_name(name)
                else:
                    return name
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path(part))
