"""A returned entry goes back to the verifier only once the officer changed it, attached evidence or
answered the reason (indicators.workflow.services.resubmit_entry); the answer is kept in the history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import rad_url
from indicators.models import EntryStatus, ProgressEntry
from indicators.tests.entries_helpers import PDF_BYTES, make_entry
from indicators.workflow import services

pytestmark = pytest.mark.django_db
REASON = "Lampirkan daftar hadir."


def returned_entry(personas) -> ProgressEntry:
    """A 2021 S1 entry of 320 people, submitted by officer_a and returned by the verifier."""
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320)
    services.submit_entry(user=personas["officer_a"], entry=entry)
    services.return_entry(user=personas["verifier"], entry=entry, reason=REASON)
    entry.refresh_from_db()
    return entry


def test_unchanged_and_unanswered_is_refused(personas):
    entry = returned_entry(personas)
    with pytest.raises(services.WorkflowError) as refused:
        services.resubmit_entry(user=personas["officer_a"], entry=entry)
    assert refused.value.message == services.unanswered_message()
    with pytest.raises(services.WorkflowError):
        services.resubmit_entry(user=personas["officer_a"], entry=entry, answer="   ")
    entry.refresh_from_db()
    assert (entry.status, entry.return_reason) == (EntryStatus.RETURNED, REASON)


def test_saved_again_with_the_same_values_is_no_change(personas):
    entry = returned_entry(personas)
    services.update_entry(user=personas["officer_a"], entry=entry, version=entry.version, values={"value": 320})
    entry.refresh_from_db()
    with pytest.raises(services.WorkflowError):
        services.resubmit_entry(user=personas["officer_a"], entry=entry)


def test_a_changed_value_is_enough(personas):
    entry = returned_entry(personas)
    services.update_entry(user=personas["officer_a"], entry=entry, version=entry.version, values={"value": 321})
    entry.refresh_from_db()
    services.resubmit_entry(user=personas["officer_a"], entry=entry)
    entry.refresh_from_db()
    assert (entry.status, entry.value, entry.return_answer) == (EntryStatus.SUBMITTED, 321, "")


def test_evidence_attached_after_the_return_is_enough(personas):
    entry = returned_entry(personas)
    upload = SimpleUploadedFile("daftar-hadir.pdf", PDF_BYTES, content_type="application/pdf")
    services.add_evidence(user=personas["officer_a"], entry=entry, upload=upload)
    services.resubmit_entry(user=personas["officer_a"], entry=entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_the_answer_is_kept_in_the_history_and_cleared_by_the_next_return(personas):
    entry = returned_entry(personas)
    answer = "Daftar hadir sudah diserahkan ke sekretariat."
    services.resubmit_entry(user=personas["officer_a"], entry=entry, answer=f"  {answer}\n")
    entry.refresh_from_db()
    assert (entry.status, entry.return_answer) == (EntryStatus.SUBMITTED, answer)
    services.return_entry(user=personas["verifier"], entry=entry, reason="Masih kurang.")
    entry.refresh_from_db()
    assert (entry.status, entry.return_answer) == (EntryStatus.RETURNED, "")
    answers = [r.return_answer for r in entry.history.order_by("history_date", "history_id")]
    # created, submitted, returned, resubmitted with the answer, returned again
    assert answers == ["", "", "", answer, ""]


def test_the_entry_page_refuses_then_accepts_with_an_answer(client_for, personas):
    entry = returned_entry(personas)
    officer = client_for(personas["officer_a"])
    page = officer.get(entry.get_absolute_url()).content.decode()
    assert 'name="answer"' in page
    url = rad_url("indicators:submit_entry", entry.pk)
    response = officer.post(url, {"version": entry.version}, follow=True)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
    assert str(services.unanswered_message()) in response.content.decode()
    officer.post(url, {"version": entry.version, "answer": "Sudah dicek, angkanya benar."})
    entry.refresh_from_db()
    assert (entry.status, entry.return_answer) == (EntryStatus.SUBMITTED, "Sudah dicek, angkanya benar.")
    # the verifier reads the answer on the entry page, and in its history
    verifier = client_for(personas["verifier"])
    assert "Sudah dicek, angkanya benar." in verifier.get(entry.get_absolute_url()).content.decode()
    history = verifier.get(rad_url("indicators:entry_history", entry.pk)).content.decode()
    assert "Sudah dicek, angkanya benar." in history


def test_the_api_takes_the_answer_too(client, personas):
    from indicators.tests.api_helpers import call, token_for

    entry = returned_entry(personas)
    write = token_for(personas["officer_a"], write=True)
    refused = call(client, "post", f"/entries/{entry.pk}/submit", write, {})
    assert refused.status_code == 409
    accepted = call(client, "post", f"/entries/{entry.pk}/submit", write, {"answer": "Angka sudah benar."})
    assert accepted.status_code == 200, accepted.content
    entry.refresh_from_db()
    assert (entry.status, entry.return_answer) == (EntryStatus.SUBMITTED, "Angka sudah benar.")
