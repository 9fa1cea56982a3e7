"""Uploads waiting for their confirmation: the progress import's and the plan upload's.

An upload is kept in the default storage under `<folder>/<uuid>` and listed in the uploader's session
with what she told about it, so the preview and the confirmation read the same bytes and nobody else's.
"""

import datetime
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone

STALE_AFTER = datetime.timedelta(days=1)
# A reading still unfinished after this long died with its worker (killed, or past the server's timeout).
READING_DIED_AFTER = datetime.timedelta(minutes=2)


class ReadingUnfinished(Exception):
    """An earlier reading of this upload has not ended: it is still running, or it died."""

    def __init__(self, died: bool):
        self.died = died


@dataclass(frozen=True)
class SessionUploads:
    key: str  # session key: token → what the uploader told about the file (at least its name)
    reading_key: str  # session key: token → when its reading began
    folder: str  # where the files are kept in the default storage

    def _path(self, token: uuid.UUID) -> str:
        return f"{self.folder}/{token}"

    def keep(self, request, data: bytes, details) -> uuid.UUID:
        """Store the bytes; one pending upload per session, so a new one replaces the last."""
        self.sweep()
        for old in list(request.session.get(self.key, {})):
            self.forget(request, uuid.UUID(old))
        token = uuid.uuid4()
        default_storage.save(self._path(token), ContentFile(data))
        request.session[self.key] = {**request.session.get(self.key, {}), str(token): details}
        return token

    def get(self, request, token: uuid.UUID):
        """(details, bytes) of an upload of this session; 404 otherwise."""
        details = request.session.get(self.key, {}).get(str(token))
        if details is None or not default_storage.exists(self._path(token)):
            raise Http404("No such upload")
        with default_storage.open(self._path(token), "rb") as handle:
            return details, handle.read()

    def kept(self, token: uuid.UUID) -> bytes | None:
        """The bytes of a confirmed upload, for the job that works on it outside any request; None if gone."""
        try:
            with default_storage.open(self._path(token), "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None

    def release(self, request, token: uuid.UUID) -> None:
        """Hand a confirmed upload over to its job: off the session's list (a next upload no longer
        deletes it), the file kept until the job has read it."""
        uploads = request.session.get(self.key, {})
        uploads.pop(str(token), None)
        request.session[self.key] = uploads

    def discard(self, token: uuid.UUID) -> None:
        default_storage.delete(self._path(token))

    def forget(self, request, token: uuid.UUID) -> None:
        uploads = request.session.get(self.key, {})
        uploads.pop(str(token), None)
        request.session[self.key] = uploads
        default_storage.delete(self._path(token))

    @contextmanager
    def reading(self, request, token: uuid.UUID):
        """Note in the session, saved before the file is read, that this upload is being read.

        If the reading kills its worker, the note stays behind, and the next request for the upload
        raises ReadingUnfinished instead of reading it again and again (a reload loop of crashes).
        """
        reading = request.session.get(self.reading_key, {})
        started = reading.get(str(token))
        if started is not None:
            died = timezone.now() - datetime.datetime.fromisoformat(started) > READING_DIED_AFTER
            raise ReadingUnfinished(died)
        request.session[self.reading_key] = {**reading, str(token): timezone.now().isoformat()}
        request.session.save()
        try:
            yield
        finally:
            self.end_reading(request, token)

    def end_reading(self, request, token: uuid.UUID) -> None:
        reading = request.session.get(self.reading_key, {})
        reading.pop(str(token), None)
        request.session[self.reading_key] = reading

    def sweep(self) -> None:
        """Delete uploads nobody confirmed or cancelled within a day (abandoned previews)."""
        try:
            _dirs, files = default_storage.listdir(self.folder)
        except FileNotFoundError:
            return
        cutoff = timezone.now() - STALE_AFTER
        for name in files:
            try:
                if default_storage.get_modified_time(f"{self.folder}/{name}") < cutoff:
                    default_storage.delete(f"{self.folder}/{name}")
            except (FileNotFoundError, NotImplementedError):
                continue


# The progress import's uploads and the plan upload's (indicators.views.importing, .plan_upload, indicators.jobs).
PROGRESS_UPLOADS = SessionUploads(key="progress_imports", reading_key="progress_imports_reading", folder="imports")
PLAN_UPLOADS = SessionUploads(key="plan_imports", reading_key="plan_imports_reading", folder="plan-imports")
