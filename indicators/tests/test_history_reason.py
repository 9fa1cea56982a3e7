"""The history keeps a reason as long as a reason may be: a return's reason and a follow-up's resolution
hold up to TEXT_LIMIT (5,000) characters, and so does the history line that records them (PostgreSQL
refused anything past the history's former 100)."""

import pytest

from indicators.models import EntryStatus, FollowUp, ProgressEntry
from indicators.models.kinds import TEXT_LIMIT
from indicators.tests.factories import entry
from indicators.workflow.followups import resolve_follow_up
from indicators.workflow.services import return_entry

LONG = ("Angka peserta tidak sesuai dengan daftar hadir; mohon periksa kembali. " * 80)[:TEXT_LIMIT]


def test_the_reason_is_as_long_as_a_reason_may_be():
    assert len(LONG) == TEXT_LIMIT == 5000


@pytest.mark.django_db
def test_returning_an_entry_with_a_reason_of_5000_characters_keeps_it_in_the_history(personas):
    submitted = entry("1.a.1.1", "2021S1", value=10, status=EntryStatus.SUBMITTED, user=personas["officer_a"])
    return_entry(user=personas["verifier"], entry=submitted, reason=LONG)
    latest = ProgressEntry.history.filter(id=submitted.pk).latest("history_id")
    assert latest.status == EntryStatus.RETURNED
    assert latest.history_change_reason == LONG
    assert latest.history_user == personas["verifier"]
    assert ProgressEntry.objects.get(pk=submitted.pk).return_reason == LONG


@pytest.mark.django_db
def test_resolving_a_follow_up_with_a_long_resolution_keeps_it_in_the_history(personas):
    submitted = entry("1.a.1.1", "2021S1", value=10, status=EntryStatus.SUBMITTED, user=personas["officer_a"])
    item = FollowUp.objects.create(entry=submitted, note="Check the list.", created_by=personas["verifier"])
    resolve_follow_up(user=personas["verifier"], follow_up=item, resolution=LONG)
    assert FollowUp.history.filter(id=item.pk).latest("history_id").history_change_reason == LONG
