"""Backup and restore of the whole site: the database as portable JSON, and the evidence files.

A backup is a folder:

    manifest.json   what is in it: counts per model, the migrations, checksums of every file
    data.json       every row (Django's JSON serialisation), loadable into SQLite or PostgreSQL
    media/          the evidence files, under their stored names

Every row keeps its id, content types and permissions included (the audit trail of
django-simple-history and the admin's log point at them), so a restore first removes the ones
that `migrate` made in the new database. Sessions are left out: everyone signs in again.

The dump reads one snapshot of the database (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite), so counts, rows and the list of files agree with each other.
"""

import contextlib
import datetime
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from tptto_monitor import exact_json

FORMAT = "tppo-backup/1"
DATA = "data.json"
MEDIA = "media"
MANIFEST = "manifest.json"
NOT_BACKED_UP = {"sessions.session"}
# `migrate` makes these in every database (ids may differ): a restore replaces them with the backup's.
MADE_BY_MIGRATIONS = ("auth.group", "auth.permission", "contenttypes.contenttype")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Why a backup or a restore was refused; nothing was changed."""


def backed_up_models() -> list:
    return [m for m in apps.get_models() if m._meta.label_lower not in NOT_BACKED_UP]


def count_rows(models) -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in models}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def evidence_names() -> list[str]:
    from indicators.models import Evidence

    return sorted(name for name in Evidence.objects.values_list("file", flat=True) if name)


def _copy_from_storage(name: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with default_storage.open(name, "rb") as source, target.open("wb") as copy:
        shutil.copyfileobj(source, copy, CHUNK)


@contextlib.contextmanager
def snapshot():
    """Reads of one consistent state of the whole database.

    On PostgreSQL the isolation level must be the transaction's first statement, so it is set
    only when this opens the transaction (not inside one, as in tests).
    """
    opens = connection.get_autocommit()
    with transaction.atomic():
        if opens and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def backup(output: Path) -> dict:
    """Write a backup into `output` (a new or empty folder); return the manifest."""
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BackupError(f"{output} exists and is not an empty folder: choose a new one.")
    output.mkdir(parents=True, exist_ok=True)
    models = backed_up_models()
    with snapshot():
        counts = count_rows(models)
        call_command(
            "dumpdata",
            *[m._meta.label for m in models],
            use_base_manager=True,
            format=exact_json.FORMAT,  # timestamps to the microsecond (Django's JSON keeps milliseconds)
            output=str(output / DATA),
            verbosity=0,
        )
        names = evidence_names()
        migrations = applied_migrations()
    files = []
    for name in names:
        target = output / MEDIA / name
        _copy_from_storage(name, target)
        files.append({"name": name, "bytes": target.stat().st_size, "sha256": sha256(target)})
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "source_database": connection.vendor,
        "migrations": migrations,
        "data": {"name": DATA, "bytes": (output / DATA).stat().st_size, "sha256": sha256(output / DATA)},
        "counts": counts,
        "files": files,
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


# --- restore -------------------------------------------------------------------------------------


@dataclass
class Restored:
    counts: dict[str, int]
    files: int


def read_manifest(folder: Path) -> dict:
    """The manifest, once every checksum and size in it matches the folder's files."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} has no {MANIFEST}: is it a backup folder?") from None
    except ValueError:
        raise BackupError(f"{folder / MANIFEST} is not valid JSON.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder / MANIFEST} is not a backup of this kind ({FORMAT}).")
    for item in [manifest["data"], *manifest["files"]]:
        path = folder / (item["name"] if item is manifest["data"] else Path(MEDIA, item["name"]))
        if not path.is_file():
            raise BackupError(f"{path} is missing from the backup.")
        if path.stat().st_size != item["bytes"] or sha256(path) != item["sha256"]:
            raise BackupError(f"{path} does not match its checksum in the manifest: the backup is damaged.")
    return manifest


def _check_migrations(manifest: dict) -> None:
    applied = applied_migrations()
    missing = [f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names]
    missing = [m for m in missing if m.split(".", 1)[1] not in applied.get(m.split(".", 1)[0], [])]
    if missing:
        raise BackupError(
            "The backup was made by a newer version of the app (migrations "
            + ", ".join(missing[:5])
            + " are not known here): install that version first."
        )


def rows_in_the_way() -> dict[str, int]:
    """Rows the database holds besides what `migrate` makes: a restore would mix them up."""
    found = {}
    for model in backed_up_models():
        label = model._meta.label_lower
        if label not in MADE_BY_MIGRATIONS:
            count = model._base_manager.count()
            if count:
                found[label] = count
    return found


def _put_files(folder: Path, manifest: dict, force: bool) -> list[str]:
    """Copy the evidence into the storage; a different file under the same name is refused unless forced."""
    written = []
    for item in manifest["files"]:
        name, source = item["name"], folder / MEDIA / item["name"]
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as present:
                same = hashlib.sha256(present.read()).hexdigest() == item["sha256"]
            if same:
                continue
            if not force:
                raise BackupError(f"{name} already exists in MEDIA_ROOT with other content (use --force to replace).")
            default_storage.delete(name)
        with source.open("rb") as stream:
            stored = default_storage.save(name, stream)
        if stored != name:
            raise BackupError(f"{name} was stored as {stored}: MEDIA_ROOT is not writable as expected.")
        written.append(name)
    return written


def restore(folder: Path, *, force: bool = False) -> Restored:
    """Load a backup into this database, which must hold no data (unless `force`: then it is emptied)."""
    from django.contrib.contenttypes.models import ContentType

    from programs.models import Plan

    manifest = read_manifest(folder)
    call_command("migrate", interactive=False, verbosity=0)
    _check_migrations(manifest)
    in_the_way = rows_in_the_way()
    if in_the_way and not force:
        listed = ", ".join(f"{label} ({count})" for label, count in sorted(in_the_way.items()))
        raise BackupError(
            f"The database is not empty: {listed}. Restore into an empty database, or use --force to replace "
            "everything in it."
        )
    written = _put_files(folder, manifest, force)
    try:
        with transaction.atomic():
            if in_the_way:
                call_command("flush", interactive=False, verbosity=0)
            for label in MADE_BY_MIGRATIONS:
                apps.get_model(label)._default_manager.all().delete()
            call_command("loaddata", str(folder / manifest["data"]["name"]), verbosity=0)
            ContentType.objects.clear_cache()
            counts = count_rows(backed_up_models())
            wrong = sorted(
                k for k in counts.keys() | manifest["counts"].keys() if counts.get(k) != manifest["counts"].get(k)
            )
            if wrong:
                raise BackupError(f"After loading, the counts differ from the manifest for: {', '.join(wrong)}.")
            # Figures cached under the old data versions (a shared Redis) must not be served.
            for plan_id in Plan.objects.values_list("pk", flat=True):
                Plan.bump_data_version(plan_id)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    # Content types and permissions of models newer than the backup, if any, are made again.
    call_command("migrate", interactive=False, verbosity=0)
    return Restored(counts=counts, files=len(manifest["files"]))
