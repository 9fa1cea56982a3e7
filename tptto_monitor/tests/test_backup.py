"""backup → restore into a fresh database → the same rows, summaries, audit trail and evidence bytes."""

import datetime
import hashlib
import io
import json
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from indicators.models import Evidence, ProgressEntry, Target
from indicators.tests.entries_helpers import PDF_BYTES, PNG_BYTES, make_entry
from indicators.workflow import services
from tptto_monitor.backup import backed_up_models
from tptto_monitor.tests.servers import manage, server_env

SUMMARIES = [("--year", "2021", "csv"), ("--plan", None, "csv")]
SIGNING_KEY = "backup-signing-key-of-the-tests"


@pytest.fixture(autouse=True)
def signing_key(settings, monkeypatch):
    """The same manifest key here and in the restoring process (which would otherwise use its own SECRET_KEY)."""
    settings.BACKUP_SIGNING_KEY = SIGNING_KEY
    monkeypatch.setenv("BACKUP_SIGNING_KEY", SIGNING_KEY)


def site_with_history(personas) -> list[Evidence]:
    """Entries through the whole workflow (so the audit trail has rows), a target edit, a comment, evidence."""
    officer, verifier = personas["officer_a"], personas["verifier"]
    verified = make_entry("1.a.1.1", "2021S1", officer, value=300, male=120, female=180)
    services.submit_entry(user=officer, entry=verified)
    services.verify_entry(user=verifier, entry=verified)
    returned = make_entry("1.a.2.1", "2021S2", officer, value=4, narrative="Rapat koordinasi desa")
    services.submit_entry(user=officer, entry=returned)
    services.return_entry(user=verifier, entry=returned, reason="Lampirkan daftar hadir.")
    reopened = make_entry("1.a.1.1", "2019S2", officer, value=50)
    services.submit_entry(user=officer, entry=reopened)
    services.verify_entry(user=verifier, entry=reopened)
    services.reopen_entry(user=verifier, entry=reopened, reason="Angka salah.")
    services.resubmit_entry(user=officer, entry=reopened, answer="Angka sudah dicek.")
    services.verify_entry(user=verifier, entry=reopened)
    target = Target.objects.get(indicator__code="1.a.1.1", year=2021)
    target.value = 400
    target.save()
    services.add_comment(user=personas["reviewer"], entry=verified, text="Bagus.")
    draft = make_entry("1.a.2.1", "2020S1", officer, value=2)
    # within a millisecond of a whole second: Django's own JSON writes it as ".000" and a restore lost it
    ProgressEntry.objects.filter(pk=reopened.pk).update(
        updated_at=datetime.datetime(2021, 7, 1, 3, 4, 5, 400, tzinfo=datetime.UTC)
    )
    pdf = PDF_BYTES + uuid.uuid4().bytes  # bytes no other file has
    return [
        services.add_evidence(user=officer, entry=draft, upload=SimpleUploadedFile("daftar hadir.pdf", pdf)),
        services.add_evidence(user=officer, entry=draft, upload=SimpleUploadedFile("foto.png", PNG_BYTES)),
    ]


def dump() -> list[dict]:
    out = io.StringIO()
    call_command(
        "dumpdata", *[m._meta.label for m in backed_up_models()], use_base_manager=True, format="json-exact", stdout=out
    )
    return json.loads(out.getvalue())


def without_data_version(rows: list[dict]) -> list[dict]:
    """A restore moves the plan's data version on (so no cached figure of before is served) and the staff
    profiles' permissions tokens (no permissions kept from before are used); all else is equal."""
    for row in rows:
        if row["model"] == "programs.plan":
            row["fields"].pop("data_version")
        if row["model"] == "programs.staffprofile":
            row["fields"].pop("permissions_version")
    return sorted(rows, key=lambda row: (row["model"], str(row["pk"])))


def export_summaries(run, folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    files = {}
    for option, value, fmt in SUMMARIES:
        path = folder / f"{option.strip('-')}.{fmt}"
        run(
            "export_summary",
            option,
            *([value] if value else []),
            "--format",
            fmt,
            "--output",
            str(path),
            "--language",
            "en",
        )
        files[path.name] = path.read_bytes()
    return files


@pytest.fixture
def fresh_postgres_url():
    """A new, empty PostgreSQL database beside the test database (the suite runs on PostgreSQL in CI)."""
    import psycopg2

    config = connection.settings_dict
    name = f"tppo_restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(
        dbname="postgres", user=config["USER"], password=config["PASSWORD"], host=config["HOST"], port=config["PORT"]
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    yield f"postgres://{auth}@{config['HOST']}:{config['PORT'] or 5432}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_backup_then_restore_into_a_fresh_database_gives_the_same_site(request, target, personas, settings, tmp_path):
    if target == "postgresql" and connection.vendor != "postgresql":
        pytest.skip("restoring into PostgreSQL is tested when the suite runs on PostgreSQL (CI)")
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = site_with_history(personas)
    assert ProgressEntry.history.count() == 13  # 4 creates, 4 submits, 3 verifies, 1 return, 1 reopen

    call_command("backup", "--output", str(tmp_path / "backup"))
    before = export_summaries(lambda *args: call_command(*args), tmp_path / "before")
    rows_before = dump()

    database = (
        request.getfixturevalue("fresh_postgres_url")
        if target == "postgresql"
        else f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    )
    env = server_env(DATABASE_URL=database, MEDIA_ROOT=str(tmp_path / "restored-media"))
    manage(env, "restore", str(tmp_path / "backup"))

    assert export_summaries(lambda *args: manage(env, *args), tmp_path / "after") == before
    rows_after = json.loads(
        manage(env, "dumpdata", *[m._meta.label for m in backed_up_models()], "--all", "--format", "json-exact").stdout
    )
    tokens = [
        {r["pk"]: r["fields"]["permissions_version"] for r in rows if r["model"] == "programs.staffprofile"}
        for rows in (rows_before, rows_after)
    ]
    assert tokens[0].keys() == tokens[1].keys() and all(tokens[0][pk] != tokens[1][pk] for pk in tokens[0])
    assert without_data_version(rows_after) == without_data_version(rows_before)
    history = [row for row in rows_after if row["model"] == "indicators.historicalprogressentry"]
    assert len(history) == 13
    for item in evidence:
        restored = tmp_path / "restored-media" / item.file.name
        assert restored.read_bytes() == (tmp_path / "media" / item.file.name).read_bytes()


@pytest.mark.django_db
def test_restore_refuses_a_database_with_data_unless_forced(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    site_with_history(personas)
    call_command("backup", "--output", str(tmp_path / "backup"))
    env = server_env(DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}", MEDIA_ROOT=str(tmp_path / "restored"))
    manage(env, "restore", str(tmp_path / "backup"))
    with pytest.raises(AssertionError, match="The database is not empty: .*indicators.progressentry \\(4\\).*--force"):
        manage(env, "restore", str(tmp_path / "backup"))
    manage(
        env,
        "shell",
        "-c",
        "from indicators.models import ProgressEntry; ProgressEntry.objects.filter(value=2).delete()",
    )
    manage(env, "restore", str(tmp_path / "backup"), "--force")
    count = "from indicators.models import ProgressEntry; print(ProgressEntry.objects.count())"
    assert manage(env, "shell", "-c", count).stdout.split()[-1] == "4"


@pytest.mark.django_db
def test_restore_into_the_database_in_use_is_refused_and_changes_nothing(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    site_with_history(personas)
    call_command("backup", "--output", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "backup"))
    assert ProgressEntry.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("damaged", ["data.jsonl", "evidence"])
def test_a_damaged_backup_is_refused_before_anything_is_loaded(damaged, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = site_with_history(personas)
    call_command("backup", "--output", str(tmp_path / "backup"))
    path = tmp_path / "backup" / ("data.jsonl" if damaged == "data.jsonl" else Path("media", evidence[0].file.name))
    content = bytearray(path.read_bytes())
    content[-3] ^= 1  # one bit
    path.write_bytes(bytes(content))
    env = server_env(DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}", MEDIA_ROOT=str(tmp_path / "restored"))
    with pytest.raises(AssertionError, match="does not match its checksum"):
        manage(env, "restore", str(tmp_path / "backup"))
    # refused before migrate ran: no table was made, no file was copied
    assert not (tmp_path / "restored").exists()
    fresh = tmp_path / "fresh.sqlite3"
    assert not fresh.exists() or fresh.stat().st_size == 0


@pytest.mark.django_db
def test_backup_refuses_a_folder_that_holds_files(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", "--output", str(tmp_path / "old"))
    assert (tmp_path / "old" / "manifest.json").read_text() == "{}"


def test_manifest_lists_counts_and_checksums(tmp_path, db, personas, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = site_with_history(personas)
    call_command("backup", "--output", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["counts"]["indicators.progressentry"] == 4
    assert manifest["counts"]["indicators.historicalprogressentry"] == 13
    assert manifest["counts"]["indicators.evidence"] == 2
    assert "sessions.session" not in manifest["counts"]
    files = {item["name"]: item for item in manifest["files"]}
    pdf = (tmp_path / "media" / evidence[0].file.name).read_bytes()
    assert files[evidence[0].file.name]["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert files[evidence[1].file.name]["bytes"] == len(PNG_BYTES)
