"""Evidence: stored under MEDIA_ROOT, served only through the checked view."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import rad_url
from indicators.documents import evidence
from indicators.models import Evidence
from indicators.tests.entries_helpers import JPEG_BYTES, PDF_BYTES, PNG_BYTES, make_entry, office_bytes


@pytest.fixture
def draft(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320)


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("a.pdf", PDF_BYTES, evidence.PDF),
        ("a.JPG", JPEG_BYTES, evidence.JPEG),
        ("a.jpeg", JPEG_BYTES, evidence.JPEG),
        ("a.png", PNG_BYTES, evidence.PNG),
        ("a.xlsx", office_bytes("xl"), evidence.XLSX),
        ("a.docx", office_bytes("word"), evidence.DOCX),
    ],
)
def test_accepted_types_by_content(name, content, expected, settings):
    settings.EVIDENCE_MAX_BYTES = 10_000
    assert evidence.check_upload(SimpleUploadedFile(name, content)) == expected


def test_a_zip_without_content_types_is_not_office():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<x/>")
    assert evidence.sniff(SimpleUploadedFile("a.xlsx", buffer.getvalue())) is None


@pytest.mark.django_db
def test_officer_attaches_and_everyone_allowed_downloads(client_for, personas, draft, tmp_path):
    url = rad_url("indicators:upload_evidence", draft.pk)
    response = client_for(personas["officer_a"]).post(url, {"file": SimpleUploadedFile("daftar hadir.pdf", PDF_BYTES)})
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert (item.original_name, item.content_type, item.size) == ("daftar hadir.pdf", "application/pdf", len(PDF_BYTES))
    assert (tmp_path / item.file.name).read_bytes() == PDF_BYTES
    assert "static" not in item.file.path
    for who, status in [
        ("officer_a", 200),
        ("verifier", 200),
        ("reviewer", 200),
        ("admin", 200),
        ("officer_b", 404),
        ("executive", 404),  # dashboards and summaries, not the evidence behind entries
        ("outsider", 403),  # no role: the one page saying so
    ]:
        response = client_for(personas[who]).get(item.get_absolute_url())
        assert response.status_code == status, who
        if status == 200:
            assert b"".join(response.streaming_content) == PDF_BYTES
            assert response["Content-Type"] == "application/pdf"
            assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,status", [("officer_b", 404), ("verifier", 403), ("reviewer", 403), ("executive", 404), ("outsider", 403)]
)
def test_others_cannot_attach(client_for, personas, draft, who, status):
    url = rad_url("indicators:upload_evidence", draft.pk)
    response = client_for(personas[who]).post(url, {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)})
    assert response.status_code == status
    assert Evidence.objects.count() == 0
