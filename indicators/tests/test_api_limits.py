"""Writes that make every figure and summary be computed again are held to a rate per user: beyond
API_WRITES_PER_MINUTE in a minute, 429 with Retry-After and a translated message, and nothing saved.

A write token PATCHing a draft 141 times in 15 s kept every summary cold (18 ms → 824 ms)."""

import pytest

from conftest import make_user
from indicators.models import ProgressEntry
from indicators.models.roles import OFFICER
from indicators.tests.api_helpers import PLAN, call, token_for
from programs.models import Agency
from tptto_monitor.lib import limits

NEW = {"indicator": "1.a.1.1", "period": "2021S1", "date": "2021-03-31", "value": 320, "male": 120, "female": 200}


class Clock:
    """time.time() for the limits, moved by hand: 20 s into a minute, so 40 s are left of it."""

    def __init__(self):
        self.now = 1_800_000_020.0

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch, settings):
    settings.API_WRITES_PER_MINUTE = 3
    fake = Clock()
    monkeypatch.setattr(limits, "time", fake)
    return fake


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "Too many changes in a short time: at most 3 a minute. Try again in 40 seconds."),
        ("id", "Terlalu banyak perubahan dalam waktu singkat: paling banyak 3 per menit. Coba lagi dalam 40 detik."),
    ],
)
def test_writes_beyond_the_rate_are_refused_with_429_and_retry_after(client, personas, clock, language, detail):
    client.cookies["django_language"] = language
    token = token_for(personas["officer_a"], write=True)
    created = call(client, "post", f"/plans/{PLAN}/entries", token, NEW)
    assert created.status_code == 201
    pk = created.json()["id"]
    for version, value in [(1, 330), (2, 340)]:
        assert (
            call(
                client,
                "patch",
                f"/entries/{pk}",
                token,
                {"version": version, "value": value, "male": 120, "female": value - 120},
            ).status_code
            == 200
        )
    refused = call(client, "patch", f"/entries/{pk}", token, {"version": 3, "value": 350, "male": 120, "female": 230})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert refused.json() == {"detail": detail, "errors": []}
    assert ProgressEntry.objects.get(pk=pk).value == 340  # nothing saved
    # reading is not limited; the next minute writes again
    assert call(client, "get", f"/entries/{pk}", token).status_code == 200
    clock.now += 40
    again = call(client, "post", f"/entries/{pk}/submit", token, {"version": 3})
    assert again.status_code == 200, again.content


@pytest.mark.django_db
def test_the_rate_is_each_users_own(client, personas, clock):
    officer_a = token_for(personas["officer_a"], write=True)
    colleague = make_user("officer_a2", OFFICER, Agency.objects.get(code="disnakertrans", region__code="53.03"))
    theirs = token_for(colleague, write=True)
    for _ in range(3):
        call(client, "post", f"/plans/{PLAN}/entries", officer_a, {**NEW, "allow_duplicate": True})
    assert call(client, "post", f"/plans/{PLAN}/entries", officer_a, NEW).status_code == 429
    same_agency = call(client, "post", f"/plans/{PLAN}/entries", theirs, {**NEW, "allow_duplicate": True})
    assert same_agency.status_code == 201
    assert ProgressEntry.objects.filter(created_by=personas["officer_a"]).count() == 3
