"""Writing entries through the API: the forms' services and rules, and every bad input a 4xx
in the API's error format with nothing saved."""

import pytest

from indicators.models import EntryStatus, ProgressEntry
from indicators.tests.api_helpers import PLAN, call, token_for
from indicators.tests.factories import entry

NEW = {"indicator": "1.a.1.1", "period": "2021S1", "date": "2021-03-31", "value": 320, "male": 120, "female": 200}


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def write(personas):
    return token_for(personas["officer_a"], write=True)


def assert_refused(response, status: int, field: str | None = None, *, entries: int = 0):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    assert ProgressEntry.objects.count() == entries


@pytest.mark.django_db
def test_create_edit_submit(client, write, personas):
    created = call(client, "post", f"/plans/{PLAN}/entries", write, {**NEW, "kecamatan": "53.03.08"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["value"], body["kecamatan"], body["agency"], body["version"]) == (
        "draft",
        320,
        "53.03.08",
        "disnakertrans",
        1,
    )
    saved = ProgressEntry.objects.get(pk=body["id"])
    assert saved.created_by == personas["officer_a"]
    edited = call(client, "patch", f"/entries/{saved.pk}", write, {"version": 1, "value": 330, "male": 130})
    assert edited.status_code == 200, edited.content
    assert (edited.json()["value"], edited.json()["male"], edited.json()["female"]) == (330, 130, 200)
    submitted = call(client, "post", f"/entries/{saved.pk}/submit", write, {"version": edited.json()["version"]})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    saved.refresh_from_db()
    assert saved.status == EntryStatus.SUBMITTED and saved.submitted_by == personas["officer_a"]
    # the audit trail knows who changed what, as with the forms
    assert [h.history_user for h in saved.history.all()] == [personas["officer_a"]] * 3


@pytest.mark.django_db
def test_malformed_json(client, write):
    response = call(client, "post", f"/plans/{PLAN}/entries", write, raw=b'{"indicator": "1.a.1.1",')
    assert_refused(response, 400)
    assert response.json()["detail"] == "The request body is not valid JSON."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field",
    [
        ({"value": "320"}, "value"),  # text where a number belongs
        ({"value": -1}, "value"),
        ({"value": 3.5}, "value"),
        ({"date": "31/03/2021"}, "date"),
        ({"period": "2021"}, "period"),  # a year, not a semester
        ({"allow_duplicate": "yes"}, "allow_duplicate"),
        ({"colour": "red"}, "colour"),  # unknown field
        ({"status": "verified"}, "status"),  # the workflow is not a field
    ],
)
def test_wrong_types_and_unknown_fields(client, write, change, field):
    response = call(client, "post", f"/plans/{PLAN}/entries", write, {**NEW, **change})
    assert_refused(response, 422, field)


@pytest.mark.django_db
def test_business_rules_of_the_form(client, write):
    # 100 + 150 = 250, not 320: the model's own rule and message
    response = call(client, "post", f"/plans/{PLAN}/entries", write, {**NEW, "male": 100, "female": 150})
    assert_refused(response, 422, "male")
    assert "must add up to the number (320)" in response.json()["errors"][0]["message"]
    response = call(client, "post", f"/plans/{PLAN}/entries", write, {**NEW, "period": "2030S1", "date": "2030-01-02"})
    assert_refused(response, 422, "period")
    response = call(client, "post", f"/plans/{PLAN}/entries", write, {**NEW, "kecamatan": "53.04.01"})
    assert_refused(response, 422, "kecamatan")
    response = call(client, "post", f"/plans/{PLAN}/entries", write, {**NEW, "indicator": "9.z.9.9"})
    assert_refused(response, 422, "indicator")


@pytest.mark.django_db
def test_another_agencys_indicator_and_entry(client, write, personas):
    # 3.a.1.1 belongs to the police
    response = call(client, "post", f"/plans/{PLAN}/entries", write, {**NEW, "indicator": "3.a.1.1"})
    assert_refused(response, 403)
    theirs = entry("3.a.1.1", "2021S1", value=4, status=EntryStatus.DRAFT)
    response = call(client, "patch", f"/entries/{theirs.pk}", write, {"version": 1, "value": 5})
    assert_refused(response, 404, entries=1)
    assert call(client, "post", f"/entries/{theirs.pk}/submit", write, {}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.value, theirs.status) == (4, EntryStatus.DRAFT)


@pytest.mark.django_db
def test_a_verifier_cannot_edit_through_the_api(client, personas):
    token = token_for(personas["verifier"], write=True)
    draft = entry("1.a.1.1", "2021S1", value=4, status=EntryStatus.DRAFT)
    response = call(client, "patch", f"/entries/{draft.pk}", token, {"version": 1, "value": 5})
    assert_refused(response, 403, entries=1)


@pytest.mark.django_db
def test_a_verified_entry_is_locked(client, write, personas):
    verified = entry("1.a.1.1", "2021S1", value=10, user=personas["officer_a"])
    response = call(client, "patch", f"/entries/{verified.pk}", write, {"version": verified.version, "value": 11})
    assert_refused(response, 409, entries=1)
    assert call(client, "post", f"/entries/{verified.pk}/submit", write, {}).status_code == 409
    verified.refresh_from_db()
    assert (verified.value, verified.status, verified.version) == (10, EntryStatus.VERIFIED, 1)


@pytest.mark.django_db
def test_stale_version(client, write, personas):
    draft = entry("1.a.1.1", "2021S1", value=10, status=EntryStatus.DRAFT, user=personas["officer_a"])
    assert call(client, "patch", f"/entries/{draft.pk}", write, {"version": 1, "value": 11}).status_code == 200
    response = call(client, "patch", f"/entries/{draft.pk}", write, {"version": 1, "value": 12})
    assert_refused(response, 409, "version", entries=1)
    draft.refresh_from_db()
    assert draft.value == 11


@pytest.mark.django_db
def test_read_token_cannot_write(client, personas):
    read = token_for(personas["officer_a"])
    response = call(client, "post", f"/plans/{PLAN}/entries", read, NEW)
    assert_refused(response, 403)
    assert "only read" in response.json()["detail"]
    draft = entry("1.a.1.1", "2021S1", value=10, status=EntryStatus.DRAFT, user=personas["officer_a"])
    assert_refused(call(client, "patch", f"/entries/{draft.pk}", read, {"version": 1, "value": 1}), 403, entries=1)
    assert_refused(call(client, "post", f"/entries/{draft.pk}/submit", read, {}), 403, entries=1)
    draft.refresh_from_db()
    assert (draft.value, draft.status, draft.version) == (10, EntryStatus.DRAFT, 1)


@pytest.mark.django_db
def test_expired_or_revoked_token_cannot_write(client, personas):
    from indicators.models.tokens import ApiToken

    row, token = ApiToken.issue(personas["officer_a"], name="w", can_write=True)
    row.revoke()
    assert_refused(call(client, "post", f"/plans/{PLAN}/entries", token, NEW), 401)
    row, token = ApiToken.issue(personas["officer_a"], name="w", can_write=True, days=1)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=row.created_at)
    assert_refused(call(client, "post", f"/plans/{PLAN}/entries", token, NEW), 401)


@pytest.mark.django_db
def test_duplicate_needs_confirmation(client, write):
    assert call(client, "post", f"/plans/{PLAN}/entries", write, NEW).status_code == 201
    response = call(client, "post", f"/plans/{PLAN}/entries", write, NEW)
    assert_refused(response, 422, "allow_duplicate", entries=1)
    confirmed = call(client, "post", f"/plans/{PLAN}/entries", write, {**NEW, "allow_duplicate": True})
    assert confirmed.status_code == 201
    assert ProgressEntry.objects.count() == 2
