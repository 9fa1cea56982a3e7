"""Structured logs: one JSON line per request and per workflow action, without personal data."""

import json
import logging

import pytest
from django.test import override_settings

from conftest import RAD
from indicators.intake.progress import import_file
from indicators.models import EntryStatus
from indicators.tests.entries_helpers import make_entry
from indicators.workflow import services
from tptto_monitor.logs import JsonFormatter
from tptto_monitor.tests.test_settings import run_manage

NARRATIVE = "Sosialisasi di rumah Ibu Maria Seran"  # a name someone should not have written


def lines(caplog, logger: str) -> list[dict]:
    """The records of one logger as the configured formatter writes them."""
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


@pytest.mark.django_db
def test_one_line_per_request_with_ids_and_without_query_values(client_for, personas, caplog):
    caplog.set_level(logging.INFO, logger="tptto.request")
    reviewer = personas["reviewer"]
    client_for(reviewer).get(f"{RAD}/dashboard/?year=2021&search=Maria+Seran")
    (line,) = lines(caplog, "tptto.request")
    assert line["method"] == "GET"
    assert line["path"] == f"{RAD}/dashboard/"
    assert line["query_keys"] == ["search", "year"]
    assert line["view"] == "reports:overview"
    assert line["status"] == 200
    assert line["user_id"] == reviewer.pk
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    text = json.dumps(line)
    assert "Maria" not in text and "2021" not in text and "reviewer" not in text


@pytest.mark.django_db
def test_anonymous_request_has_no_user_and_costs_no_query(client, caplog, django_assert_num_queries):
    caplog.set_level(logging.INFO, logger="tptto.request")
    with django_assert_num_queries(0):
        client.get(f"{RAD}/dashboard/")  # redirected to sign in
    (line,) = lines(caplog, "tptto.request")
    assert (line["status"], line["user_id"], line["path"]) == (302, None, f"{RAD}/dashboard/")


@pytest.mark.django_db
def test_each_workflow_action_is_one_line_of_ids_and_states(personas, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO, logger="tptto.workflow")
    officer, verifier = personas["officer_a"], personas["verifier"]
    entry = make_entry("1.a.1.1", "2019S1", officer, value=5, narrative=NARRATIVE)
    reason = "Ibu Maria Seran tidak hadir"
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_entry(user=officer, entry=entry)
        services.return_entry(user=verifier, entry=entry, reason=reason)
        services.resubmit_entry(user=officer, entry=entry, answer="Sudah dicek ulang.")
        services.verify_entry(user=verifier, entry=entry)
        services.reopen_entry(user=verifier, entry=entry, reason=reason)
    logged = lines(caplog, "tptto.workflow")
    steps = [(x["action"], x["from_status"], x["status"], x["user_id"]) for x in logged]
    assert steps == [
        ("submit", "draft", "submitted", officer.pk),
        ("return", "submitted", "returned", verifier.pk),
        ("submit", "returned", "submitted", officer.pk),
        ("verify", "submitted", "verified", verifier.pk),
        ("reopen", "verified", "returned", verifier.pk),
    ]
    assert {(x["entry_id"], x["indicator"]) for x in logged} == {(entry.pk, "1.a.1.1")}
    assert [x["version"] for x in logged] == [2, 3, 4, 5, 6]
    assert "Maria" not in json.dumps(logged) and "officer_a" not in json.dumps(logged)


@pytest.mark.django_db
def test_an_action_that_fails_is_not_logged(personas, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO, logger="tptto.workflow")
    entry = make_entry("1.a.1.1", "2019S1", personas["officer_a"], value=5)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.WorkflowError):
        services.verify_entry(user=personas["verifier"], entry=entry)  # a draft cannot be verified
    assert lines(caplog, "tptto.workflow") == []


@pytest.mark.django_db
def test_an_import_is_one_line(plan, personas, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO, logger="tptto.workflow")
    admin = personas["admin"]
    data = f"code,period,value,narrative\n1.a.1.1,2019S1,5,{NARRATIVE}\n1.a.1.1,2019S2,7,\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        assert import_file(data, plan=plan, user=admin, status=EntryStatus.SUBMITTED).ok
        assert import_file(data, plan=plan, user=admin, dry_run=True).rows  # a preview writes and logs nothing
    (line,) = lines(caplog, "tptto.workflow")
    assert {k: line[k] for k in ("action", "rows", "status", "plan_id", "agency_id", "user_id")} == {
        "action": "import",
        "rows": 2,
        "status": "submitted",
        "plan_id": plan.pk,
        "agency_id": None,
        "user_id": admin.pk,
    }
    assert "Maria" not in json.dumps(line)


def test_settings_write_json_lines_to_stderr():
    script = "import logging; logging.getLogger('tptto.workflow').info('verify', extra={'entry_id': 7})"
    result = run_manage("shell", "-c", script)
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(text) for text in result.stderr.splitlines() if text.startswith("{")]
    assert (line["level"], line["logger"], line["message"], line["entry_id"]) == ("INFO", "tptto.workflow", "verify", 7)


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_server_errors_keep_the_query_string_out(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    client.get("/no-such-page/?name=Maria")
    formatted = [JsonFormatter().format(r) for r in caplog.records if r.name == "django.request"]
    assert formatted and all("Maria" not in text for text in formatted)


def test_bad_log_level_stops_start_up_naming_the_variable():
    result = run_manage("check", LOG_LEVEL_APP="chatty")
    assert result.returncode != 0
    assert "LOG_LEVEL_APP" in result.stderr


RESET_LINK = "/accounts/password/reset/MTI/cd8x2p-0f3e1d2c4b5a69788796a5b4c3d2e1f0/"


@pytest.mark.django_db
def test_a_reset_links_user_and_token_are_not_logged(client, caplog):
    """Issue 19, finding 7: the link works for a day; the log keeps its shape only."""
    caplog.set_level(logging.INFO, logger="tptto.request")
    client.get(RESET_LINK)
    client.get("/api/v1/agencies?token=tppo_secret-value&limit=5")
    reset, api = lines(caplog, "tptto.request")
    assert reset["path"] == "/accounts/password/reset/<uidb64>/<token>/"
    assert api["query_keys"] == ["limit", "token"]
    text = json.dumps([reset, api])
    assert "MTI" not in text and "cd8x2p" not in text and "tppo_secret" not in text


def gunicorn_access_line(raw_uri: str, referer: str = "-") -> str:
    import datetime
    import runpy
    from pathlib import Path
    from types import SimpleNamespace

    from django.conf import settings
    from gunicorn.config import Config

    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    logger = conf["logger_class"](Config())
    path, _sep, query = raw_uri.partition("?")
    environ = {
        "REMOTE_ADDR": "192.0.2.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": raw_uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": referer,
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    request = SimpleNamespace(headers=[("REFERER", referer)])
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=12))
    return conf["access_log_format"] % atoms + " " + " ".join(str(atoms[k]) for k in ("U", "q", "f", "{referer}i"))


def test_gunicorns_access_line_keeps_no_reset_token_nor_query_values():
    line = gunicorn_access_line(RESET_LINK)
    assert '"GET /accounts/password/reset/<uidb64>/<token>/ HTTP/1.1" 200' in line
    assert "MTI" not in line and "cd8x2p" not in line
    line = gunicorn_access_line(
        "/api/v1/agencies?token=tppo_secret-value&limit=5", referer="https://x.example" + RESET_LINK
    )
    assert '"GET /api/v1/agencies?token&limit HTTP/1.1" 200' in line
    assert "tppo_secret" not in line and "cd8x2p" not in line and "https://x.example/accounts" in line
