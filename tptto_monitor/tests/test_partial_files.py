"""A full disk leaves no partial file: stored files, exports and backups are written under a temporary name and
renamed only when complete; a sweep removes what an interrupted process left; /healthz says when the media
folder cannot take files.

The full disk is real to the writer: RLIMIT_FSIZE makes the kernel refuse every byte past a size (EFBIG), in the
middle of a write, as ENOSPC does when the disk fills."""

import contextlib
import datetime
import os
import resource
import signal
import time
from collections import namedtuple

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from tptto_monitor.lib import atomic

PDF_LIMIT = 50_000  # bytes: the plan's PDF summary is larger


@contextlib.contextmanager
def disk_full_after(size: int):
    """Writes past `size` bytes in any file fail, as on a disk that fills up during the write."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error from write(), not a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def everything_in(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def test_a_stored_file_that_does_not_fit_leaves_nothing(media):
    with disk_full_after(100_000), pytest.raises(OSError):
        default_storage.save("evidence/2026/12/laporan.pdf", ContentFile(b"%PDF" + b"x" * 300_000))
    assert everything_in(media) == []
    assert default_storage.save("evidence/2026/12/laporan.pdf", ContentFile(b"%PDF-1.4")) == (
        "evidence/2026/12/laporan.pdf"
    )
    assert everything_in(media) == ["evidence/2026/12/laporan.pdf"]
    assert (media / "evidence/2026/12/laporan.pdf").read_bytes() == b"%PDF-1.4"


def test_a_stored_file_never_replaces_one_of_the_same_name(media):
    first = default_storage.save("imports/a.xlsx", ContentFile(b"first"))
    second = default_storage.save("imports/a.xlsx", ContentFile(b"second"))
    assert first == "imports/a.xlsx" and second != first and second.startswith("imports/a_")
    assert (media / first).read_bytes() == b"first" and (media / second).read_bytes() == b"second"
    assert everything_in(media) == sorted([first, second])


@pytest.mark.django_db
def test_an_export_that_does_not_fit_leaves_no_half_file(plan, tmp_path):
    output = tmp_path / "out" / "summary.pdf"
    output.parent.mkdir()
    with disk_full_after(PDF_LIMIT), pytest.raises(CommandError, match="Cannot write"):
        call_command("export_summary", "--plan", "--format", "pdf", "--output", str(output))
    assert everything_in(tmp_path / "out") == []
    call_command("export_summary", "--plan", "--format", "pdf", "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF") and output.stat().st_size > PDF_LIMIT


def test_the_sweep_removes_old_temporary_files_only(media):
    folder = media / "evidence" / "2026"
    folder.mkdir(parents=True)
    old, fresh = folder / atomic.partial_name("a.pdf"), folder / atomic.partial_name("b.pdf")
    kept = [folder / "a.pdf", folder / ".a.pdf.part-notmine"]  # a real file; a name no writer makes
    for path in [old, fresh, *kept]:
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    for path in [old, kept[0], kept[1]]:
        os.utime(path, (two_hours_ago, two_hours_ago))
    call_command("sweep_partial_files")
    assert everything_in(media) == sorted(str(p.relative_to(media)) for p in [fresh, *kept])
    assert atomic.sweep_partial_files(media, datetime.timedelta(0)) == [fresh]


Usage = namedtuple("Usage", "total used free")


@pytest.mark.django_db
def test_healthz_says_when_the_media_folder_is_low_on_space(client, media, settings, monkeypatch):
    settings.MEDIA_MIN_FREE_MB = 500
    monkeypatch.setattr("tptto_monitor.health.shutil.disk_usage", lambda path: Usage(10**12, 10**12, 499 * 2**20))
    response = client.get("/healthz")
    body = response.json()  # beside the task queue's report (its own tests)
    assert (response.status_code, body["database"], body["cache"], body["media"]) == (503, "ok", "ok", "low on space")
    monkeypatch.setattr("tptto_monitor.health.shutil.disk_usage", lambda path: Usage(10**12, 10**12, 500 * 2**20))
    assert client.get("/healthz").status_code == 200
    assert everything_in(media) == []  # the probe file is gone


@pytest.mark.django_db
def test_healthz_says_when_the_media_folder_is_not_writable(client, settings, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"
    response = client.get("/healthz")
    assert (response.status_code, response.json()["media"]) == (503, "not writable")
