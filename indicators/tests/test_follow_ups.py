"""Follow-ups: a verifier marks an entry, it is listed until resolved, resolving is audited."""

import pytest

from conftest import keep_permissions, rad_url
from indicators.models import EntryStatus, FollowUp
from indicators.tests.entries_helpers import make_entry


@pytest.fixture
def submitted(personas):
    return make_entry("1.a.1.1", "2021S2", personas["officer_a"], status=EntryStatus.SUBMITTED, value=40)


@pytest.mark.django_db
def test_mark_list_resolve_and_audit(client_for, personas, submitted):
    client = client_for(personas["verifier"])
    client.cookies["django_language"] = "en"
    response = client.post(rad_url("indicators:open_follow_up", submitted.pk), {"note": "Ask for the attendance list."})
    assert response.status_code == 302
    item = FollowUp.objects.get()
    assert (item.entry, item.created_by, item.is_open) == (submitted, personas["verifier"], True)
    listing = client.get(rad_url("indicators:follow_ups")).content.decode()
    assert "Ask for the attendance list." in listing
    assert "No open follow-ups." not in listing

    response = client.post(rad_url("indicators:resolve_follow_up", item.pk), {"reason": "List received."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.is_open, item.resolved_by, item.resolution) == (False, personas["verifier"], "List received.")
    assert "No open follow-ups." in client.get(rad_url("indicators:follow_ups")).content.decode()
    assert "List received." in client.get(rad_url("indicators:follow_ups"), {"show": "resolved"}).content.decode()
    # the audit trail: opened, then resolved, each with who did it; the resolution is the change reason
    records = list(item.history.order_by("history_id"))
    assert [(r.history_type, r.history_user, r.resolved_at is None) for r in records] == [
        ("+", personas["verifier"], True),
        ("~", personas["verifier"], False),
    ]
    assert records[1].history_change_reason == "List received."
    # resolving twice is refused, nothing changes
    client.post(rad_url("indicators:resolve_follow_up", item.pk), {"reason": "Again."})
    item.refresh_from_db()
    assert item.resolution == "List received." and item.history.count() == 2


@pytest.mark.django_db
def test_entry_page_shows_the_follow_up(client_for, personas, submitted):
    FollowUp.objects.create(entry=submitted, note="Check the date.", created_by=personas["verifier"])
    body = client_for(personas["officer_a"]).get(submitted.get_absolute_url()).content.decode()
    assert "Check the date." in body
    assert rad_url("indicators:open_follow_up", submitted.pk) not in body  # officers cannot mark


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_a", "reviewer", "executive"])
def test_only_verifiers_mark_or_resolve(client_for, personas, submitted, persona):
    client = client_for(personas[persona])
    response = client.post(rad_url("indicators:open_follow_up", submitted.pk), {"note": "x"})
    assert response.status_code in (403, 404)  # executives do not even see entries (404)
    item = FollowUp.objects.create(entry=submitted, note="Check.", created_by=personas["verifier"])
    response = client.post(rad_url("indicators:resolve_follow_up", item.pk), {"reason": "done"})
    assert response.status_code in (403, 404)
    item.refresh_from_db()
    assert item.is_open and not FollowUp.objects.exclude(pk=item.pk).exists()


@pytest.mark.django_db
def test_an_empty_note_is_refused_and_kept_on_the_page(client_for, personas, submitted):
    client = client_for(personas["verifier"])
    client.cookies["django_language"] = "en"
    response = client.post(rad_url("indicators:open_follow_up", submitted.pk), {"note": "   "})
    assert response.status_code == 200
    assert "Say what needs following up." in response.content.decode()
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_list_query_count(client_for, personas, submitted, django_assert_num_queries):
    for n in range(3):
        FollowUp.objects.create(entry=submitted, note=f"Check {n}.", created_by=personas["verifier"])
    client = client_for(personas["reviewer"])
    keep_permissions(personas["reviewer"])
    # session, user (her permissions kept), the plan from the address, follow-ups with entries and people, demo banner
    with django_assert_num_queries(5):
        body = client.get(rad_url("indicators:follow_ups")).content.decode()
    assert body.count("Check ") >= 3
