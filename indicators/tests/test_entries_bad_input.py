"""Every bad input an entry can receive: refused with a clear message,
the form keeps what was typed, and nothing is saved."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import rad_url
from indicators.models import EntryStatus, Evidence, ProgressEntry
from indicators.tests.entries_helpers import PDF_BYTES, PNG_BYTES, make_entry, office_bytes, secretariat_officer
from programs.models import Plan, Region


def post_new(client, code: str, data: dict):
    """A POST of a freshly opened form (each carries its own one-time key)."""
    return client.post(rad_url("indicators:new_entry", code), {"form_key": uuid.uuid4(), **data})


def assert_refused(response, message: str, *typed: str):
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body, body[body.find("<main") :][:3000]
    for text in typed:
        assert text in body
    assert ProgressEntry.objects.count() == 0


@pytest.fixture
def officer_a(client_for, personas):
    return client_for(personas["officer_a"])


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["django_language"] = "en"  # the messages below are asserted in English


@pytest.mark.django_db
def test_negative_value(officer_a):
    response = post_new(officer_a, "1.a.1.1", {"period": "2021S1", "value": "-5", "narrative": "Sosialisasi di Insana"})
    assert_refused(response, "The number cannot be negative.", 'value="-5"', "Sosialisasi di Insana")


@pytest.mark.django_db
def test_non_numeric_value(officer_a):
    response = post_new(officer_a, "1.a.1.1", {"period": "2021S1", "value": "tiga ratus"})
    assert_refused(response, "Enter a whole number, such as 320.", 'value="tiga ratus"')


@pytest.mark.django_db
def test_sex_parts_that_do_not_add_up(officer_a):
    data = {"period": "2021S1", "value": "320", "male": "100", "female": "150"}
    response = post_new(officer_a, "1.a.1.1", data)
    # 100 + 150 = 250, not 320
    assert_refused(response, "Men and women (250) must add up to the number (320).", 'value="100"', 'value="150"')


@pytest.mark.django_db
def test_age_parts_that_do_not_add_up(officer_a):
    data = {"period": "2021S1", "value": "320", "child": "20", "adult": "290"}
    response = post_new(officer_a, "1.a.1.1", data)
    assert_refused(response, "Children and adults (310) must add up to the number (320).", 'value="290"')


@pytest.mark.django_db
def test_numerator_above_denominator(client_for, plan):
    client = client_for(secretariat_officer())
    response = post_new(client, "2.b.1.3", {"period": "2021S1", "numerator": "30", "denominator": "20"})
    assert_refused(
        response, "The numerator cannot exceed the denominator (more than 100%).", 'value="30"', 'value="20"'
    )


@pytest.mark.django_db
def test_period_outside_the_plan(officer_a):
    response = post_new(officer_a, "1.a.1.1", {"period": "2017S2", "value": "320"})
    assert_refused(response, "The period is outside the plan (2018–2022).", '<option value="2017S2" selected>')


@pytest.mark.django_db
def test_period_that_is_not_a_period(officer_a):
    response = post_new(officer_a, "1.a.1.1", {"period": "semester one", "value": "320"})
    assert_refused(response, "is not a period like 2021, 2021S1 or 2021S2.", 'value="320"')


@pytest.mark.django_db
def test_period_in_the_future(officer_a, plan):
    next_year = timezone.localdate().year + 1
    Plan.objects.filter(pk=plan.pk).update(end_year=next_year)  # a plan that runs into next year
    response = post_new(officer_a, "1.a.1.1", {"period": f"{next_year}S1", "value": "320"})
    assert_refused(response, f"The period {next_year}S1 has not begun yet.", 'value="320"')


@pytest.mark.django_db
def test_date_outside_its_period(officer_a):
    response = post_new(officer_a, "1.a.1.1", {"period": "2021S1", "date": "2021-08-17", "value": "320"})
    assert_refused(response, "The date must fall inside the period 2021S1 (2021-01-01 to 2021-06-30).", "2021-08-17")


@pytest.mark.django_db
def test_kecamatan_outside_ttu(officer_a):
    belu = Region.objects.create(code="53.04", name="Belu", level=Region.Level.KABUPATEN)
    atambua = Region.objects.create(code="53.04.01", name="Atambua", level=Region.Level.KECAMATAN, parent=belu)
    response = post_new(officer_a, "1.a.1.1", {"period": "2021S1", "value": "320", "kecamatan": atambua.pk})
    assert_refused(response, "This kecamatan is outside Kabupaten Timor Tengah Utara.", 'value="320"')


@pytest.mark.django_db
def test_coverage_without_a_place(client_for, plan):
    client = client_for(secretariat_officer())
    response = post_new(client, "1.b.2.1", {"period": "2021S1", "place": "Kelompok Peduli Oelami"})
    assert_refused(
        response, "A coverage indicator needs the kecamatan where the work now exists.", "Kelompok Peduli Oelami"
    )


@pytest.mark.django_db
def test_narrative_with_a_script_is_shown_escaped(officer_a, client_for, personas):
    narrative = '<script>alert("x")</script> Sosialisasi'
    response = post_new(officer_a, "1.a.1.1", {"period": "2021S1", "value": "320", "narrative": narrative})
    entry = ProgressEntry.objects.get()
    assert entry.narrative == narrative  # stored as typed
    for who in ("officer_a", "reviewer"):
        body = client_for(personas[who]).get(response.url).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Sosialisasi" in body
        assert '<script>alert("x")' not in body


@pytest.mark.django_db
def test_refused_form_escapes_the_narrative_it_keeps(officer_a):
    narrative = "<script>alert(1)</script>"
    response = post_new(officer_a, "1.a.1.1", {"period": "2021S1", "value": "-1", "narrative": narrative})
    assert_refused(response, "The number cannot be negative.", "&lt;script&gt;alert(1)&lt;/script&gt;")
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.django_db
def test_probable_double_entry_asks_for_confirmation(officer_a, personas):
    make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, kecamatan="53.03.08")
    insana = Region.objects.get(code="53.03.08").pk
    data = {"period": "2021S1", "date": "2021-06-30", "value": "320", "kecamatan": insana}
    response = post_new(officer_a, "1.a.1.1", data)
    body = response.content.decode()
    assert "An entry with the same period, kecamatan, date and numbers already exists." in body
    assert 'name="confirm_duplicate"' in body
    assert ProgressEntry.objects.count() == 1
    response = post_new(officer_a, "1.a.1.1", {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert ProgressEntry.objects.count() == 2


@pytest.mark.django_db
def test_confirmation_box_is_hidden_without_a_duplicate(officer_a):
    body = officer_a.get(rad_url("indicators:new_entry", "1.a.1.1")).content.decode()
    assert 'name="confirm_duplicate"' not in body


@pytest.mark.django_db
def test_officer_posting_to_another_agencys_indicator(client_for, personas):
    response = post_new(client_for(personas["officer_b"]), "1.a.1.1", {"period": "2021S1", "value": "320"})
    assert response.status_code == 403
    assert ProgressEntry.objects.count() == 0


@pytest.mark.django_db
def test_officer_posting_to_a_verified_entry(officer_a, personas):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status=EntryStatus.VERIFIED)
    data = {"period": "2021S1", "value": "999", "version": entry.version}
    response = officer_a.post(rad_url("indicators:edit_entry", entry.pk), data)
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.value, entry.status, entry.history.count()) == (320, EntryStatus.VERIFIED, 1)


@pytest.mark.django_db
def test_missing_return_reason(client_for, personas):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status=EntryStatus.SUBMITTED)
    client = client_for(personas["verifier"])
    response = client.post(rad_url("indicators:return_entry", entry.pk), {"reason": "   "})
    assert response.status_code == 200
    assert "Give the reason, so that the officer knows what to correct." in response.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.return_reason, entry.version) == (EntryStatus.SUBMITTED, "", 1)


@pytest.mark.django_db
def test_missing_reopen_reason(client_for, personas):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status=EntryStatus.VERIFIED)
    response = client_for(personas["verifier"]).post(rad_url("indicators:reopen_entry", entry.pk), {})
    assert "Give the reason, so that the officer knows what to correct." in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.VERIFIED


# --- evidence --------------------------------------------------------------------------------------------------


@pytest.fixture
def draft(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320)


def upload(client, entry, name: str, content: bytes):
    url = rad_url("indicators:upload_evidence", entry.pk)
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
def test_evidence_too_big(officer_a, draft, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = upload(officer_a, draft, "daftar-hadir.pdf", PDF_BYTES + b"0" * 1024)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The file “daftar-hadir.pdf” is too big" in body
    assert "the limit is 1.0\xa0KB" in body  # in English, as the test asks for it
    assert Evidence.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content,label",
    [
        ("daftar-hadir.pdf", PNG_BYTES, "PDF"),
        ("foto.jpg", PDF_BYTES, "JPEG"),
        ("foto.png", b"GIF89a" + b"\x00" * 20, "PNG"),
        ("rekap.xlsx", office_bytes("word"), "XLSX"),
        ("laporan.docx", office_bytes("xl"), "DOCX"),
        ("laporan.docx", b"PK\x03\x04 not really a zip", "DOCX"),
    ],
)
def test_evidence_that_is_not_what_its_name_says(officer_a, draft, name, content, label):
    body = upload(officer_a, draft, name, content).content.decode()
    assert f"The file “{name}” is not a real {label} file: its content does not match its name." in body
    assert Evidence.objects.count() == 0


@pytest.mark.django_db
def test_evidence_of_a_type_not_accepted(officer_a, draft):
    body = upload(officer_a, draft, "setup.exe", b"MZ\x90\x00").content.decode()
    assert "The file “setup.exe” is not an accepted type. Attach a PDF, JPEG, PNG, XLSX or DOCX file." in body
    assert Evidence.objects.count() == 0


@pytest.mark.django_db
def test_empty_date_is_the_periods_last_day_but_never_after_today(officer_a, plan):
    today = timezone.localdate()
    Plan.objects.filter(pk=plan.pk).update(end_year=today.year)
    period = f"{today.year}S{1 if today.month <= 6 else 2}"
    response = post_new(officer_a, "1.a.1.1", {"period": period, "value": "5"})
    assert response.status_code == 302
    assert ProgressEntry.objects.get().date == today
    response = post_new(officer_a, "1.a.1.1", {"period": "2021S1", "value": "5"})
    assert ProgressEntry.objects.latest("id").date == datetime.date(2021, 6, 30)
