"""Saving an entry on the web is held to a rate per person, as the API's writes are: beyond
ENTRY_SAVES_PER_MINUTE in a minute the form answers 429 with Retry-After and a translated message, saves
nothing, and keeps what was typed (each save makes the plan's figures and summaries be computed again)."""

import re
import uuid

import pytest

from conftest import rad_url
from indicators.models import EntryStatus, ProgressEntry
from indicators.tests.entries_helpers import make_entry, secretariat_officer
from indicators.tests.test_api_limits import Clock
from tptto_monitor.lib import limits

MESSAGES = {
    "en": "Too many changes in a short time: at most 2 a minute. Try again in 40 seconds.",
    "id": "Terlalu banyak perubahan dalam waktu singkat: paling banyak 2 per menit. Coba lagi dalam 40 detik.",
}


@pytest.fixture
def clock(monkeypatch, settings):
    settings.ENTRY_SAVES_PER_MINUTE = 2
    fake = Clock()  # 20 s into a minute: 40 s are left of it
    monkeypatch.setattr(limits, "time", fake)
    return fake


def value_typed(body: str, name: str) -> str | None:
    found = re.search(rf'<input [^>]*name="{name}"[^>]*value="([^"]*)"', body) or re.search(
        rf'<input [^>]*value="([^"]*)"[^>]*name="{name}"', body
    )
    return found.group(1) if found else None


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "id"])
def test_the_third_new_entry_in_a_minute_is_refused_and_the_form_keeps_what_was_typed(
    client_for, plan, clock, language
):
    client = client_for(secretariat_officer())
    client.cookies["django_language"] = language
    url = rad_url("indicators:new_entry", "2.c.1.1")  # periodic: one meeting held
    for period in ("2021S1", "2021S2"):
        response = client.post(url, {"period": period, "value": "1", "form_key": uuid.uuid4()})
        assert response.status_code == 302
    typed = {"period": "2022S1", "value": "3", "narrative": "Rapat koordinasi di Kefamenanu.", "form_key": uuid.uuid4()}
    response = client.post(url, typed)
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    body = response.content.decode()
    assert MESSAGES[language] in body
    assert value_typed(body, "value") == "3" and re.search(r'<option value="2022S1"[^>]* selected', body)
    assert "Rapat koordinasi di Kefamenanu." in body  # the narrative's textarea
    assert value_typed(body, "form_key") == str(typed["form_key"])  # the same form, sent again, makes one entry
    assert ProgressEntry.objects.count() == 2
    clock.now += 40  # the next minute
    assert client.post(url, typed).status_code == 302
    assert ProgressEntry.objects.count() == 3


@pytest.mark.django_db
def test_edits_count_too(client_for, personas, clock):
    officer = personas["officer_a"]
    entry = make_entry("1.a.1.1", "2021S1", officer, value=320, status=EntryStatus.DRAFT)
    client = client_for(officer)
    client.cookies["django_language"] = "en"
    url = rad_url("indicators:edit_entry", entry.pk)
    for value in (321, 322):
        entry.refresh_from_db()
        response = client.post(url, {"period": "2021S1", "value": str(value), "version": entry.version})
        assert response.status_code == 302, response.content.decode()[-3000:]
    entry.refresh_from_db()
    response = client.post(url, {"period": "2021S1", "value": "999", "version": entry.version})
    assert response.status_code == 429
    body = response.content.decode()
    assert MESSAGES["en"] in body and value_typed(body, "value") == "999"
    entry.refresh_from_db()
    assert entry.value == 322
    # reading the form is not a save
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_one_second_left_is_said_in_the_singular(client_for, plan, clock):
    clock.now += 39  # 59 s into the minute
    client = client_for(secretariat_officer())
    client.cookies["django_language"] = "en"
    url = rad_url("indicators:new_entry", "2.c.1.1")
    for period in ("2021S1", "2021S2"):
        client.post(url, {"period": period, "value": "1", "form_key": uuid.uuid4()})
    response = client.post(url, {"period": "2022S1", "value": "1", "form_key": uuid.uuid4()})
    assert response.status_code == 429 and response["Retry-After"] == "1"
    assert "Try again in 1 second." in response.content.decode()
