"""Issue 19, finding 12: the smaller ones, each with the test that failed before."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from indicators.tests.api_helpers import PLAN, call, token_for


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["django_language"] = "en"


@pytest.mark.django_db
def test_import_dhis2_on_deeply_nested_json_is_a_clear_error(plan, personas, tmp_path):
    nested = tmp_path / "deep.json"
    nested.write_text('{"dataValues": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with translation.override("en"), pytest.raises(CommandError, match="nested too deeply"):
        call_command("import_dhis2", str(nested), "--user", "verifier")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["executive", "reviewer"])
def test_import_dhis2_refuses_a_user_who_neither_enters_nor_verifies(plan, personas, tmp_path, who):
    data = tmp_path / "ttu.json"
    data.write_text(json.dumps({"dataValues": []}))
    with translation.override("en"), pytest.raises(CommandError, match=f"{who} cannot enter or verify entries"):
        call_command("import_dhis2", str(data), "--user", who, "--dry-run")


@pytest.mark.django_db
def test_unknown_api_paths_answer_json_404(client, personas):
    token = token_for(personas["reviewer"])
    for path in ("/api/v1/no-such-thing", "/api/v2/plans", "/api/"):
        response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert set(response.json()) == {"detail", "errors"} and response.json()["detail"], path


@pytest.mark.django_db
def test_a_wrong_method_answers_json_405(client, personas):
    token = token_for(personas["reviewer"], write=True)
    response = call(client, "delete", "/agencies", token)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "GET" in response["Allow"]
    assert response.json()["detail"] and response.json()["errors"] == []


@pytest.mark.django_db
def test_a_figures_get_with_a_bad_period_does_not_speak_of_saving(client, personas):
    response = call(client, "get", f"/plans/{PLAN}/figures?period=2030", token_for(personas["reviewer"]))
    assert response.status_code == 422
    assert "saved" not in response.json()["detail"]
    assert response.json()["errors"]


@pytest.mark.django_db
def test_the_apis_json_body_nested_deeply_is_a_400_not_a_server_error(client, personas):
    """The sibling of import_dhis2's deep JSON: the API parses request bodies too."""
    token = token_for(personas["officer_a"], write=True)
    deep = b'{"indicator": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = call(client, "post", f"/plans/{PLAN}/entries", token, raw=deep)
    assert response.status_code in (400, 422), response.status_code
    assert set(response.json()) == {"detail", "errors"}
