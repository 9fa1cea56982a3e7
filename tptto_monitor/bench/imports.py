"""Import timings for `manage.py bench`: a backlog of 50, 500 and 5,000 rows, previewed and confirmed.

Each size is measured twice: through `import_file` (what `import_progress` runs) and through the
web pages (upload → preview → confirm, with Django's test client, as gunicorn would run them),
on an XLSX file, the format officers send. Every import's entries are deleted before the next.
"""

from __future__ import annotations

import datetime
import io
import os
import time
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.intake.progress import COLUMNS, import_file
from indicators.models import EntryStatus, Indicator, Kind, ProgressEntry
from indicators.models.roles import ADMINISTRATOR
from indicators.tallies import entry_totals
from programs.models import Plan, Region, StaffProfile
from programs.periods import semesters

IMPORT_SIZES = (50, 500, 5000)
IMPORT_USER = "bench-import"
GUNICORN_TIMEOUT_S = 60  # gunicorn.conf.py: a web import must end well within it


def backlog_rows(plan: Plan, count: int) -> list[dict]:
    """`count` distinct, valid rows that raise no data-check warning: a backlog of tracked counts.

    Tracked indicators have no target, so only the outlier rule applies; the rows go round by
    round over every (semester, indicator), oldest semester first, so each semester's total keeps
    level with the earlier ones. Within one semester and indicator, rows differ by date and place.
    """
    codes = list(Indicator.objects.filter(plan=plan, kind=Kind.TRACKED).order_by("code").values_list("code", flat=True))
    places = list(Region.objects.filter(parent=plan.region).order_by("code").values_list("code", flat=True))
    periods = semesters(plan.years)
    rows = []
    for i in range(count):
        turn, cell = divmod(i, len(codes) * len(periods))
        period, code = periods[cell // len(codes)], codes[cell % len(codes)]
        days = (period.end - period.start).days + 1
        rows.append(
            {
                "code": code,
                "period": str(period),
                "date": (period.start + datetime.timedelta(days=turn % days)).isoformat(),
                "kecamatan": places[(turn // days) % len(places)],
                "value": 3,
                "male": 1,
                "female": 2,
                "narrative": "Sosialisasi pencegahan TPPO di balai desa",
            }
        )
    return rows


def xlsx(rows: list[dict]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(name) for name in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Timed:
    ms: float
    queries: int


def timed(action) -> tuple[Timed, object]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = action()
        ms = (time.perf_counter() - start) * 1000
    return Timed(ms, len(queries)), result


@dataclass
class ImportMeasure:
    rows: int
    preview: Timed
    confirm: Timed
    web_preview: Timed
    web_confirm: Timed  # the request: it answers with the job's page
    web_job: Timed  # the job, run by a worker


def import_user(plan: Plan) -> User:
    """An administrator of the plan's regency (outside it, the plan's pages answer 404)."""
    user, created = User.objects.get_or_create(username=IMPORT_USER)
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    StaffProfile.objects.update_or_create(user=user, defaults={"region": plan.region})
    return user


def forget_imported() -> None:
    with transaction.atomic():
        ProgressEntry.history.all().delete()
        ProgressEntry.objects.all().delete()
        entry_totals.rebuild()


def measure(plan: Plan, rows: int, user: User, client: Client) -> ImportMeasure:
    data = xlsx(backlog_rows(plan, rows))
    preview, result = timed(lambda: import_file(data, plan=plan, user=user, dry_run=True))
    assert result.ok, [row.errors for row in result.bad_rows][:3]
    confirm, result = timed(lambda: import_file(data, plan=plan, user=user, status=EntryStatus.DRAFT))
    assert result.saved == rows
    forget_imported()

    upload = client.post(reverse("indicators:import", args=[plan.code]), {"file": SimpleUploadedFile("b.xlsx", data)})
    assert upload.status_code == 302, upload.status_code
    web_preview, page = timed(lambda: client.get(upload["Location"]))
    assert page.status_code == 200, page.status_code
    web_confirm, done = timed(lambda: client.post(upload["Location"] + "confirm/"))
    assert done.status_code == 302 and "/jobs/" in done["Location"], done.status_code  # the job's page, at once
    # the job itself, as a worker runs it: every task waiting, then the worker stops
    job, _ = timed(lambda: call_command("db_worker", batch=True, startup_delay=False, interval=0.1, verbosity=0))
    assert ProgressEntry.objects.count() == rows, ProgressEntry.objects.count()
    forget_imported()
    return ImportMeasure(rows, preview, confirm, web_preview, web_confirm, job)


def run(plan: Plan, sizes=IMPORT_SIZES, say=print) -> list[ImportMeasure]:
    if ProgressEntry.objects.exists():
        raise RuntimeError("the import bench runs on a plan without entries (it deletes what it imports)")
    user = import_user(plan)
    client = Client()
    client.force_login(user)
    results = []
    for rows in sizes:
        results.append(measure(plan, rows, user, client))
        say(f"  imported {rows:,} rows")
    say(table(results))
    return results


def table(results: list[ImportMeasure]) -> str:
    load = " / ".join(f"{value:.2f}" for value in os.getloadavg()[:2])
    lines = [
        f"Import of an XLSX backlog ({connection.vendor}, load average {load}); time in ms, (queries). "
        f"Web: the preview and confirm pages (gunicorn's timeout: {GUNICORN_TIMEOUT_S} s); the confirm queues a job,",
        "run then by a worker (`db_worker --batch`, in this process).",
        "",
        "| rows | preview | confirm | web preview | web confirm | its job |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        cells = [m.preview, m.confirm, m.web_preview, m.web_confirm, m.web_job]
        lines.append(f"| {m.rows:,} | " + " | ".join(f"{c.ms:,.0f} ({c.queries})" for c in cells) + " |")
    return "\n".join(lines)
