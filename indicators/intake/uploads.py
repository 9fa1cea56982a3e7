"""Uploads waiting for their confirmation: the progress import's and the plan upload's.

An upload is kept in the default storage under `<folder>/<uuid>` and listed in the uploader's session
with what she told about it, so the preview and the confirmation read the same bytes and nobody else's.

The disk they take is bounded. While an upload waits for its confirmation an empty mark names its uploader
(`<folder>/pending/<user id>/<uuid>`): one pending upload per session, and per person (however many
sessions she signs in with) at most PENDING_PER_USER files and PENDING_BYTES_PER_USER bytes: a new upload
pushes her oldest pending ones out. A confirmed upload handed to its job (`release`) loses its mark: the job
reads it outside any request, and a failed job keeps it for a retry. Pending uploads left for STALE_AFTER,
released ones for RELEASED_KEPT, are swept at every upload and by the hourly `manage.py sweep_uploads`.

Beside a pending upload its preview keeps the rows as it checked them (`keep_checked`, under
`<folder>/checked/<uuid>-<language>`, indicators.intake.checked), so that the preview's further pages read
them instead of checking every row again; they go with the upload.
"""

import datetime
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone

STALE_AFTER = datetime.timedelta(hours=2)  # a preview is read and confirmed within minutes
RELEASED_KEPT = datetime.timedelta(days=1)  # a failed import's file, for its retry
PENDING_PER_USER = 3
PENDING_BYTES_PER_USER = 25 * 1024 * 1024  # a few files at the import's size limit
PENDING = "pending"
CHECKED = "checked"
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

    def _path(self, token: uuid.UUID | str) -> str:
        return f"{self.folder}/{token}"

    def _mark(self, user_id: int, token: uuid.UUID | str) -> str:
        return f"{self.folder}/{PENDING}/{user_id}/{token}"

    def _checked(self, token: uuid.UUID | str, language: str) -> str:
        return f"{self.folder}/{CHECKED}/{token}-{language}"

    def keep_checked(self, token: uuid.UUID, language: str, data: bytes) -> None:
        """Keep the rows of the upload as its preview checked them, in `language` (the messages' language)."""
        path = self._checked(token, language)
        default_storage.delete(path)
        default_storage.save(path, ContentFile(data))

    def checked(self, token: uuid.UUID, language: str) -> bytes | None:
        try:
            with default_storage.open(self._checked(token, language), "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None

    def _forget_checked(self, token: uuid.UUID | str) -> None:
        for language, _name in settings.LANGUAGES:
            default_storage.delete(self._checked(token, language))

    def keep(self, request, data: bytes, details) -> uuid.UUID:
        """Store the bytes; one pending upload per session (a new one replaces the last), and the person's
        oldest pending uploads of other sessions pushed out beyond her quota."""
        self.sweep()
        for old in list(request.session.get(self.key, {})):
            self.forget(request, uuid.UUID(old))
        self._make_room(request.user.pk, len(data))
        token = uuid.uuid4()
        default_storage.save(self._path(token), ContentFile(data))
        default_storage.save(self._mark(request.user.pk, token), ContentFile(b""))
        request.session[self.key] = {**request.session.get(self.key, {}), str(token): details}
        return token

    def _make_room(self, user_id: int, size: int) -> None:
        try:
            _dirs, tokens = default_storage.listdir(f"{self.folder}/{PENDING}/{user_id}")
        except FileNotFoundError:
            return
        waiting = []
        for token in tokens:
            try:
                path = self._path(token)
                waiting.append((default_storage.get_modified_time(path), default_storage.size(path), token))
            except FileNotFoundError:
                default_storage.delete(self._mark(user_id, token))
        waiting.sort()
        while waiting and (
            len(waiting) >= PENDING_PER_USER or sum(w[1] for w in waiting) + size > PENDING_BYTES_PER_USER
        ):
            _time, _size, token = waiting.pop(0)
            default_storage.delete(self._path(token))
            default_storage.delete(self._mark(user_id, token))

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
        default_storage.delete(self._mark(request.user.pk, token))  # the job's now, not her pending upload

    def discard(self, token: uuid.UUID) -> None:
        default_storage.delete(self._path(token))
        self._forget_checked(token)

    def forget(self, request, token: uuid.UUID) -> None:
        uploads = request.session.get(self.key, {})
        uploads.pop(str(token), None)
        request.session[self.key] = uploads
        default_storage.delete(self._path(token))
        default_storage.delete(self._mark(request.user.pk, token))
        self._forget_checked(token)

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

    def sweep(self) -> int:
        """Delete pending uploads nobody confirmed or cancelled within STALE_AFTER (abandoned previews) and
        released ones older than RELEASED_KEPT; how many were deleted."""
        try:
            _dirs, files = default_storage.listdir(self.folder)
        except FileNotFoundError:
            return 0
        marks = self._marks()
        now = timezone.now()
        swept = 0
        for name in files:
            cutoff = now - (STALE_AFTER if name in marks else RELEASED_KEPT)
            try:
                if default_storage.get_modified_time(self._path(name)) < cutoff:
                    default_storage.delete(self._path(name))
                    swept += 1
            except (FileNotFoundError, NotImplementedError):
                continue
        for name, mark in marks.items():
            if not default_storage.exists(self._path(name)):
                default_storage.delete(mark)
        self._sweep_checked()
        return swept

    def _sweep_checked(self) -> None:
        """Delete the checked rows of uploads no longer kept."""
        try:
            _dirs, files = default_storage.listdir(f"{self.folder}/{CHECKED}")
        except FileNotFoundError:
            return
        for name in files:
            if not default_storage.exists(self._path(name.rsplit("-", 1)[0])):
                default_storage.delete(f"{self.folder}/{CHECKED}/{name}")

    def _marks(self) -> dict[str, str]:
        """token → its mark, for every pending upload of anyone."""
        try:
            users, _files = default_storage.listdir(f"{self.folder}/{PENDING}")
        except FileNotFoundError:
            return {}
        marks = {}
        for user_id in users:
            _dirs, tokens = default_storage.listdir(f"{self.folder}/{PENDING}/{user_id}")
            marks.update({token: self._mark(user_id, token) for token in tokens})
        return marks


# The progress import's uploads and the plan upload's (indicators.views.importing, .plan_upload, indicators.jobs).
PROGRESS_UPLOADS = SessionUploads(key="progress_imports", reading_key="progress_imports_reading", folder="imports")
PLAN_UPLOADS = SessionUploads(key="plan_imports", reading_key="plan_imports_reading", folder="plan-imports")
ALL = (PROGRESS_UPLOADS, PLAN_UPLOADS)
