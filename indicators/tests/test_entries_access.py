"""Who may open and post to each progress-entry page (persona tests).

officer_a belongs to Disnakertrans, which is responsible for 1.a.1.1; officer_b
to Dinas Sosial. Pages someone may not see at all are 404; pages about things
they may see but not do are 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import RAD, rad_url
from indicators.models import EntryStatus, ProgressEntry
from indicators.tests.entries_helpers import PDF_BYTES, make_entry

EVERYONE = ["officer_a", "officer_b", "verifier", "reviewer", "executive", "admin", "outsider"]


def expect(status_by_persona: dict, default: int) -> list:
    return [(who, status_by_persona.get(who, default)) for who in EVERYONE]


@pytest.fixture
def draft(personas):
    return make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, kecamatan="53.03.08")


@pytest.mark.django_db
# The administrator holds every entry permission and belongs to the secretariat, so she has indicators too.
@pytest.mark.parametrize("who,status", expect({"officer_a": 200, "officer_b": 200, "admin": 200}, 403))
def test_my_indicators_is_for_officers(client_for, personas, who, status):
    assert client_for(personas[who]).get(rad_url("indicators:my_indicators")).status_code == status


@pytest.mark.django_db
def test_my_indicators_lists_only_the_own_agencys_indicators(client_for, personas):
    body = client_for(personas["officer_a"]).get(rad_url("indicators:my_indicators")).content.decode()
    # Disnakertrans: 1.a.1.1–1.a.3.2 (7), 1.b.1.1, 1.b.1.2, 2.d.1.1 → 10 indicators
    assert body.count(f'href="{RAD}/indicators/') - body.count("/entries/new/") == 10
    assert f"{RAD}/indicators/1.a.1.1/entries/" in body
    assert f"{RAD}/indicators/2.a.1.2/entries/" not in body  # Dinas Sosial's


@pytest.mark.django_db
@pytest.mark.parametrize("who,status", expect({"officer_b": 403, "executive": 403, "outsider": 403}, 200))
def test_indicator_entries(client_for, personas, draft, who, status):
    response = client_for(personas[who]).get(rad_url("indicators:indicator_entries", "1.a.1.1"))
    assert response.status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("who,status", expect({"officer_a": 200}, 403))
def test_new_entry_form(client_for, personas, who, status):
    response = client_for(personas[who]).get(rad_url("indicators:new_entry", "1.a.1.1"))
    assert response.status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_b", "verifier", "reviewer", "executive", "admin", "outsider"])
def test_crafted_new_entry_post_saves_nothing(client_for, personas, who):
    data = {"period": "2021S1", "value": "320", "narrative": "Sosialisasi"}
    response = client_for(personas[who]).post(rad_url("indicators:new_entry", "1.a.1.1"), data)
    assert response.status_code == 403
    assert ProgressEntry.objects.count() == 0


@pytest.mark.django_db
# Executives read dashboards, the plan and summaries, not entries; a user without a role gets the no-role page.
@pytest.mark.parametrize("who,status", expect({"officer_b": 404, "executive": 404, "outsider": 403}, 200))
def test_entry_detail(client_for, personas, draft, who, status):
    assert client_for(personas[who]).get(draft.get_absolute_url()).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("who,status", expect({"officer_a": 200, "officer_b": 404, "executive": 404}, 403))
def test_edit_form(client_for, personas, draft, who, status):
    assert client_for(personas[who]).get(rad_url("indicators:edit_entry", draft.pk)).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("who,status", expect({"officer_b": 404, "executive": 404}, 403)[1:])
def test_crafted_edit_post_by_others_saves_nothing(client_for, personas, draft, who, status):
    data = {"period": "2021S1", "value": "999", "version": draft.version}
    response = client_for(personas[who]).post(rad_url("indicators:edit_entry", draft.pk), data)
    assert response.status_code == status
    draft.refresh_from_db()
    assert (draft.value, draft.version) == (320, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("who,status", expect({"officer_a": 302, "officer_b": 404, "executive": 404}, 403))
def test_submit(client_for, personas, draft, who, status):
    response = client_for(personas[who]).post(rad_url("indicators:submit_entry", draft.pk))
    assert response.status_code == status
    draft.refresh_from_db()
    assert draft.status == (EntryStatus.SUBMITTED if status == 302 else EntryStatus.DRAFT)


@pytest.mark.django_db
def test_state_changes_are_post_only(client_for, personas, draft):
    client = client_for(personas["officer_a"])
    assert client.get(rad_url("indicators:submit_entry", draft.pk)).status_code == 405
    assert client.get(rad_url("indicators:upload_evidence", draft.pk)).status_code == 405
    draft.refresh_from_db()
    assert draft.status == EntryStatus.DRAFT


@pytest.mark.django_db
def test_csrf_is_enforced(personas, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["officer_a"])
    assert client.post(rad_url("indicators:submit_entry", draft.pk)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == EntryStatus.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize("status", [EntryStatus.SUBMITTED, EntryStatus.VERIFIED])
def test_officer_cannot_change_a_submitted_or_verified_entry(client_for, personas, status, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320, status=status)
    client = client_for(personas["officer_a"])
    edit = client.post(rad_url("indicators:edit_entry", entry.pk), {"period": "2021S1", "value": "1", "version": 1})
    submit = client.post(rad_url("indicators:submit_entry", entry.pk))
    upload = client.post(
        rad_url("indicators:upload_evidence", entry.pk),
        {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)},
    )
    assert (edit.status_code, submit.status_code, upload.status_code) == (403, 403, 403)
    entry.refresh_from_db()
    assert (entry.value, entry.status, entry.version, entry.evidence.count()) == (320, status, 1, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,status", expect({"verifier": 200, "reviewer": 200, "admin": 200, "officer_b": 403, "outsider": 403}, 403)
)
def test_entry_history(client_for, personas, draft, who, status):
    assert client_for(personas[who]).get(rad_url("indicators:entry_history", draft.pk)).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("who,status", expect({"verifier": 200, "reviewer": 200, "admin": 200}, 403))
def test_indicator_history(client_for, personas, draft, who, status):
    url = rad_url("indicators:indicator_history", "1.a.1.1")
    assert client_for(personas[who]).get(url).status_code == status


@pytest.mark.django_db
def test_unknown_entry_and_indicator_are_404(client_for, personas):
    client = client_for(personas["officer_a"])
    assert client.get(rad_url("indicators:entry", 999)).status_code == 404
    assert client.get(rad_url("indicators:new_entry", "9.z.9.9")).status_code == 404
