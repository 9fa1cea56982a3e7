"""The workflow through the pages and the services: draft → submitted → verified,
returned → resubmitted, reopening, concurrent edits and the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import RAD, rad_url
from indicators.models import EntryStatus, Indicator, ProgressEntry
from indicators.models.roles import VERIFIER
from indicators.tests.entries_helpers import make_entry
from indicators.workflow import services
from programs.models import Region


@pytest.mark.django_db
def test_officer_logs_submits_and_verifier_verifies(client_for, personas):
    """The issue's story: 320 people socialised in Insana in 2021 S1, 170 women and 150 men."""
    officer = client_for(personas["officer_a"])
    insana = Region.objects.get(code="53.03.08")
    data = {"period": "2021S1", "kecamatan": insana.pk, "value": "320", "female": "170", "male": "150"}
    data["form_key"] = "6f1c1e0a-2b1d-4c1e-9a51-0c8f3b2d7e11"  # the one-time key the form carries
    response = officer.post(rad_url("indicators:new_entry", "1.a.1.1"), data)
    entry = ProgressEntry.objects.get()
    assert response.url == entry.get_absolute_url()
    assert (entry.status, entry.value, entry.female, entry.male, entry.date) == (
        EntryStatus.DRAFT,
        320,
        170,
        150,
        datetime.date(2021, 6, 30),
    )
    assert (entry.agency.code, entry.created_by) == ("disnakertrans", personas["officer_a"])
    officer.post(rad_url("indicators:submit_entry", entry.pk), {"version": entry.version})
    entry.refresh_from_db()
    assert (entry.status, entry.submitted_by) == (EntryStatus.SUBMITTED, personas["officer_a"])

    verifier = client_for(personas["verifier"])
    queue = verifier.get(rad_url("indicators:review_queue")).content.decode()
    assert entry.get_absolute_url() in queue
    response = verifier.post(rad_url("indicators:verify_entry", entry.pk), {"version": entry.version})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.verified_by) == (EntryStatus.VERIFIED, personas["verifier"])
    body = verifier.get(entry.get_absolute_url()).content.decode()
    assert "Verified" in body or "Terverifikasi" in body


@pytest.mark.django_db
def test_returned_entry_shows_the_reason_and_can_be_resubmitted(client_for, personas):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status=EntryStatus.SUBMITTED)
    verifier = client_for(personas["verifier"])
    url = rad_url("indicators:return_entry", entry.pk)
    verifier.post(url, {"reason": "Lampirkan daftar hadir.", "version": entry.version})
    entry.refresh_from_db()
    assert (entry.status, entry.return_reason) == (EntryStatus.RETURNED, "Lampirkan daftar hadir.")

    officer = client_for(personas["officer_a"])
    assert "Lampirkan daftar hadir." in officer.get(entry.get_absolute_url()).content.decode()
    edit = rad_url("indicators:edit_entry", entry.pk)
    assert "Lampirkan daftar hadir." in officer.get(edit).content.decode()
    response = officer.post(edit, {"period": "2021S1", "value": "321", "version": entry.version})
    assert response.status_code == 302, response.content.decode()[-6000:]
    officer.post(rad_url("indicators:submit_entry", entry.pk))
    entry.refresh_from_db()
    assert (entry.status, entry.value, entry.return_reason) == (EntryStatus.SUBMITTED, 321, "")


@pytest.mark.django_db
def test_verified_entry_is_locked_until_reopened(personas):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status=EntryStatus.VERIFIED)
    with pytest.raises(services.WorkflowError):
        services.update_entry(user=personas["officer_a"], entry=entry, version=entry.version, values={"value": 1})
    services.reopen_entry(user=personas["verifier"], entry=entry, reason="Wrong kecamatan")
    entry.refresh_from_db()
    assert (entry.status, entry.verified_by, entry.return_reason) == (EntryStatus.RETURNED, None, "Wrong kecamatan")
    services.update_entry(user=personas["officer_a"], entry=entry, version=entry.version, values={"value": 1})
    entry.refresh_from_db()
    assert entry.value == 1


@pytest.mark.django_db
def test_nobody_verifies_an_entry_they_created(personas):
    # a secretariat officer who is also a verifier
    from django.contrib.auth.models import Group

    admin = personas["admin"]  # holds entry and verify permissions, agency: the secretariat
    entry = services.create_entry(
        user=admin,
        indicator=Indicator.objects.get(code="4.a.2.1"),
        values={"year": 2021, "semester": 1, "date": datetime.date(2021, 3, 1), "value": 1},
    )
    services.submit_entry(user=admin, entry=entry)
    with pytest.raises(PermissionDenied):
        services.verify_entry(user=admin, entry=entry)
    admin.groups.add(Group.objects.get(name=VERIFIER))
    with pytest.raises(PermissionDenied):
        services.verify_entry(user=admin, entry=entry)
    services.verify_entry(user=personas["verifier"], entry=entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.VERIFIED


@pytest.mark.django_db
def test_verifier_page_refuses_own_entry(client_for, personas):
    admin = personas["admin"]
    entry = make_entry("4.a.2.1", "2021S1", admin, value=1, status=EntryStatus.SUBMITTED)
    response = client_for(admin).post(rad_url("indicators:verify_entry", entry.pk))
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status,action",
    [
        (EntryStatus.DRAFT, "verify"),
        (EntryStatus.VERIFIED, "verify"),
        (EntryStatus.DRAFT, "return"),
        (EntryStatus.SUBMITTED, "reopen"),
        (EntryStatus.SUBMITTED, "submit"),
        (EntryStatus.RETURNED, "submit"),
        (EntryStatus.DRAFT, "resubmit"),
    ],
)
def test_state_changes_only_from_their_state(personas, status, action):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status=status)
    calls = {
        "verify": lambda: services.verify_entry(user=personas["verifier"], entry=entry),
        "return": lambda: services.return_entry(user=personas["verifier"], entry=entry, reason="x"),
        "reopen": lambda: services.reopen_entry(user=personas["verifier"], entry=entry, reason="x"),
        "submit": lambda: services.submit_entry(user=personas["officer_a"], entry=entry),
        "resubmit": lambda: services.resubmit_entry(user=personas["officer_a"], entry=entry),
    }
    with pytest.raises(services.WorkflowError):
        calls[action]()
    entry.refresh_from_db()
    assert (entry.status, entry.version) == (status, 1)


@pytest.mark.django_db
def test_services_refuse_the_wrong_role(personas):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status=EntryStatus.SUBMITTED)
    indicator = entry.indicator
    values = {"year": 2021, "semester": 1, "date": datetime.date(2021, 6, 30), "value": 5}
    for who in ("officer_b", "verifier", "reviewer", "executive", "outsider"):
        with pytest.raises(PermissionDenied):
            services.create_entry(user=personas[who], indicator=indicator, values=values)
    for who in ("officer_a", "reviewer", "executive"):
        with pytest.raises(PermissionDenied):
            services.verify_entry(user=personas[who], entry=entry)
    with pytest.raises(PermissionDenied):
        services.add_comment(user=personas["executive"], entry=entry, text="Bagus")
    assert ProgressEntry.objects.count() == 1


@pytest.mark.django_db
def test_return_needs_a_reason(personas):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status=EntryStatus.SUBMITTED)
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.return_entry(user=personas["verifier"], entry=entry, reason="  ")
    assert "Give the reason" in str(error.value)


@pytest.mark.django_db
def test_services_call_full_clean(personas):
    indicator = Indicator.objects.get(code="1.a.1.1")
    values = {"year": 2017, "semester": 2, "date": datetime.date(2017, 12, 31), "value": 5}
    with pytest.raises(ValidationError) as error:
        services.create_entry(user=personas["officer_a"], indicator=indicator, values=values)
    assert "year" in error.value.message_dict
    assert ProgressEntry.objects.count() == 0


# --- concurrency ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_second_of_two_edits_from_the_same_version_is_refused(client_for, personas):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320)
    url = rad_url("indicators:edit_entry", entry.pk)
    officer = client_for(personas["officer_a"])
    officer.cookies["django_language"] = "en"
    # both people loaded version 1
    assert 'name="version" value="1"' in officer.get(url).content.decode()
    first = officer.post(url, {"period": "2021S1", "value": "300", "version": "1"})
    assert first.status_code == 302
    second = officer.post(url, {"period": "2021S1", "value": "400", "version": "1"})
    body = second.content.decode()
    assert second.status_code == 200
    assert "Someone else changed this entry while you were working on it" in body
    assert "number 300" in body  # the current value, from the first save
    assert 'value="400"' in body  # the second person's typing is kept
    entry.refresh_from_db()
    assert (entry.value, entry.version) == (300, 2)


@pytest.mark.django_db
def test_stale_version_is_refused_by_the_service(personas):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320)
    stale = ProgressEntry.objects.get(pk=entry.pk)
    services.update_entry(user=personas["officer_a"], entry=entry, version=1, values={"value": 300})
    with pytest.raises(services.StaleEntry) as error:
        services.update_entry(user=personas["officer_a"], entry=stale, version=1, values={"value": 400})
    assert error.value.current.value == 300
    with pytest.raises(services.StaleEntry):
        services.submit_entry(user=personas["officer_a"], entry=stale, version=1)
    entry.refresh_from_db()
    assert (entry.value, entry.version, entry.status) == (300, 2, EntryStatus.DRAFT)


# --- audit trail ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_change_is_in_the_history_with_who_and_why(client_for, personas):
    officer, verifier = personas["officer_a"], personas["verifier"]
    indicator = Indicator.objects.get(code="1.a.1.1")
    values = {"year": 2021, "semester": 1, "date": datetime.date(2021, 5, 4), "value": 320}
    entry = services.create_entry(user=officer, indicator=indicator, values=values)
    entry = services.update_entry(user=officer, entry=entry, version=1, values={"value": 350})
    entry = services.submit_entry(user=officer, entry=entry)
    entry = services.verify_entry(user=verifier, entry=entry)
    entry = services.reopen_entry(user=verifier, entry=entry, reason="Angka peserta salah")

    history = list(entry.history.order_by("history_date", "history_id"))
    # create, edit, submit, verify, reopen
    assert [h.status for h in history] == ["draft", "draft", "submitted", "verified", "returned"]
    assert [h.history_user for h in history] == [officer, officer, officer, verifier, verifier]
    assert history[-1].history_change_reason == "Angka peserta salah"
    assert [h.value for h in history[:2]] == [320, 350]

    body = client_for(personas["reviewer"]).get(rad_url("indicators:entry_history", entry.pk)).content.decode()
    assert "<del>320</del> → <ins>350</ins>" in body
    assert "Angka peserta salah" in body
    assert body.count("<tr>") == 1 + 5  # header row and one row per record
    per_indicator = rad_url("indicators:indicator_history", "1.a.1.1")
    body = client_for(personas["verifier"]).get(per_indicator).content.decode()
    assert "<del>320</del> → <ins>350</ins>" in body
    assert f'href="{RAD}/entries/{entry.pk}/"' in body


@pytest.mark.django_db
def test_history_shows_names_not_ids(client_for, personas):
    officer = personas["officer_a"]
    entry = make_entry("1.a.1.1", "2021S1", officer, value=320, kecamatan="53.03.08")
    services.update_entry(
        user=officer, entry=entry, version=1, values={"kecamatan": Region.objects.get(code="53.03.12")}
    )
    body = client_for(personas["admin"]).get(rad_url("indicators:entry_history", entry.pk)).content.decode()
    assert "<del>Insana</del> → <ins>Musi</ins>" in body
