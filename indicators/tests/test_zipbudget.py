"""Office files are checked against a budget before anything parses them (issue 8, finding 1).

The attack: a 300 KB XLSX whose one sheet holds one row of 2.7 million cells
(100 MB of XML) took a worker from 59 MB to 1.9 GB. Each file here is built
in the test with zipfile; every refusal must come without openpyxl reading
the workbook and in well under a second.
"""

import io
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from conftest import RAD
from indicators.documents import evidence
from indicators.documents.zipbudget import OverBudget, ZipBudget, check_zip, column_number
from indicators.intake.progress import XLSX_BUDGET, ImportFileError, read_rows
from indicators.tests.import_helpers import xlsx
from indicators.tests.office_bombs import (
    SHEET_CLOSE,
    SHEET_OPEN,
    document,
    header_row,
    inline_cell,
    one_wide_row,
    sheet_of,
    workbook,
    zeros,
)

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def openpyxl_must_not_read(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a file that is over budget")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def refused_quickly(data: bytes) -> str:
    started = time.perf_counter()
    with pytest.raises(ImportFileError) as error:
        read_rows(data)
    assert time.perf_counter() - started < 1.0
    return str(error.value)


def test_the_expanding_workbook_of_the_report_is_refused_before_reading(openpyxl_must_not_read):
    # 2.7 million cells of 38 bytes: 100 MB of XML, a few hundred KB zipped
    data = workbook(one_wide_row(2_700_000))
    assert len(data) < 1 * MB
    message = refused_quickly(data)
    # 2,700,000 cells × 38 bytes = 102,600,000 bytes (+ 0.5 KB of the rest) ÷ 1,048,576 = 97.8 MB
    assert "expands to 97.8\xa0MB when opened, more than the 32.0\xa0MB accepted" in message


def test_a_part_that_packs_too_tightly_is_refused(openpyxl_must_not_read):
    # 600,000 cells of 38 bytes are 21.7 MB, under the total of 32 MB, but the sheet packs about 1,000 to 1
    message = refused_quickly(workbook(one_wide_row(600_000)))
    assert "xl/worksheets/sheet1.xml" in message
    assert "times when opened" in message


def test_too_many_cells_in_a_small_part_are_refused(openpyxl_must_not_read):
    # "<c/>" is 4 bytes: 200,001 of them are 0.8 MB, under the ratio's floor, but over the 200,000 cells
    sheet = sheet_of(header_row(), b'<row r="2">' + b"<c/>" * 200_001 + b"</row>")
    message = refused_quickly(workbook(sheet))
    assert message == "The workbook has more than 200000 cells; split it."


def test_too_many_rows_are_refused(openpyxl_must_not_read):
    sheet = sheet_of(header_row(), b"<row/>" * 20_001)
    assert refused_quickly(workbook(sheet)) == "The file has more than 20000 rows; split it."


def test_a_far_column_is_refused(openpyxl_must_not_read):
    # One cell in column XFD makes the reader fill every row with 16,384 cells: 5,000 such rows are
    # 82 million cells from 5,000 in the file.
    rows = [b'<row r="%d">' % n + inline_cell(f"XFD{n}", "x") + b"</row>" for n in range(2, 5002)]
    message = refused_quickly(workbook(sheet_of(header_row(), *rows)))
    assert message.startswith("The sheet uses column XFD; only the first 100 columns are read.")


def test_a_document_type_declaration_is_refused(openpyxl_must_not_read):
    laughs = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    sheet = SHEET_OPEN.replace(b"<worksheet", laughs + b"<worksheet") + header_row() + SHEET_CLOSE
    assert "document type" in refused_quickly(workbook(sheet))


def test_a_sheet_in_utf16_cannot_hide_its_cells_from_the_count(openpyxl_must_not_read):
    sheet = sheet_of(header_row()).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert "unusual encoding" in refused_quickly(workbook(sheet.encode("utf-16")))


def test_counts_do_not_miss_tags_cut_by_a_chunk_boundary(monkeypatch):
    """With 10-byte chunks every tag is cut somewhere; the count must still be exact: 3 rows, 6 cells."""
    monkeypatch.setattr("indicators.documents.zipbudget.CHUNK", 10)
    row = b"<row>" + b"<c><v>1</v></c>" * 2 + b"</row>"
    data = workbook(sheet_of(row * 3))
    check_zip(data, ZipBudget(unpacked_bytes=MB, ratio=100, parts=10, rows=3, cells=6, columns=2))
    with pytest.raises(OverBudget, match="more than 2 rows"):
        check_zip(data, ZipBudget(unpacked_bytes=MB, ratio=100, parts=10, rows=2, cells=6, columns=2))
    with pytest.raises(OverBudget, match="more than 5 cells"):
        check_zip(data, ZipBudget(unpacked_bytes=MB, ratio=100, parts=10, rows=3, cells=5, columns=2))


def test_namespace_prefixes_are_counted_too():
    sheet = b'<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row><x:c/><x:c/></x:row></x:sheetData></x:worksheet>'
    with pytest.raises(OverBudget, match="more than 1 cells"):
        check_zip(workbook(sheet), ZipBudget(unpacked_bytes=MB, ratio=100, parts=10, rows=5, cells=1))


def test_column_letters():
    assert [column_number(letters) for letters in ("A", "Z", "AA", "CV", "XFD")] == [1, 26, 27, 100, 16384]


def test_a_full_5000_row_workbook_is_within_budget(plan):
    """The largest file the import accepts: 5,000 rows of every column, narratives included."""
    row = {
        "code": "1.a.1.1",
        "period": "2021S1",
        "kecamatan": "53.03.08",
        "value": 320,
        "male": 150,
        "female": 170,
        "date": "2021-03-15",
        "narrative": "Sosialisasi migrasi aman di balai desa bersama kepala desa dan tokoh agama. " * 3,
    }
    data = xlsx([row] * 5000)
    check_zip(data, XLSX_BUDGET)
    assert len(read_rows(data)) == 5000


def test_the_upload_form_refuses_the_bomb_and_stores_nothing(client_for, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas["officer_a"])
    data = workbook(one_wide_row(2_700_000))
    started = time.perf_counter()
    response = client.post(f"{RAD}/import/", {"file": SimpleUploadedFile("backlog.xlsx", data)})
    # the check itself takes milliseconds (timed above); this is the whole request, on a shared machine
    assert time.perf_counter() - started < 3.0
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not (tmp_path / "imports").exists()


# --- evidence ---------------------------------------------------------------------------------------------


def test_evidence_docx_that_expands_past_the_budget_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 10 * MB
    data = document(zeros(101))  # 101 MB of zeros packs into about 100 KB
    assert len(data) < MB
    started = time.perf_counter()
    with pytest.raises(Exception) as error:
        evidence.check_upload(SimpleUploadedFile("report.docx", data))
    assert time.perf_counter() - started < 1.0
    assert "expands to 101.0\xa0MB" in " ".join(error.value.messages)


def test_evidence_docx_that_packs_too_tightly_is_refused(settings):
    data = document(zeros(5))
    with pytest.raises(Exception) as error:
        evidence.check_upload(SimpleUploadedFile("report.docx", data))
    assert "times when opened" in " ".join(error.value.messages)


def test_evidence_xlsx_gets_the_same_check(settings):
    data = workbook(one_wide_row(2_700_000))
    with pytest.raises(Exception) as error:
        evidence.check_upload(SimpleUploadedFile("list.xlsx", data))
    assert "report.docx" not in str(error.value)
    assert error.value.code == "over_budget"


def test_a_real_evidence_workbook_is_accepted(settings):
    book = openpyxl.Workbook()
    for n in range(2000):
        book.active.append([n, f"Peserta {n}", "Desa Oelami", "L" if n % 2 else "P"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert evidence.check_upload(SimpleUploadedFile("daftar-hadir.xlsx", buffer.getvalue())) == evidence.XLSX


# --- a preview that did not finish is not run again ------------------------------------------------------


def stored_upload(client, media, data: bytes) -> str:
    response = client.post(f"{RAD}/import/", {"file": SimpleUploadedFile("backlog.xlsx", data)})
    assert response.status_code == 302, response.context["form"].errors
    return response.url


def test_a_preview_that_died_is_not_run_again(client_for, personas, settings, tmp_path, monkeypatch):
    """A reading that never ended (its worker was killed) leaves its note; the next request drops the upload."""
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas["officer_a"])
    client.cookies["django_language"] = "en"
    url = stored_upload(client, tmp_path, xlsx([{"code": "1.a.1.1", "period": "2021S1", "value": 3}]))
    token = url.rstrip("/").rsplit("/", 1)[1]

    import indicators.views.importing as views

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")  # what the session sees when the worker dies mid-read

    monkeypatch.setattr(views, "_run", killed)
    with pytest.raises(SystemExit):
        client.get(url)
    monkeypatch.undo()
    # the note was saved before the reading began, so it survived the crash
    assert token in client.session[views.READING_KEY]

    # within two minutes the next request says so and reads nothing
    calls = []
    monkeypatch.setattr(views, "_run", lambda *a, **k: calls.append(1))
    busy = client.get(url)
    assert busy.status_code == 409
    assert calls == []

    # later, the upload is dropped: no reading, no file, a message
    session = client.session
    session[views.READING_KEY] = {token: "2020-01-01T00:00:00+00:00"}
    session.save()
    dropped = client.get(url, follow=True)
    assert calls == []
    assert dropped.redirect_chain[-1][0] == f"{RAD}/import/"
    assert "did not finish" in dropped.content.decode()
    assert not (tmp_path / "imports" / token).exists()
    assert client.get(url).status_code == 404


def test_a_preview_that_ended_leaves_no_note(client_for, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas["officer_a"])
    url = stored_upload(client, tmp_path, xlsx([{"code": "1.a.1.1", "period": "2021S1", "value": 3}]))
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # a reload reads it again: it finished last time
    assert client.session["progress_imports_reading"] == {}
