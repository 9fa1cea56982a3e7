"""Backup and restore of the whole site: the database as portable JSON lines, and the evidence files.

A backup is a folder, readable by its owner only (0700, files 0600):

    manifest.json   what is in it: counts per model, the migrations, checksums of every file, and a signature
    data.jsonl      every row, one per line (Django's JSON serialisation), loadable into SQLite or PostgreSQL
    media/          the evidence files, under their stored names

It holds what the database holds: password hashes, API token digests, the sign-in log (usernames, addresses,
browsers), reminder addresses, the entries' narratives. It is written under a hidden temporary name beside the
target and renamed when complete, so a full disk never leaves a folder that looks like a backup.

The manifest is signed (HMAC-SHA256 with BACKUP_SIGNING_KEY, or SECRET_KEY): someone who edits a row and
recomputes the checksums cannot make a restore accept it without the key.

Every row keeps its id, content types and permissions included (the audit trail of
django-simple-history and the admin's log point at them), so a restore first removes the ones
that `migrate` made in the new database. Sessions are left out: everyone signs in again.

The dump reads one snapshot of the database (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite), so counts, rows and the list of files agree with each other.

A restore reads the rows one at a time (memory does not grow with the backup), and counts them in a first
pass, before anything is changed: a backup whose rows differ from its manifest is refused in seconds, not after
the load. Backups of the first format (`data.json`, one JSON array, unsigned) are read the same way.
"""

import contextlib
import datetime
import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.crypto import constant_time_compare

from tptto_monitor.lib import atomic

FORMAT = "tppo-backup/2"
FIRST_FORMAT = "tppo-backup/1"  # data.json (one JSON array), no signature: still restored, with --unsigned
DATA = "data.jsonl"
MEDIA = "media"
MANIFEST = "manifest.json"
# sessions, and the task queue's records (work to do or done, rebuilt by the next write: a restored queue
# would run old work again)
# the entries' totals are derived from the entries: a restore builds them again (indicators/tallies/entry_totals.py);
# so are the plans' stored figures: the restore's new data versions queue their recompute (tallies/plan_figures.py)
NOT_BACKED_UP = {
    "sessions.session",
    "django_tasks_database.dbtaskresult",
    "indicators.entrytotal",
    "indicators.planfigures",
    "indicators.semestertotal",
}
# `migrate` makes these in every database (ids may differ): a restore replaces them with the backup's.
MADE_BY_MIGRATIONS = ("auth.group", "auth.permission", "contenttypes.contenttype")
CHUNK = 1024 * 1024
LARGEST_ROW = 64 * 1024 * 1024  # a row of the first format's array longer than this is a damaged file
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600
SIGNATURE_SALT = "tptto_monitor.backup.manifest"


class BackupError(Exception):
    """Why a backup or a restore was refused; nothing was changed."""


def backed_up_models() -> list:
    return [m for m in apps.get_models() if m._meta.label_lower not in NOT_BACKED_UP]


def count_rows(models) -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in models}


def sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return _sha256_of(stream)


def _sha256_of(stream) -> str:
    digest = hashlib.sha256()
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
    missing = [folder for folder in target.parents if not folder.exists()]
    for folder in reversed(missing):  # each with its mode: mkdir(parents=True) gives the parents the umask's
        folder.mkdir(mode=PRIVATE_FOLDER)
    with default_storage.open(name, "rb") as source, _private_file(target) as copy:
        shutil.copyfileobj(source, copy, CHUNK)


def _private_file(path: Path):
    """A new file only its owner can read (0600 whatever the umask), open for writing in binary."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE), "wb")


# --- the manifest's signature --------------------------------------------------------------------


def _signing_keys() -> list[str]:
    """BACKUP_SIGNING_KEY when set (a key kept apart from the app servers' SECRET_KEY, the same wherever the
    backup is restored), else SECRET_KEY and its fallbacks."""
    if settings.BACKUP_SIGNING_KEY:
        return [settings.BACKUP_SIGNING_KEY]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def manifest_signature(manifest: dict, key: str | None = None) -> str:
    """The HMAC-SHA256 of the manifest's canonical JSON (everything but the signature itself)."""
    signed = {k: v for k, v in manifest.items() if k != "signature"}
    text = json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    signer = signing.Signer(key=key or _signing_keys()[0], salt=SIGNATURE_SALT, algorithm="sha256")
    return signer.signature(text)


def _signature_holds(manifest: dict) -> bool:
    given = manifest.get("signature")
    return isinstance(given, str) and any(
        constant_time_compare(given, manifest_signature(manifest, key)) for key in _signing_keys()
    )


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
    """Write a backup into `output` (a new or empty folder); return the manifest.

    The folder is written under a hidden temporary name beside `output` and renamed when complete."""
    output = Path(output)
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BackupError(f"{output} exists and is not an empty folder: choose a new one.")
    output.parent.mkdir(parents=True, exist_ok=True)
    work = output.with_name(atomic.partial_name(output.name))
    work.mkdir(mode=PRIVATE_FOLDER)
    try:
        manifest = _write_backup(work)
        os.replace(work, output)  # replaces an empty `output` folder
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    output.chmod(PRIVATE_FOLDER)
    return manifest


def _write_backup(folder: Path) -> dict:
    models = backed_up_models()
    _private_file(folder / DATA).close()  # dumpdata opens it again: it keeps its mode
    with snapshot():
        counts = count_rows(models)
        call_command(
            "dumpdata",
            *[m._meta.label for m in models],
            use_base_manager=True,
            format="jsonl-exact",  # one row per line; timestamps to the microsecond (Django's keeps milliseconds)
            output=str(folder / DATA),
            verbosity=0,
        )
        names = evidence_names()
        migrations = applied_migrations()
    files = []
    for name in names:
        target = folder / MEDIA / name
        _copy_from_storage(name, target)
        files.append({"name": name, "bytes": target.stat().st_size, "sha256": sha256(target)})
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "source_database": connection.vendor,
        "migrations": migrations,
        "data": {"name": DATA, "bytes": (folder / DATA).stat().st_size, "sha256": sha256(folder / DATA)},
        "counts": counts,
        "files": files,
    }
    manifest["signature"] = manifest_signature(manifest)
    with _private_file(folder / MANIFEST) as stream:
        stream.write((json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())
    return manifest


# --- restore -------------------------------------------------------------------------------------


@dataclass
class Restored:
    counts: dict[str, int]
    files: int


def read_manifest(folder: Path, *, unsigned: bool = False) -> dict:
    """The manifest, once its signature holds and every checksum and size in it matches the folder's files.

    A backup of the first format has no signature: it is read only when `unsigned` says its origin was checked.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} has no {MANIFEST}: is it a backup folder?") from None
    except ValueError:
        raise BackupError(f"{folder / MANIFEST} is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") not in (FORMAT, FIRST_FORMAT):
        raise BackupError(f"{folder / MANIFEST} is not a backup of this kind ({FORMAT}).")
    if manifest["format"] == FIRST_FORMAT:
        if not unsigned:
            raise BackupError(
                f"{folder} is a backup of the first format, whose manifest is not signed: check where it comes "
                "from, then restore it with --unsigned."
            )
    elif not _signature_holds(manifest):
        raise BackupError(
            f"The signature of {folder / MANIFEST} does not match: the manifest was edited, or this server's "
            "BACKUP_SIGNING_KEY (or SECRET_KEY) is not the one the backup was made with. Nothing was changed."
        )
    for item in [manifest["data"], *manifest["files"]]:
        path = folder / (item["name"] if item is manifest["data"] else Path(MEDIA, item["name"]))
        if not path.is_file():
            raise BackupError(f"{path} is missing from the backup.")
        if path.stat().st_size != item["bytes"] or sha256(path) != item["sha256"]:
            raise BackupError(f"{path} does not match its checksum in the manifest: the backup is damaged.")
    return manifest


def _json_lines(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def _json_array(path: Path) -> Iterator[dict]:
    """The items of a file holding one JSON array, read a block at a time (the first format's data.json)."""
    decoder = json.JSONDecoder()
    with path.open(encoding="utf-8") as stream:
        buffer, at, ended = "", 0, False

        def more() -> bool:
            nonlocal buffer, at, ended
            block = "" if ended else stream.read(CHUNK)
            ended = not block
            buffer, at = buffer[at:] + block, 0
            return bool(block)

        def next_char() -> str:
            nonlocal at
            while True:
                while at < len(buffer) and buffer[at] in " \t\r\n":
                    at += 1
                if at < len(buffer) or not more():
                    return buffer[at : at + 1]

        if next_char() != "[":
            raise BackupError(f"{path} does not hold a JSON array.")
        at += 1
        if next_char() == "]":
            return
        while True:
            next_char()
            while True:
                try:
                    item, at = decoder.raw_decode(buffer, at)
                    break
                except json.JSONDecodeError:
                    if len(buffer) - at > LARGEST_ROW or not more():
                        raise BackupError(f"{path} is not valid JSON.") from None
            yield item
            separator = next_char()
            if separator == "]":
                return
            if separator != ",":
                raise BackupError(f"{path} is not valid JSON.")
            at += 1


def records(folder: Path, manifest: dict) -> Iterator[dict]:
    """The backup's rows, one at a time, whatever its format."""
    path = folder / manifest["data"]["name"]
    return _json_array(path) if manifest["format"] == FIRST_FORMAT else _json_lines(path)


def _check_counts(folder: Path, manifest: dict, lines: Path | None = None) -> None:
    """Count the rows per model in one streaming pass and compare with the manifest, before anything is loaded.

    With `lines`, each row is also written there as one JSON line (a first-format backup, for loaddata)."""
    found: Counter = Counter()
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(lines.open("w", encoding="utf-8")) if lines else None
        for row in records(folder, manifest):
            found[row.get("model") if isinstance(row, dict) else None] += 1
            if out is not None:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    expected = {label: count for label, count in manifest["counts"].items() if count}
    wrong = sorted(str(k) for k in found.keys() | expected.keys() if found.get(k, 0) != expected.get(k, 0))
    if wrong:
        raise BackupError(
            f"The rows in {manifest['data']['name']} differ from the manifest's counts for: {', '.join(wrong)}. "
            "Nothing was changed."
        )


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
                same = _sha256_of(present) == item["sha256"]
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


def restore(folder: Path, *, force: bool = False, unsigned: bool = False) -> Restored:
    """Load a backup into this database, which must hold no data (unless `force`: then it is emptied).

    Everything is checked before anything changes: the signature, the checksums, and the rows counted against
    the manifest. Rows are read and saved one at a time, so memory does not grow with the backup."""
    folder = Path(folder)
    manifest = read_manifest(folder, unsigned=unsigned)
    with tempfile.TemporaryDirectory(prefix="tppo-restore-") as scratch:
        if manifest["format"] == FIRST_FORMAT:
            data = Path(scratch, "data.jsonl")  # loaddata reads JSON lines a row at a time, not a JSON array
            _check_counts(folder, manifest, lines=data)
        else:
            data = folder / manifest["data"]["name"]
            _check_counts(folder, manifest)
        return _load(folder, manifest, data, force)


def _load(folder: Path, manifest: dict, data: Path, force: bool) -> Restored:
    from django.contrib.contenttypes.models import ContentType

    from indicators.tallies import entry_totals
    from programs.models import Plan
    from programs.permissions import forget_all_permissions

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
            call_command("loaddata", str(data), verbosity=0)  # .jsonl: Django reads it a line at a time
            ContentType.objects.clear_cache()
            counts = count_rows(backed_up_models())
            wrong = sorted(
                k for k in counts.keys() | manifest["counts"].keys() if counts.get(k) != manifest["counts"].get(k)
            )
            if wrong:
                raise BackupError(f"After loading, the counts differ from the manifest for: {', '.join(wrong)}.")
            entry_totals.rebuild()  # the rows were loaded raw: no signal kept their totals
            # Figures cached under the old data versions (a shared Redis) must not be served.
            for plan_id in Plan.objects.values_list("pk", flat=True):
                Plan.bump_data_version(plan_id)
            # nor permissions kept in the processes under the profiles' tokens as they were (tptto_monitor.auth_backend)
            forget_all_permissions()
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    # Content types and permissions of models newer than the backup, if any, are made again.
    call_command("migrate", interactive=False, verbosity=0)
    return Restored(counts=counts, files=len(manifest["files"]))
