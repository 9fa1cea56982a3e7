"""A Redis that does not answer is an empty cache: pages are computed afresh, never a 500 (tptto_monitor.cache)."""

import logging

import pytest
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from conftest import RAD, make_user
from indicators.models.roles import REVIEWER
from indicators.tests.factories import entry
from indicators.tests.plan_helpers import make_plan
from reports.tests.test_served_from_cache import PAGES, actual_to_date
from tptto_monitor import cache as tolerant


@pytest.mark.django_db
def test_pages_and_summaries_answer_with_their_figures(redis_down, client_for, personas):
    entry("1.a.1.1", "2018S1", value=700)
    entry("1.a.1.1", "2019S2", value=55)
    client = client_for(personas["reviewer"])  # the session is in the database, not in the cache
    client.cookies["django_language"] = "en"
    for url in [*PAGES, f"{RAD}/reports/2021/summary.csv", f"{RAD}/reports/2021/summary.xlsx"]:
        assert client.get(url).status_code == 200, url
    assert actual_to_date(client) == "755"  # 700 + 55, computed without a cache
    entry("1.a.1.1", "2020S1", value=45)
    assert actual_to_date(client) == "800"  # and afresh after a write


@pytest.mark.django_db
def test_the_province_view_answers_with_its_totals(redis_down, client_for, plan):
    """Its figures are looked up with get_many and kept with set_many: both read as misses."""
    make_plan("rad-belu-2019-2023")
    entry("1.a.1.1", "2021S1", value=300)
    entry("1.a.1.1", "2021S2", value=200)
    entry("1.a.1.1", "2021S1", rad="rad-belu-2019-2023", value=400)
    province = make_user("province_reviewer", REVIEWER, region="53")
    response = client_for(province).get(
        reverse("province:province", args=["53"]), {"year": 2021}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    # people reached by socialisation in 2021: TTU 300 + 200 of 1,000, Belu 400 of 1,000
    assert '<td class="text-end">500 / 1,000</td><td class="text-end">400 / 1,000</td>' in response.content.decode()


@pytest.mark.django_db
def test_the_outage_is_logged_once_as_a_warning(redis_down, client_for, personas, caplog):
    client = client_for(personas["reviewer"])
    with caplog.at_level(logging.INFO, logger="tptto.cache"):
        for url in PAGES:
            assert client.get(url).status_code == 200
    warnings = [r for r in caplog.records if r.name == "tptto.cache"]
    assert [(r.levelname, r.getMessage()) for r in warnings] == [("WARNING", "cache unavailable, computing without it")]
    assert "ConnectionError" in warnings[0].error


def test_after_a_failure_redis_is_left_alone_for_a_while(redis_down, monkeypatch):
    """A hanging Redis would otherwise cost every cache call its full socket timeout."""
    calls = []
    real = redis_down._cache.get

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(redis_down._cache, "get", counted)
    assert redis_down.get("a") is None
    assert redis_down.get("b", "fallback") == "fallback"
    assert redis_down.get_many(["c", "d"]) == {}
    assert len(calls) == 1


def test_failures_answer_as_misses(redis_down):
    assert redis_down.get("k", default=3) == 3
    assert redis_down.has_key("k") is False
    assert redis_down.set("k", 1) is None
    assert redis_down.set_many({"k": 1, "l": 2}) == ["k", "l"]
    # a "lock" taken with add() is granted: its holder builds, nobody waits for a result that never comes
    assert redis_down.add("k:building", 1) is True
    assert redis_down.delete("k") is False
    assert redis_down.get_or_set("k", 5) == 5
    with pytest.raises(ValueError):
        redis_down.incr("k")


@pytest.mark.django_db
def test_redis_is_used_again_once_it_answers(redis_cache, monkeypatch, caplog):
    monkeypatch.setattr(tolerant, "RETRY_SECONDS", 0)
    real_get = redis_cache._cache.get

    def refuse(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    redis_cache.set("figure", 42)
    monkeypatch.setattr(redis_cache._cache, "get", refuse)
    with caplog.at_level(logging.INFO, logger="tptto.cache"):
        assert redis_cache.get("figure") is None
        monkeypatch.setattr(redis_cache._cache, "get", real_get)
        assert redis_cache.get("figure") == 42
    assert [r.getMessage() for r in caplog.records if r.name == "tptto.cache"] == [
        "cache unavailable, computing without it",
        "cache answers again",
    ]


def test_sessions_do_not_live_in_the_cache(settings):
    """A session in the cache would end with a Redis outage (everyone signed out) or be lost on a restart."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@pytest.mark.django_db
def test_healthz_still_names_the_cache(redis_down, client):
    response = client.get("/healthz")
    body = response.json()  # beside the task queue's report (its own tests)
    assert (response.status_code, body["database"], body["cache"], body["media"]) == (503, "ok", "error", "ok")
