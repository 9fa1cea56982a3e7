"""The import preview that scales: counts, the rows to look at, every row a page of 100 away; the explicit
choice to import the good rows only, and the refused rows as a file to fix and upload again."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import rad_url, run_queued_jobs
from indicators.intake.progress import COLUMNS
from indicators.models import Job, ProgressEntry
from indicators.tests.import_helpers import csv_bytes, xlsx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def row(n: int) -> dict:
    """A good tracked row (2.d.1.1, Dinas Sosial's), told apart from the others by its value."""
    return {"code": "2.d.1.1", "period": "2021S1", "value": n + 1, "date": "2021-03-15"}


def upload(client, data: bytes, name: str = "backlog.xlsx"):
    response = client.post(rad_url("indicators:import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.status_code
    return response.url, re.search(r"/import/([0-9a-f-]{36})/", response.url)[1]


def listed_rows(body: str) -> list[int]:
    return [int(n) for n in re.findall(r'<th scope="row">(\d+)</th>', body)]


@pytest.fixture
def admin(client_for, personas):
    client = client_for(personas["admin"])
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_counts_and_only_the_bad_rows_are_shown(admin):
    """150 rows; spreadsheet rows 20 and 120 repeat rows 10 and 110 (rows in the file start at 2 under the
    header). Counts: 150 rows, 148 good, 2 with errors, 0 with warnings; listed: rows 20 and 120 only."""
    rows = [row(n) for n in range(150)]
    rows[18], rows[118] = dict(rows[8]), dict(rows[108])  # sheet row = index + 2
    url, _token = upload(admin, xlsx(rows))
    body = admin.get(url).content.decode()
    assert re.search(r"<strong>150</strong> rows", body)
    assert re.search(r"<strong>148</strong> good", body)
    assert re.search(r"<strong>2</strong> with errors", body)
    assert re.search(r"<strong>0</strong> with warnings", body)
    assert listed_rows(body) == [20, 120]
    assert "This row repeats row 10 of the file." in body
    assert "This row repeats row 110 of the file." in body


@pytest.mark.django_db
def test_all_rows_are_a_click_away_100_a_page(admin):
    """150 good rows: ?rows=all lists rows 2–101 on page 1 and 102–151 on page 2; the default lists none."""
    url, _token = upload(admin, xlsx([row(n) for n in range(150)]))
    first = admin.get(url).content.decode()
    assert listed_rows(first) == []
    assert "No row has an error or a warning." in first
    assert f'href="{url}?rows=all"' in first
    page1 = admin.get(url + "?rows=all").content.decode()
    assert listed_rows(page1) == list(range(2, 102))
    assert "Page 1 of 2" in page1
    assert f'href="{url}?rows=all&amp;page=2"' in page1
    page2 = admin.get(url + "?rows=all&page=2").content.decode()
    assert listed_rows(page2) == list(range(102, 152))
    assert "Rows 101–150 of 150 listed." in page2


@pytest.mark.django_db
def test_an_error_names_row_and_column(admin):
    rows = [row(0), {"code": "2.d.1.1", "period": "2021S1", "value": "lots"}]
    url, _token = upload(admin, xlsx(rows))
    body = admin.get(url).content.decode()
    assert listed_rows(body) == [3]
    assert "<strong>column value</strong>: “lots” is not a whole number." in body


@pytest.mark.django_db
def test_all_or_nothing_stays_the_default(admin):
    rows = [row(0), row(1), {"code": "9.z.9.9", "period": "2021S1", "value": 1}]
    for choice in ({}, {"valid_only": "yes"}):  # no choice, or anything but the form's own value
        _url, token = upload(admin, xlsx(rows))
        admin.post(rad_url("indicators:import_confirm", token), choice)
        run_queued_jobs()
        job = Job.objects.get(token=token)
        assert (job.state, job.message) == ("failed", "Nothing was saved: 1 row is not valid.")
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
def test_importing_the_valid_rows_only_when_chosen(admin, personas):
    """3 rows, row 4 bad: with valid_only=1 the 2 good rows are saved (each with its own history line) and row 4
    is left out; the job's outcome says so and names it."""
    rows = [row(0), row(1), {"code": "9.z.9.9", "period": "2021S1", "value": 1}]
    url, token = upload(admin, xlsx(rows))
    body = admin.get(url).content.decode()
    assert "Import the 2 good rows" in body
    assert "Leave out the 1 row with errors" in body
    admin.post(rad_url("indicators:import_confirm", token), {"valid_only": "1"})
    run_queued_jobs()
    assert sorted(ProgressEntry.objects.values_list("value", flat=True)) == [1, 2]
    assert ProgressEntry.history.count() == 2
    job = Job.objects.get(token=token)
    assert job.state == "done"
    assert (job.outcome["saved"], job.outcome["left_out"]) == (2, 1)
    assert [(error["row"], error["column"]) for error in job.outcome["errors"]] == [(4, "code")]


@pytest.mark.django_db
def test_no_choice_to_make_when_no_row_is_good(admin):
    url, token = upload(admin, xlsx([{"code": "9.z.9.9", "period": "2021S1", "value": 1}]))
    body = admin.get(url).content.decode()
    assert 'name="valid_only"' not in body
    admin.post(rad_url("indicators:import_confirm", token), {"valid_only": "1"})
    run_queued_jobs()
    assert Job.objects.get(token=token).state == "failed"
    assert not ProgressEntry.objects.exists()


def read_sheet(data: bytes) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_refused_rows_download_in_the_import_format_and_go_back_in_once_fixed(admin, personas):
    """Row 3 has a value that is not a number, row 4 repeats row 2, row 5 is good.
    The file: the import's columns + error, rows 3 and 4 as typed; fixed, it imports as it is."""
    rows = [
        row(0),
        {"code": "2.d.1.1", "period": "2021S1", "value": "lots", "kecamatan": "53.03.08"},
        row(0),
        row(7),
    ]
    url, token = upload(admin, xlsx(rows))
    body = admin.get(url).content.decode()
    refused_url = rad_url("indicators:import_refused", token)
    assert f'href="{refused_url}"' in body
    response = admin.get(refused_url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="backlog-refused.xlsx"'
    sheet = read_sheet(response.content)
    assert sheet[0] == [*COLUMNS, "error"]
    assert len(sheet) == 3
    first = dict(zip(sheet[0], sheet[1], strict=True))
    assert (first["code"], first["period"], first["kecamatan"], first["value"]) == (
        "2.d.1.1",
        "2021S1",
        "53.03.08",
        "lots",
    )
    assert first["error"] == "Row 3: column value: “lots” is not a whole number."
    second = dict(zip(sheet[0], sheet[2], strict=True))
    assert second["error"] == "Row 4: whole row: This row repeats row 2 of the file."

    # the good rows go in (valid only), then the refused file comes back fixed, error column and all
    admin.post(rad_url("indicators:import_confirm", token), {"valid_only": "1"})
    run_queued_jobs()
    assert ProgressEntry.objects.count() == 2
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    sheet["D2"] = "40"  # value of the first refused row
    sheet["D3"] = "41"  # the repeated row gets its own number
    buffer = io.BytesIO()
    workbook.save(buffer)
    url, token = upload(admin, buffer.getvalue(), "backlog-refused.xlsx")
    assert "Every row is good." in admin.get(url).content.decode()
    admin.post(rad_url("indicators:import_confirm", token))
    run_queued_jobs()
    assert sorted(ProgressEntry.objects.values_list("value", flat=True)) == [1, 8, 40, 41]


@pytest.mark.django_db
def test_refused_file_of_a_formula_keeps_it_as_text(admin):
    rows = [{"code": "9.z.9.9", "period": "2021S1", "narrative": "=1+1"}]
    _url, token = upload(admin, csv_bytes(rows), "backlog.csv")
    data = admin.get(rad_url("indicators:import_refused", token)).content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    narrative = sheet.cell(row=2, column=COLUMNS.index("narrative") + 1)
    assert (narrative.value, narrative.data_type) == ("=1+1", "s")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["verifier", "reviewer", "executive", "outsider"])
def test_refused_file_is_403_for_roles_that_do_not_import(client_for, personas, who):
    token = "0b1c2d3e-0000-4000-8000-000000000000"
    assert client_for(personas[who]).get(rad_url("indicators:import_refused", token)).status_code == 403


@pytest.mark.django_db
def test_refused_file_of_another_users_upload_is_not_found(client_for, personas, client):
    _url, token = upload(client_for(personas["admin"]), xlsx([row(0)]))
    client.logout()
    assert client_for(personas["officer_b"]).get(rad_url("indicators:import_refused", token)).status_code == 404


@pytest.mark.django_db
def test_the_rows_are_checked_once_and_the_pages_read_them(admin, monkeypatch):
    """250 rows, row 20 repeating row 10: the first look checks them; pages 1–3 of all the rows, the rows to look
    at and the refused rows' file read the rows as checked (check_rows is not called again)."""
    from indicators.intake import progress

    calls = []
    real = progress.check_rows
    monkeypatch.setattr(progress, "check_rows", lambda *a, **k: calls.append(1) or real(*a, **k))
    rows = [row(n) for n in range(250)]
    rows[18] = dict(rows[8])
    url, token = upload(admin, xlsx(rows))
    first = admin.get(url).content.decode()
    assert calls == [1]
    assert listed_rows(first) == [20]
    assert listed_rows(admin.get(url + "?rows=all").content.decode()) == list(range(2, 102))
    assert listed_rows(admin.get(url + "?rows=all&page=3").content.decode()) == list(range(202, 252))
    again = admin.get(url).content.decode()
    assert listed_rows(again) == [20] and "This row repeats row 10 of the file." in again
    data = admin.get(rad_url("indicators:import_refused", token)).content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[2]][: len(COLUMNS)][:2] == ["2.d.1.1", "2021S1"]
    assert sheet.cell(2, len(COLUMNS) + 1).value == "Row 20: whole row: This row repeats row 10 of the file."
    assert calls == [1]
    # in another language the messages are checked once more, in that language
    admin.cookies["django_language"] = "id"
    admin.get(url)
    assert calls == [1, 1]


@pytest.mark.django_db
def test_the_refused_rows_file_outlives_the_confirm(admin, client_for, personas):
    """Row 3 is not a number; the good rows 2 and 4 go in. The upload is gone after the job, but its refused
    row still downloads from the job page and the imports, as the preview offered it; not for another officer."""
    rows = [row(0), {"code": "2.d.1.1", "period": "2021S1", "value": "lots"}, row(2)]
    url, token = upload(admin, xlsx(rows))
    admin.get(url)
    admin.post(rad_url("indicators:import_confirm", token), {"valid_only": "1"})
    run_queued_jobs()
    job = Job.objects.get(token=token)
    assert job.state == "done" and ProgressEntry.objects.count() == 2
    assert admin.get(rad_url("indicators:import_refused", token)).status_code == 404  # the upload has served
    refused_url = rad_url("indicators:job_refused", job.pk)
    assert f'href="{refused_url}"' in admin.get(rad_url("indicators:job", job.pk)).content.decode()
    assert f'href="{refused_url}"' in admin.get(rad_url("indicators:imports")).content.decode()
    response = admin.get(refused_url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="backlog-refused.xlsx"'
    sheet = read_sheet(response.content)
    assert len(sheet) == 2
    refused_row = dict(zip(sheet[0], sheet[1], strict=True))
    assert (refused_row["value"], refused_row["error"]) == (
        "lots",
        "Row 3: column value: “lots” is not a whole number.",
    )
    assert client_for(personas["officer_b"]).get(refused_url).status_code == 404


@pytest.mark.django_db
def test_an_import_of_every_row_has_no_refused_rows_file(admin):
    url, token = upload(admin, xlsx([row(0)]))
    admin.post(rad_url("indicators:import_confirm", token))
    run_queued_jobs()
    job = Job.objects.get(token=token)
    assert job.state == "done"
    assert admin.get(rad_url("indicators:job_refused", job.pk)).status_code == 404
