"""An API write made once, however often it is sent: the `Idempotency-Key` header on the API's POSTs.

The offline queue and any client that lost its answer send the same request again with the same key: the
second answer is the first one, and there is still one entry. The same key with another body is refused.
And an entry is read back inside the transaction that saved it, so a connection lost right after the commit
cannot turn a saved entry into an error."""

import datetime

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from conftest import make_user
from indicators.models import EntryStatus, ProgressEntry
from indicators.models.roles import OFFICER
from indicators.tests.api_helpers import PLAN, call, token_for
from indicators.workflow import services
from programs.models import Agency

NEW = {"indicator": "1.a.1.1", "period": "2021S1", "date": "2021-03-31", "value": 320, "male": 120, "female": 200}
CREATE = f"/plans/{PLAN}/entries"


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def write(personas):
    return token_for(personas["officer_a"], write=True)


def create(client, token, payload=NEW, key="k-1"):
    return call(client, "post", CREATE, token, payload, **({"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}))


@pytest.mark.django_db
def test_the_same_post_twice_makes_one_entry_and_the_same_answer(client, write):
    first = create(client, write)
    again = create(client, write)
    assert first.status_code == again.status_code == 201, again.content
    assert again.json() == first.json()
    assert ProgressEntry.objects.count() == 1
    assert ProgressEntry.objects.get().pk == first.json()["id"]


@pytest.mark.django_db
def test_without_a_key_each_post_is_a_new_request(client, write):
    assert create(client, write, key=None).status_code == 201
    second = create(client, write, {**NEW, "date": "2021-04-30", "allow_duplicate": True}, key=None)
    assert second.status_code == 201
    assert ProgressEntry.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(client, write):
    assert create(client, write).status_code == 201
    other = create(client, write, {**NEW, "value": 330, "male": 130})
    assert other.status_code == 422
    assert other.json() == {
        "detail": "This Idempotency-Key was already used for a different request; nothing was saved.",
        "errors": [{"field": "Idempotency-Key", "message": "Use a new key for a new request."}],
    }
    assert list(ProgressEntry.objects.values_list("value", flat=True)) == [320]


@pytest.mark.django_db
def test_keys_are_the_callers_own(client, write, personas):
    """Another officer of the same agency with the same key makes her own entry: keys are per user."""
    colleague = make_user("officer_a2", OFFICER, Agency.objects.get(code="disnakertrans", region__code="53.03"))
    assert create(client, write).status_code == 201
    theirs = create(client, token_for(colleague, write=True), {**NEW, "allow_duplicate": True})
    assert theirs.status_code == 201
    assert ProgressEntry.objects.count() == 2


@pytest.mark.django_db
def test_a_key_is_kept_for_a_day(client, write):
    from indicators.models.idempotency import IdempotencyKey

    first = create(client, write)
    IdempotencyKey.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    later = create(client, write, {**NEW, "allow_duplicate": True})
    assert later.status_code == 201 and later.json()["id"] != first.json()["id"]
    assert IdempotencyKey.objects.count() == 1  # the expired one was replaced


@pytest.mark.django_db
def test_a_submit_sent_twice_answers_twice_with_the_submitted_entry(client, write, personas):
    entry = ProgressEntry.objects.get(pk=create(client, write, key=None).json()["id"])
    path = f"/entries/{entry.pk}/submit"
    first = call(client, "post", path, write, {"version": 1}, HTTP_IDEMPOTENCY_KEY="submit-1")
    again = call(client, "post", path, write, {"version": 1}, HTTP_IDEMPOTENCY_KEY="submit-1")
    assert first.status_code == again.status_code == 200, again.content
    assert again.json() == first.json() and again.json()["status"] == "submitted"
    assert entry.history.count() == 2  # created, submitted: once
    without = call(client, "post", path, write, {"version": 1})
    assert without.status_code == 409  # as before: it is no longer a draft


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 256, "ü-non-ascii"])
def test_a_malformed_key_is_refused(client, write, key):
    response = create(client, write, key=key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert ProgressEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_after_the_commit_still_answers_201_and_a_retry_makes_no_second_entry(
    client, personas, monkeypatch
):
    """The database goes away right after the entry is committed: every query outside a transaction fails."""
    token = token_for(personas["officer_a"], write=True)
    real_create, real_cursor = services.create_entry, connection.cursor

    def lost_after_commit():
        if not connection.in_atomic_block:
            raise OperationalError("server closed the connection unexpectedly")
        return real_cursor()

    def create_then_lose_the_connection(**kwargs):
        created = real_create(**kwargs)
        monkeypatch.setattr(connection, "cursor", lost_after_commit)
        return created

    monkeypatch.setattr(services, "create_entry", create_then_lose_the_connection)
    client.raise_request_exception = False
    response = create(client, token)
    assert response.status_code == 201, response.content
    monkeypatch.setattr(connection, "cursor", real_cursor)
    assert response.json()["status"] == EntryStatus.DRAFT and response.json()["value"] == 320
    monkeypatch.setattr(services, "create_entry", real_create)
    again = create(client, token)
    assert (again.status_code, again.json()) == (201, response.json())
    assert ProgressEntry.objects.count() == 1


@pytest.mark.django_db
def test_the_schema_declares_the_header_on_the_operations_that_honour_it(client):
    """Clients generated from the schema, and schemathesis (make apitest), see the optional header on the three
    writes that honour it, with the form the server accepts; no other operation declares it."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    declared = {
        (method.upper(), path): [p for p in operation.get("parameters", []) if p["name"] == "Idempotency-Key"]
        for path, operations in paths.items()
        for method, operation in operations.items()
    }
    honoured = {
        ("POST", "/api/v1/plans/{code}/entries"),
        ("PATCH", "/api/v1/entries/{entry_id}"),
        ("POST", "/api/v1/entries/{entry_id}/submit"),
    }
    assert {operation for operation, found in declared.items() if found} == honoured
    for operation in honoured:
        (parameter,) = declared[operation]
        assert (parameter["in"], parameter["required"]) == ("header", False), operation
        assert parameter["schema"] == {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"}
        assert "retry" in parameter["description"]
