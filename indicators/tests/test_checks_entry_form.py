"""Data checks in the entry form: a warning to confirm with a comment, the typed values kept;
the confirmed entry is flagged in the verification queue."""

import uuid

import pytest

from conftest import rad_url
from indicators.models import EntryStatus, EntryWarning, ProgressEntry
from indicators.tests.entries_helpers import make_entry


@pytest.fixture
def history(personas):
    """1.a.1.1 of Disnakertrans: 100 and 140 received in 2019 → median 120, so more than 360 is flagged."""
    officer = personas["officer_a"]
    make_entry("1.a.1.1", "2019S1", officer, status=EntryStatus.VERIFIED, value=100)
    make_entry("1.a.1.1", "2019S2", officer, status=EntryStatus.SUBMITTED, value=140)
    return personas


KEY = str(uuid.uuid4())  # the form's one-time key: the same form posted twice, first without the explanation


def post(client, **extra):
    data = {"period": "2021S1", "date": "2021-03-01", "value": "900", "narrative": "x", "form_key": KEY}
    return client.post(rad_url("indicators:new_entry", "1.a.1.1"), {**data, **extra})


@pytest.mark.django_db
def test_warning_must_be_explained_then_the_entry_is_saved_and_flagged(client_for, history):
    client = client_for(history["officer_a"])
    client.cookies["django_language"] = "en"
    before = ProgressEntry.objects.count()
    response = post(client)
    assert response.status_code == 200 and ProgressEntry.objects.count() == before  # nothing saved
    body = response.content.decode()
    assert "With this entry, 2021S1 adds up to 900, more than 3× the median of the agency&#x27;s earlier" in body
    assert 'name="warning_comment"' in body
    assert 'name="value" value="900"' in body  # what was typed is kept

    response = post(client, warning_comment="Two big job fairs this semester.")
    assert response.status_code == 302
    saved = ProgressEntry.objects.latest("id")
    (warning,) = EntryWarning.objects.filter(entry=saved)
    assert (warning.kind, warning.comment, warning.confirmed_by) == (
        "outlier",
        "Two big job fairs this semester.",
        history["officer_a"],
    )
    detail = client.get(saved.get_absolute_url()).content.decode()
    assert "Two big job fairs this semester." in detail

    saved.status = EntryStatus.SUBMITTED
    saved.save()
    queue = client_for(history["verifier"]).get(rad_url("indicators:review_queue")).content.decode()
    row = queue.split(f'href="{saved.get_absolute_url()}"')[0].rsplit("<tr>", 1)[1]
    assert "1 data check to look at" in row


@pytest.mark.django_db
def test_correcting_the_value_clears_the_warning(client_for, history):
    client = client_for(history["officer_a"])
    post(client, warning_comment="Job fairs.")
    saved = ProgressEntry.objects.latest("id")
    data = {"period": "2021S1", "date": "2021-03-01", "value": "90", "narrative": "x", "version": saved.version}
    response = client.post(rad_url("indicators:edit_entry", saved.pk), data)
    assert response.status_code == 302
    assert not EntryWarning.objects.filter(entry=saved).exists()
