"""When the server fails, people are told so in their language: a translated 500 page, a 503 with Retry-After
when the database is lost or the disk is full, and the API's JSON error format under /api/ (never Django's
bare "Server Error (500)")."""

import errno

import pytest
from django.db import InterfaceError, OperationalError, connection

from indicators.tests.api_helpers import PLAN, call, token_for


@pytest.fixture
def quiet(client):
    """The test client re-raises a view's exception by default; a browser gets the error page instead."""
    client.raise_request_exception = False
    return client


def crash_home(monkeypatch, error: BaseException) -> None:
    def fail(user):
        raise error

    monkeypatch.setattr("programs.views.plans_for", fail)


def lose_database(monkeypatch, error_class) -> None:
    def refuse(*args, **kwargs):
        raise error_class("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "cursor", refuse)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("id", "Terjadi kesalahan"), ("en", "Something went wrong")], ids=["id", "en"]
)
def test_a_page_that_fails_answers_500_in_the_readers_language(
    quiet, client_for, personas, monkeypatch, language, heading
):
    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = language
    crash_home(monkeypatch, RuntimeError("a bug"))
    response = client.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert heading in page and f'<html lang="{language}">' in page
    assert "Server Error" not in page and "a bug" not in page
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("error_class", [OperationalError, InterfaceError])
def test_a_lost_database_answers_503_with_retry_after(quiet, client_for, personas, monkeypatch, error_class):
    """The session is read from the database by the sign-in check, a middleware: the error never reaches a view."""
    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = "id"
    lose_database(monkeypatch, error_class)
    response = client.get(f"/rad/{PLAN}/dashboard/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Basis data tidak dapat dihubungi saat ini." in page
    assert "Silakan coba lagi dalam 30 detik." in page


@pytest.mark.django_db
def test_a_full_disk_answers_503_in_english_too(quiet, client_for, personas, monkeypatch):
    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = "en"
    crash_home(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    response = client.get("/")
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert "The server has no room left to store files just now." in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_a_lost_database_with_its_json_error(quiet, personas, monkeypatch):
    token = token_for(personas["officer_a"], write=True)
    lose_database(monkeypatch, OperationalError)
    quiet.cookies["django_language"] = "en"
    response = call(quiet, "post", f"/plans/{PLAN}/entries", token, {"indicator": "1.a.1.1", "period": "2021S1"})
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The database cannot be reached just now. Try again later.", "errors": []}


@pytest.mark.django_db
def test_the_api_answers_a_bug_with_its_json_error_in_indonesian(quiet, personas, monkeypatch):
    token = token_for(personas["officer_a"])

    def fail(request, code):
        raise RuntimeError("a bug")

    monkeypatch.setattr("indicators.api.entries.get_plan", fail)
    response = call(quiet, "get", f"/plans/{PLAN}/entries", token)
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Server tidak dapat menyelesaikan permintaan ini; kesalahannya telah dicatat.",
        "errors": [],
    }
