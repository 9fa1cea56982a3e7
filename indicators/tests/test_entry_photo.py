"""A photo or document in the entry form itself (issue 17, item 4): saved with the entry in one step,
type-checked as before, a photo gets a thumbnail shown inline on the entry page and in the queue."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import rad_url
from indicators.models import EntryStatus, Evidence, ProgressEntry
from indicators.tests.entries_helpers import PDF_BYTES

pytestmark = pytest.mark.django_db
KEY = "6f1c1e0a-2b1d-4c1e-9a51-0c8f3b2d7e11"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def photo(width=1600, height=1200, name="kegiatan.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def post_entry(client, upload, key=KEY):
    data = {"period": "2021S1", "value": "25", "form_key": key, "evidence": upload}
    return client.post(rad_url("indicators:new_entry", "1.a.1.1"), data)


def test_entry_and_photo_in_one_step_with_a_thumbnail(client_for, personas):
    client = client_for(personas["officer_a"])
    response = post_entry(client, photo())
    entry = ProgressEntry.objects.get()
    assert response.url == entry.get_absolute_url()
    item = entry.evidence.get()
    assert (item.original_name, item.content_type) == ("kegiatan.jpg", "image/jpeg")
    with Image.open(item.thumbnail.open("rb")) as thumbnail:
        assert thumbnail.size == (320, 240)  # 1600 × 1200 at most 320 on the long side
    page = client.get(entry.get_absolute_url()).content.decode()
    assert item.get_thumbnail_url() in page
    thumb = client.get(item.get_thumbnail_url())
    assert (thumb.status_code, thumb["Content-Type"]) == (200, "image/jpeg")
    full = client.get(item.get_absolute_url())
    assert full["Content-Disposition"].startswith("inline")  # a photo opens, not downloads
    # the verifier sees it in the queue
    entry.status = EntryStatus.SUBMITTED
    entry.save()
    queue = client_for(personas["verifier"]).get(rad_url("indicators:review_queue")).content.decode()
    assert item.get_thumbnail_url() in queue


def test_the_same_form_sent_again_makes_neither_a_second_entry_nor_a_second_photo(client_for, personas):
    client = client_for(personas["officer_a"])
    post_entry(client, photo())
    again = post_entry(client, photo())
    assert again.url == ProgressEntry.objects.get().get_absolute_url()
    assert Evidence.objects.count() == 1


def test_a_pdf_has_no_thumbnail_and_downloads(client_for, personas):
    client = client_for(personas["officer_a"])
    post_entry(client, SimpleUploadedFile("daftar-hadir.pdf", PDF_BYTES, content_type="application/pdf"))
    item = Evidence.objects.get()
    assert not item.thumbnail
    assert client.get(item.get_absolute_url())["Content-Disposition"].startswith("attachment")
    assert client.get(rad_url("indicators:evidence_thumbnail", item.pk)).status_code == 404


@pytest.mark.parametrize(
    "upload,message",
    [
        (SimpleUploadedFile("foto.jpg", PDF_BYTES, content_type="image/jpeg"), "not a real JPEG"),  # a renamed PDF
        (SimpleUploadedFile("foto.heic", b"\x00\x00\x00\x18ftypheic", content_type="image/heic"), "not an accepted"),
    ],
)
def test_a_refused_file_saves_nothing_and_keeps_what_was_typed(client_for, personas, upload, message):
    client = client_for(personas["officer_a"])
    client.cookies["django_language"] = "en"
    response = post_entry(client, upload)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="25"' in body
    assert ProgressEntry.objects.count() == 0 and Evidence.objects.count() == 0


def test_too_big_is_refused_with_the_limit(client_for, personas, settings):
    settings.EVIDENCE_MAX_BYTES = 50_000
    client = client_for(personas["officer_a"])
    client.cookies["django_language"] = "en"
    body = post_entry(client, photo(3000, 3000)).content.decode()
    assert "the limit is 48.8" in body
    assert ProgressEntry.objects.count() == 0
    form = client.get(rad_url("indicators:new_entry", "1.a.1.1")).content.decode()
    assert 'data-max-bytes="50000"' in form  # the page's script refuses it before sending
