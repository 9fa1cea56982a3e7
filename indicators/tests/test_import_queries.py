"""Import at the speed of the database: the queries of a preview and a confirmation do not grow with the rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import rad_url, run_queued_jobs
from indicators.intake.progress import import_file
from indicators.models import EntryStatus, ProgressEntry
from tptto_monitor.bench.imports import backlog_rows, xlsx


def count_queries(action, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        action(*args, **kwargs)
    return len(queries)


def insert_statements(rows: int) -> int:
    """Bulk inserts of `rows` entries and their audit records: one each, or one per batch on SQLite.

    SQLite takes at most 999 parameters per statement (Django's limit for it), so a batch holds
    999 // (columns per row) rows; PostgreSQL takes every row in one statement.
    """
    if connection.vendor != "sqlite":
        return 2
    columns = len([f for f in ProgressEntry._meta.concrete_fields if f.name != "id"])
    history_columns = len([f for f in ProgressEntry.history.model._meta.concrete_fields if f.name != "history_id"])
    return -(-rows // (999 // columns)) + -(-rows // (999 // history_columns))


@pytest.mark.django_db
def test_preview_and_confirm_cost_the_same_queries_for_20_and_400_rows(plan, personas):
    admin = personas["admin"]
    admin.get_all_permissions()  # read once, as a request has them: the import checks who may import
    counts = {}
    for rows in (20, 400):
        data = xlsx(backlog_rows(plan, rows))
        preview = count_queries(import_file, data, plan=plan, user=admin, dry_run=True)
        confirm = count_queries(import_file, data, plan=plan, user=admin, status=EntryStatus.SUBMITTED)
        counts[rows] = (preview, confirm - insert_statements(rows))
        assert ProgressEntry.objects.filter(created_by=admin).count() == rows
        assert ProgressEntry.history.filter(history_user=admin).count() == rows
        ProgressEntry.history.all().delete()
        ProgressEntry.objects.all().delete()
    # preview: savepoint, the plan's indicators, its kecamatan, the saved entries the rows could repeat,
    # the data checks' two (received semester totals, targets), release; confirm: the same and the data
    # version's bump, besides the inserts, and the entry totals of the indicators written to (their rows
    # locked; their totals by place, then by semester, deleted and inserted again: 5, whatever the rows)
    assert counts[20] == counts[400] == (7, 13)


@pytest.mark.django_db
def test_web_preview_and_confirm_cost_the_same_queries_for_20_and_400_rows(plan, personas, client_for):
    client = client_for(personas["admin"])
    counts = {}
    for rows in (20, 400):
        upload = client.post(
            rad_url("indicators:import"), {"file": SimpleUploadedFile("b.xlsx", xlsx(backlog_rows(plan, rows)))}
        )
        assert upload.status_code == 302
        page = upload["Location"]
        preview = count_queries(client.get, page)
        confirm = count_queries(client.post, page + "confirm/")
        assert not ProgressEntry.objects.exists()  # the confirmation queued a job
        job = count_queries(run_queued_jobs)
        assert ProgressEntry.objects.count() == rows
        counts[rows] = (preview, confirm, job - insert_statements(rows))
        ProgressEntry.history.all().delete()
        ProgressEntry.objects.all().delete()
    # preview: session, user with her staff profile (her permissions kept under its token), the session's
    # reading note saved (3), the plan, the import's 7 (as above), the demo banner's question, the session saved (3);
    # confirm: 13 whatever the file (the job looked up and created, its task queued, the session saved: no
    # row is read); the job in the worker: 36 besides the inserts (the task claimed and finished, the job
    # started and completed, the receipt claimed, the import's 13, the worker's look-up of dead jobs)
    # (and, since the import checks who may import (import_refused), the importer: 1 more in the preview (her
    # permissions, read at her first request), 1 in the worker, which reads her staff profile afresh; her
    # permissions are kept in this process under its token: a worker process of its own reads them once more)
    assert counts[20] == counts[400] == (18, 13, 37)


@pytest.mark.django_db
def test_database_constraints_stay_the_backstop(plan, personas, monkeypatch):
    """A row past the Python rules that the database refuses fails the whole file; nothing is saved."""
    from indicators.intake.progress import ImportFileError

    monkeypatch.setattr(ProgressEntry, "clean", lambda entry: None)  # as if a rule were forgotten in clean()
    rows = backlog_rows(plan, 3)
    rows[2].update(value=10, male=4, female=5)  # 4 + 5 ≠ 10: the constraint entry_sex_split_adds_up
    with translation.override("en"), pytest.raises(ImportFileError, match="refused a row"):
        import_file(xlsx(rows), plan=plan, user=personas["admin"])
    assert not ProgressEntry.objects.exists()
    assert not ProgressEntry.history.exists()
