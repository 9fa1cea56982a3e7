"""CACHE_URL: the per-process memory cache by default, Django's Redis backend when set."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tptto_monitor.env import env_cache
from tptto_monitor.tests.test_settings import run_manage


def test_without_cache_url_each_process_keeps_its_own_memory_cache(monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)
    config = env_cache("CACHE_URL", max_entries=7)
    assert config == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 7}}


def test_redis_url_switches_to_djangos_redis_backend(monkeypatch):
    from django.core.cache.backends.redis import RedisCache
    from django.utils.module_loading import import_string

    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/3")
    config = env_cache("CACHE_URL", max_entries=7, key_prefix="site-a")
    # Django's own, whose failures read as misses (test_cache_down.py)
    assert config["BACKEND"] == "tptto_monitor.cache.TolerantRedisCache"
    assert issubclass(import_string(config["BACKEND"]), RedisCache)
    assert config["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert config["KEY_PREFIX"] == "site-a"


@pytest.mark.parametrize(
    "value",
    [
        "127.0.0.1:6379",  # no scheme
        "memcached://127.0.0.1:11211",  # another server
        "redis://:6379/0",  # no host
        "redis://127.0.0.1:port/0",
        "redis://127.0.0.1:6379/zero",
        "redis://127.0.0.1:6379/0?timeout=1",
    ],
)
def test_malformed_cache_url_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("CACHE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        env_cache("CACHE_URL", max_entries=1)


def test_the_refusal_does_not_print_the_password(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://:s3cret@127.0.0.1:6379/db")
    with pytest.raises(ImproperlyConfigured) as refused:
        env_cache("CACHE_URL", max_entries=1)
    assert "s3cret" not in str(refused.value)


def test_start_up_stops_on_malformed_cache_url():
    result = run_manage("check", CACHE_URL="redis//127.0.0.1")
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


@pytest.mark.django_db
def test_figures_are_kept_in_redis_and_read_back_without_a_query(redis_cache, plan, django_assert_num_queries):
    import datetime

    from indicators.figures.rollup import cached_compute

    day = datetime.date(2021, 6, 30)
    first = cached_compute(plan, as_of=day)
    client = redis_cache._cache.get_client()
    keys = list(client.scan_iter(match=f"{redis_cache.key_prefix}:*"))
    assert len(keys) == 1 and b":rollup-2:" in keys[0]  # the rollup's key (-2: by the semesters begun, not the day)
    with django_assert_num_queries(0):
        again = cached_compute(plan, as_of=day)
    assert [p.pillar.number for p in again.pillars] == [p.pillar.number for p in first.pillars] == [1, 2, 3, 4]
