"""The API takes only the fields of the indicator's kind, and a value the data checks flag can be saved with
an explanation (issue 19, finding 10)."""

import pytest

from indicators.models import EntryStatus, EntryWarning, ProgressEntry
from indicators.tests.api_helpers import PLAN, call, token_for
from indicators.tests.entries_helpers import make_entry
from indicators.tests.test_api_write import NEW, assert_refused


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def write(personas):
    return token_for(personas["officer_a"], write=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("milestone_status", "achieved"), ("numerator", 3), ("denominator", 4), ("place", "Desa Sainoni")],
)
def test_a_count_entry_refuses_another_kinds_field(client, write, field, value):
    response = call(client, "post", f"/plans/{PLAN}/entries", write, {**NEW, field: value})
    assert_refused(response, 422, field)
    assert f"A Count indicator does not take “{field}”" in response.json()["errors"][0]["message"]


@pytest.mark.django_db
def test_an_edit_refuses_another_kinds_field_and_changes_nothing(client, write, personas):
    created = call(client, "post", f"/plans/{PLAN}/entries", write, NEW).json()
    response = call(client, "patch", f"/entries/{created['id']}", write, {"version": 1, "numerator": 1, "value": 5})
    assert_refused(response, 422, "numerator", entries=1)
    assert ProgressEntry.objects.get().value == 320


@pytest.mark.django_db
def test_an_empty_field_of_another_kind_is_no_value(client, write):
    response = call(client, "post", f"/plans/{PLAN}/entries", write, {**NEW, "numerator": None, "place": ""})
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_a_flagged_value_is_saved_with_its_explanation(client, write, personas):
    """1.a.1.1 of Disnakertrans: 100 and 140 in 2019 → median 120; 900 in 2021S1 is more than 3× that."""
    officer = personas["officer_a"]
    make_entry("1.a.1.1", "2019S1", officer, status=EntryStatus.VERIFIED, value=100)
    make_entry("1.a.1.1", "2019S2", officer, status=EntryStatus.SUBMITTED, value=140)
    big = {"indicator": "1.a.1.1", "period": "2021S1", "date": "2021-03-01", "value": 900}
    asked = call(client, "post", f"/plans/{PLAN}/entries", write, big)
    assert_refused(asked, 422, "warning_comment", entries=2)
    saved = call(client, "post", f"/plans/{PLAN}/entries", write, {**big, "warning_comment": "Two job fairs."})
    assert saved.status_code == 201, saved.content
    (warning,) = EntryWarning.objects.filter(entry_id=saved.json()["id"])
    assert (warning.comment, warning.confirmed_by) == ("Two job fairs.", officer)
    # an edit to another flagged value explains itself the same way
    edit = {"version": saved.json()["version"], "value": 950}
    assert_refused(
        call(client, "patch", f"/entries/{saved.json()['id']}", write, edit), 422, "warning_comment", entries=3
    )
    edited = call(client, "patch", f"/entries/{saved.json()['id']}", write, {**edit, "warning_comment": "Still."})
    assert edited.status_code == 200 and edited.json()["value"] == 950
