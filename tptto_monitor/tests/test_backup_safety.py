"""A backup is private, its manifest signed, and a restore checks everything before it changes anything: the
signature, the checksums, the rows counted against the manifest; it reads the rows one at a time, from backups
of both formats."""

import errno
import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tptto_monitor import backup as backups
from tptto_monitor.tests.servers import manage, server_env
from tptto_monitor.tests.test_backup import SIGNING_KEY, dump, signing_key, site_with_history  # noqa: F401

COUNT = "from indicators.models import ProgressEntry; print(ProgressEntry.objects.count())"


@pytest.fixture
def site(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return site_with_history(personas)


def fresh(tmp_path, **extra) -> dict:
    return server_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}", MEDIA_ROOT=str(tmp_path / "restored"), **extra
    )


def untouched(tmp_path) -> bool:
    """Refused before `migrate` ran: no table was made, no file was copied."""
    database = tmp_path / "fresh.sqlite3"
    return not (tmp_path / "restored").exists() and (not database.exists() or database.stat().st_size == 0)


def rewrite(folder: Path, change_data=None, change_manifest=None, sign: bool = False) -> None:
    """Edit a backup as someone who knows the format would: change the rows, recompute size and checksum."""
    manifest = json.loads((folder / "manifest.json").read_text())
    data = folder / manifest["data"]["name"]
    if change_data:
        data.write_text(change_data(data.read_text()))
        manifest["data"]["bytes"] = data.stat().st_size
        manifest["data"]["sha256"] = hashlib.sha256(data.read_bytes()).hexdigest()
    if change_manifest:
        change_manifest(manifest)
    if sign:
        manifest["signature"] = backups.manifest_signature(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.django_db
def test_a_backup_is_readable_by_its_owner_only(site, tmp_path):
    previous = os.umask(0o022)  # the usual umask, under which files come out world-readable
    try:
        call_command("backup", "--output", str(tmp_path / "backup"))
    finally:
        os.umask(previous)
    folder = tmp_path / "backup"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    modes = {str(path.relative_to(folder)): stat.S_IMODE(path.stat().st_mode) for path in folder.rglob("*")}
    assert modes["manifest.json"] == modes["data.jsonl"] == 0o600
    assert modes[f"media/{site[0].file.name}"] == 0o600
    assert set(modes.values()) == {0o600, 0o700}  # files 0600, folders 0700, nothing else
    assert not [p for p in tmp_path.iterdir() if ".part-" in p.name]  # no temporary folder left beside it


@pytest.mark.django_db
def test_a_backup_that_fails_half_way_leaves_no_folder(site, tmp_path, monkeypatch):
    def full(name, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_copy_from_storage", full)
    with pytest.raises(OSError, match="No space"):
        call_command("backup", "--output", str(tmp_path / "backup"))
    assert [p.name for p in tmp_path.iterdir()] == ["media"]


@pytest.mark.django_db
@pytest.mark.parametrize("edit", ["a value", "a count"])
def test_an_edited_manifest_is_refused_even_with_recomputed_checksums(site, tmp_path, edit):
    call_command("backup", "--output", str(tmp_path / "backup"))
    if edit == "a value":
        rewrite(
            tmp_path / "backup",
            change_data=lambda text: text.replace("Rapat koordinasi desa", "Rapat yang tidak pernah ada"),
        )
    else:
        rewrite(tmp_path / "backup", change_manifest=lambda m: m["counts"].update({"indicators.comment": 0}))
    with pytest.raises(AssertionError, match="signature of .* does not match: the manifest was edited"):
        manage(fresh(tmp_path), "restore", str(tmp_path / "backup"))
    assert untouched(tmp_path)


@pytest.mark.django_db
def test_the_signature_is_checked_with_the_backup_signing_key(site, tmp_path, monkeypatch):
    call_command("backup", "--output", str(tmp_path / "backup"))
    monkeypatch.setenv("BACKUP_SIGNING_KEY", "another-key")
    with pytest.raises(AssertionError, match="BACKUP_SIGNING_KEY .* is not the one the backup was made with"):
        manage(fresh(tmp_path), "restore", str(tmp_path / "backup"))
    monkeypatch.setenv("BACKUP_SIGNING_KEY", SIGNING_KEY)
    manage(fresh(tmp_path), "restore", str(tmp_path / "backup"))
    assert manage(fresh(tmp_path), "shell", "-c", COUNT).stdout.split()[-1] == "4"


@pytest.mark.django_db
def test_rows_that_differ_from_the_counts_are_refused_before_anything_is_loaded(site, tmp_path):
    """A signed manifest whose count is wrong (a dump cut short, a bug): found by counting, not after the load."""
    call_command("backup", "--output", str(tmp_path / "backup"))
    rewrite(
        tmp_path / "backup",
        change_manifest=lambda m: m["counts"].update({"indicators.progressentry": 5}),
        sign=True,
    )
    with pytest.raises(AssertionError, match="differ from the manifest's counts for: indicators.progressentry\\."):
        manage(fresh(tmp_path), "restore", str(tmp_path / "backup"))
    assert untouched(tmp_path)


def first_format_backup(folder: Path) -> None:
    """A backup as the first format wrote it: data.json (one JSON array), an unsigned manifest."""
    folder.mkdir()
    call_command("backup", "--output", str(folder / "new"))
    manifest = json.loads((folder / "new" / "manifest.json").read_text())
    rows = dump()
    (folder / "data.json").write_text(json.dumps(rows))  # one line, as Django's dumpdata writes it
    (folder / "new" / "media").rename(folder / "media")
    manifest.pop("signature")
    manifest["format"] = "tppo-backup/1"
    manifest["data"] = {
        "name": "data.json",
        "bytes": (folder / "data.json").stat().st_size,
        "sha256": hashlib.sha256((folder / "data.json").read_bytes()).hexdigest(),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    for path in sorted((folder / "new").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (folder / "new").rmdir()


@pytest.mark.django_db
def test_a_backup_of_the_first_format_is_restored_when_its_origin_is_vouched_for(site, tmp_path):
    first_format_backup(tmp_path / "old")
    with pytest.raises(AssertionError, match="first format, whose manifest is not signed.*--unsigned"):
        manage(fresh(tmp_path), "restore", str(tmp_path / "old"))
    assert untouched(tmp_path)
    manage(fresh(tmp_path), "restore", str(tmp_path / "old"), "--unsigned")
    assert manage(fresh(tmp_path), "shell", "-c", COUNT).stdout.split()[-1] == "4"
    restored = tmp_path / "restored" / site[0].file.name
    assert restored.read_bytes() == (tmp_path / "media" / site[0].file.name).read_bytes()


ROWS = [
    {"model": "a.b", "pk": 1, "fields": {"text": "koma, kurung ] dan { kurawal }", "n": 12345}},
    {"model": "a.b", "pk": 2, "fields": {"text": 'Ğünaydın — "kutip" \\ garis miring', "list": [1, [2, []]]}},
    {"model": "a.c", "pk": "x", "fields": {}},
]


@pytest.mark.parametrize("chunk", [1, 2, 7, 1024])
@pytest.mark.parametrize("indent", [None, 2])
def test_the_first_formats_array_is_read_a_block_at_a_time(tmp_path, monkeypatch, chunk, indent):
    monkeypatch.setattr(backups, "CHUNK", chunk)
    path = tmp_path / "data.json"
    path.write_text(json.dumps(ROWS, indent=indent, ensure_ascii=False))
    assert list(backups._json_array(path)) == ROWS
    path.write_text(" [ ] \n")
    assert list(backups._json_array(path)) == []


@pytest.mark.parametrize("text", ['{"model": "a.b"}', '[{"model": "a.b"} {"model": "a.c"}]', '[{"model": "a.b",'])
def test_a_damaged_array_is_refused(tmp_path, monkeypatch, text):
    monkeypatch.setattr(backups, "CHUNK", 4)
    path = tmp_path / "data.json"
    path.write_text(text)
    with pytest.raises(backups.BackupError):
        list(backups._json_array(path))


@pytest.mark.django_db
def test_restore_into_the_database_in_use_refuses_an_unsigned_backup(site, tmp_path):
    call_command("backup", "--output", str(tmp_path / "backup"))
    rewrite(tmp_path / "backup", change_manifest=lambda m: m.pop("signature"))
    with pytest.raises(CommandError, match="does not match"):
        call_command("restore", str(tmp_path / "backup"))
