"""The verification pages: who may open the queue, verify, return, reopen and comment."""

import pytest

from conftest import rad_url
from indicators.models import Comment, EntryStatus
from indicators.tests.entries_helpers import make_entry

EVERYONE = ["officer_a", "officer_b", "verifier", "reviewer", "executive", "admin", "outsider"]
VERIFIERS = {"verifier", "admin"}


@pytest.fixture
def submitted(personas):
    return make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status=EntryStatus.SUBMITTED)


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_queue(client_for, personas, submitted, who):
    response = client_for(personas[who]).get(rad_url("indicators:review_queue"))
    assert response.status_code == (200 if who in VERIFIERS else 403)


@pytest.mark.django_db
def test_queue_lists_submitted_entries_only(client_for, personas, submitted):
    draft = make_entry("1.a.1.2", "2021S1", personas["officer_a"], value=10)
    verified = make_entry("1.a.1.3", "2021S1", personas["officer_a"], value=2, status=EntryStatus.VERIFIED)
    body = client_for(personas["verifier"]).get(rad_url("indicators:review_queue")).content.decode()
    assert submitted.get_absolute_url() in body
    assert draft.get_absolute_url() not in body
    assert verified.get_absolute_url() not in body


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_verify(client_for, personas, submitted, who):
    response = client_for(personas[who]).post(rad_url("indicators:verify_entry", submitted.pk))
    assert response.status_code == (302 if who in VERIFIERS else 403)
    submitted.refresh_from_db()
    assert submitted.status == (EntryStatus.VERIFIED if who in VERIFIERS else EntryStatus.SUBMITTED)


@pytest.mark.django_db
def test_verify_is_post_only(client_for, personas, submitted):
    response = client_for(personas["verifier"]).get(rad_url("indicators:verify_entry", submitted.pk))
    assert response.status_code == 405
    submitted.refresh_from_db()
    assert submitted.status == EntryStatus.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_return_form(client_for, personas, submitted, who):
    response = client_for(personas[who]).get(rad_url("indicators:return_entry", submitted.pk))
    assert response.status_code == (200 if who in VERIFIERS else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_return(client_for, personas, submitted, who):
    url = rad_url("indicators:return_entry", submitted.pk)
    response = client_for(personas[who]).post(url, {"reason": "Lampirkan daftar hadir."})
    assert response.status_code == (302 if who in VERIFIERS else 403)
    submitted.refresh_from_db()
    assert submitted.status == (EntryStatus.RETURNED if who in VERIFIERS else EntryStatus.SUBMITTED)


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_reopen(client_for, personas, who):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status=EntryStatus.VERIFIED)
    url = rad_url("indicators:reopen_entry", entry.pk)
    client = client_for(personas[who])
    assert client.get(url).status_code == (200 if who in VERIFIERS else 403)
    response = client.post(url, {"reason": "Kecamatan salah"})
    assert response.status_code == (302 if who in VERIFIERS else 403)
    entry.refresh_from_db()
    assert entry.status == (EntryStatus.RETURNED if who in VERIFIERS else EntryStatus.VERIFIED)
    if who in VERIFIERS:
        assert entry.history.first().history_change_reason == "Kecamatan salah"


@pytest.mark.django_db
def test_reopen_of_an_entry_that_is_not_verified_changes_nothing(client_for, personas, submitted):
    url = rad_url("indicators:reopen_entry", submitted.pk)
    response = client_for(personas["verifier"]).post(url, {"reason": "x"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version) == (EntryStatus.SUBMITTED, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,status", [("verifier", 302), ("reviewer", 302), ("admin", 302), ("officer_a", 403), ("executive", 403)]
)
def test_comment(client_for, personas, submitted, who, status):
    url = rad_url("indicators:comment_entry", submitted.pk)
    response = client_for(personas[who]).post(url, {"text": "Mohon cek jumlah peserta."})
    assert response.status_code == status
    assert Comment.objects.count() == (1 if status == 302 else 0)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.value, submitted.version) == (EntryStatus.SUBMITTED, 320, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_a", "officer_b", "outsider"])
def test_officers_and_outsiders_cannot_comment(client_for, personas, submitted, who):
    url = rad_url("indicators:comment_entry", submitted.pk)
    assert client_for(personas[who]).post(url, {"text": "x"}).status_code == 403
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_comment_is_shown_escaped_to_the_officer(client_for, personas, submitted):
    url = rad_url("indicators:comment_entry", submitted.pk)
    client_for(personas["reviewer"]).post(url, {"text": "<b>Cek</b> lagi"})
    body = client_for(personas["officer_a"]).get(submitted.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Cek&lt;/b&gt; lagi" in body


@pytest.mark.django_db
def test_empty_comment_is_refused(client_for, personas, submitted):
    url = rad_url("indicators:comment_entry", submitted.pk)
    response = client_for(personas["reviewer"]).post(url, {"text": ""})
    assert response.status_code == 200
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_reviewer_sees_no_edit_or_verify_buttons(client_for, personas, submitted):
    body = client_for(personas["reviewer"]).get(submitted.get_absolute_url()).content.decode()
    assert rad_url("indicators:verify_entry", submitted.pk) not in body
    assert rad_url("indicators:edit_entry", submitted.pk) not in body
    assert rad_url("indicators:comment_entry", submitted.pk) in body


@pytest.mark.django_db
def test_verifier_sees_verify_and_return(client_for, personas, submitted):
    body = client_for(personas["verifier"]).get(submitted.get_absolute_url()).content.decode()
    assert rad_url("indicators:verify_entry", submitted.pk) in body
    assert rad_url("indicators:return_entry", submitted.pk) in body
