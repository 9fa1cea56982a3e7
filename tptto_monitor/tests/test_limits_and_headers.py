"""Headers and limits (issue 8, finding 9): a Content-Security-Policy on every page, sessions that end
with the browser and after 8 hours, and 5,000 characters at most in narratives, reasons and comments."""

import uuid

import pytest
from django.urls import reverse

from conftest import PASSWORD, RAD
from indicators.models import Comment, EntryStatus, ProgressEntry
from indicators.tests.entries_helpers import make_entry
from tptto_monitor.tests.test_settings import run_manage


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", f"{RAD}/", f"{RAD}/dashboard/", "/admin/"])
def test_every_page_has_a_content_security_policy(client_for, personas, url):
    response = client_for(personas["admin"]).get(url)
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline script, nothing from elsewhere
    assert policy["style-src"] == "'self' 'unsafe-inline'"  # plotly.js adds a <style> element when it draws
    assert policy["img-src"] == "'self' data: blob:" and policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_a_session_ends_with_the_browser_and_after_8_hours(client, personas):
    response = client.post(reverse("login"), {"username": "reviewer", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a cookie the browser forgets when it closes
    assert client.session.get_expire_at_browser_close() is True
    assert client.session.get_expiry_age() == 8 * 60 * 60


def test_session_hours_come_from_the_environment():
    code = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    assert run_manage("shell", "-c", code, SESSION_HOURS="2").stdout.strip().splitlines()[-1] == "7200"
    bad = run_manage("check", SESSION_HOURS="eight")
    assert bad.returncode != 0 and "SESSION_HOURS" in bad.stderr


LONG = "x" * 5001


@pytest.mark.django_db
def test_a_narrative_over_5000_characters_is_refused(client_for, personas):
    client = client_for(personas["officer_a"])
    client.cookies["django_language"] = "en"
    url = f"{RAD}/indicators/1.a.1.1/entries/new/"
    page = client.get(url).content.decode()
    assert 'maxlength="5000"' in page and "js/counter" in page  # the limit is shown as it is typed
    data = {"period": "2021S1", "value": "5", "narrative": LONG, "form_key": str(uuid.uuid4())}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "at most 5000 characters (it has 5001)" in response.content.decode()
    assert not ProgressEntry.objects.exists()
    response = client.post(url, {**data, "narrative": "x" * 5000, "form_key": str(uuid.uuid4())})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_long_narrative_in_an_import_row_is_named(plan, personas):
    from django.utils import translation

    from indicators.intake.progress import import_file
    from indicators.tests.import_helpers import csv_bytes

    row = {"code": "1.a.1.1", "period": "2021S1", "value": 5, "narrative": LONG}
    with translation.override("en"):
        result = import_file(csv_bytes([row]), plan=plan, user=personas["admin"])
    assert [column for column, _message in result.rows[0].errors] == ["narrative"]


@pytest.mark.django_db
def test_a_long_comment_or_reason_is_refused(client_for, personas):
    submitted = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=5, status=EntryStatus.SUBMITTED)
    verifier = client_for(personas["verifier"])
    verifier.post(f"{RAD}/entries/{submitted.pk}/comment/", {"text": LONG})
    assert not Comment.objects.exists()
    verifier.post(f"{RAD}/entries/{submitted.pk}/return/", {"reason": LONG, "version": 1})
    submitted.refresh_from_db()
    assert submitted.status == EntryStatus.SUBMITTED
