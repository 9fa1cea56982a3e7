"""Shared fixtures: the loaded plan and one persona per role (STYLE.md, habit 4)."""

import os

import pytest
from django.contrib.auth.models import Group, Permission, User

from indicators.models.roles import ADMINISTRATOR, EXECUTIVE, OFFICER, REVIEWER, VERIFIER, build_role_groups
from indicators.plans.loader import load_plan
from programs.models import Agency, Plan, Region, StaffProfile
from tptto_monitor.env import env_cache

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (test accounts only)
DEFAULT_RAD = "rad-ttu-2018-2022"  # the embedded plan every test database holds
RAD = f"/rad/{DEFAULT_RAD}"  # the prefix of its pages, for tests that write addresses out


def rad_url(name: str, *args, rad: str = DEFAULT_RAD) -> str:
    """The address of a plan page by its URL name: rad_url("indicators:entry", 12)."""
    from django.urls import reverse

    return reverse(name, args=[rad, *args])


@pytest.fixture(autouse=True)
def empty_cache():
    # each test's data is rolled back, so figures cached by one test must not reach the next
    from django.core.cache import cache, caches

    clear_cache(cache)
    caches["jobs"].clear()  # workers' heartbeats and jobs' progress of an earlier test
    caches["template_fragments"].clear()  # the page around the content, kept per reader (ids repeat across tests)
    from tptto_monitor.auth_backend import _kept_permissions

    _kept_permissions.cache_clear()  # kept per user and token: a rolled-back token may come again in another test


@pytest.fixture(scope="session", autouse=True)
def jobs_cache_folder(tmp_path_factory):
    """Heartbeats and job progress in a folder of this test run's own (a developer's worker beats in var/jobs)."""
    from django.conf import settings
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("jobs-cache")
    jobs = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(folder)}
    with override_settings(CACHES={**settings.CACHES, "jobs": jobs}):
        yield folder


def run_queued_jobs() -> None:
    """Run every queued task with the project's worker (`db_worker --batch`) in this process, then return.

    The worker closes the connection between tasks when it is not in autocommit mode, as it always is
    inside a test's transaction: that closing is left out here, as Django's test cases leave out the
    closing between requests. A real worker process runs in indicators/tests/test_worker_process.py.
    """
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


def keep_permissions(user) -> None:
    """Her permissions read and kept in this process, as her first request does: a query count pinned after it is
    that of any later request (tptto_monitor.auth_backend keeps them under her profile's token)."""
    from tptto_monitor.auth_backend import PageBackend

    PageBackend().get_user(user.pk).get_all_permissions()


def clear_cache(cache) -> None:
    """Empty the cache; on Redis only our own keys (a FLUSHDB would empty other runs' and sites' keys)."""
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match=f"{cache.key_prefix}:*", count=1000):
            client.delete(key)
    else:
        cache.clear()


# The machine's Redis (CI's too); each test uses a key prefix of its own, so parallel runs never clash.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def require_redis() -> str:
    """TEST_REDIS_URL if Redis answers there. Skips the test otherwise, unless REDIS_REQUIRED=1 (as in CI)."""
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("REDIS_REQUIRED") == "1":
            pytest.fail(f"Redis is required for the cache tests at {TEST_REDIS_URL}: {error}")
        pytest.skip(f"Redis does not answer at {TEST_REDIS_URL} ({error})")
    return TEST_REDIS_URL


@pytest.fixture
def redis_cache(settings, monkeypatch):
    """The default cache switched to the machine's Redis as CACHE_URL would, under a key prefix of this test's own."""
    import uuid

    from django.core.cache import cache

    monkeypatch.setenv("CACHE_URL", require_redis())
    settings.CACHES = {
        **settings.CACHES,
        "default": env_cache("CACHE_URL", max_entries=1, key_prefix=f"test-{uuid.uuid4().hex[:12]}"),
    }
    yield cache
    clear_cache(cache)


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The default cache on a Redis that refuses every connection (nothing listens on port 1), as CACHE_URL sets it."""
    from django.core.cache import cache

    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:1/0")
    settings.CACHES = {**settings.CACHES, "default": env_cache("CACHE_URL", max_entries=1, key_prefix="down")}
    return cache


@pytest.fixture(params=["memory", "redis"])
def any_cache(request):
    """Runs the test once on the per-process memory cache and once on Redis (CACHE_URL)."""
    from django.core.cache import cache

    if request.param == "redis":
        return request.getfixturevalue("redis_cache")
    return cache


@pytest.fixture(autouse=True)
def no_files_built_ahead(settings):
    # a write queues no build of the plan's files (reports.built), except in the tests of that
    settings.BUILD_FILES_AHEAD = False


@pytest.fixture(autouse=True)
def no_figures_stored_ahead(settings):
    # a write queues no recompute of the plan's stored figures (indicators.tallies), except in the tests of that
    settings.FIGURES_STORED_AHEAD = False


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # the real hasher costs ~0.3 s per user; tests create several users each
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the plan once per test database; each test's transaction is rolled back."""
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(BUILD_FILES_AHEAD=False, FIGURES_STORED_AHEAD=False):
        load_plan()


@pytest.fixture
def plan(db) -> Plan:
    # tests on a transactional database (the browser tests) flush it: load again then
    if not Plan.objects.exists():
        load_plan()
    return Plan.objects.get(code=DEFAULT_RAD)


def make_user(username: str, role: str | None, agency: Agency | None = None, *, region: str = "53.03", **extra) -> User:
    """A user of the regency (or province) with Kemendagri code `region`: TTU unless told."""
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, agency=agency, region=Region.objects.get(code=region))
    return user


def ensure_role_groups() -> None:
    """The roles come from a data migration; a browser test's flush removes them, so make them again."""
    if not Group.objects.filter(name=OFFICER).exists():
        build_role_groups(Group, Permission)


@pytest.fixture
def personas(plan) -> dict[str, User]:
    """officer_a (Disnakertrans), officer_b (Dinas Sosial), verifier, reviewer, executive, admin, outsider."""
    ensure_role_groups()
    agency_a = Agency.objects.get(code="disnakertrans", region__code="53.03")
    agency_b = Agency.objects.get(code="dinsos", region__code="53.03")
    secretariat = Agency.objects.get(code="sekretariat", region__code="53.03")
    return {
        "officer_a": make_user("officer_a", OFFICER, agency_a),
        "officer_b": make_user("officer_b", OFFICER, agency_b),
        "verifier": make_user("verifier", VERIFIER, secretariat),
        "reviewer": make_user("reviewer", REVIEWER),
        "executive": make_user("executive", EXECUTIVE),
        "admin": make_user("admin", ADMINISTRATOR, secretariat, is_staff=True),
        "outsider": make_user("outsider", None),
    }


@pytest.fixture
def client_for(client):
    """client_for(user) signs the test client in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def _chromium_path() -> str | None:
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser_page(live_server, monkeypatch, settings, request):
    """A headless Chromium page (Playwright driving Debian's chromium) on the live server.

    Skipped when Chromium is absent, unless E2E_REQUIRED=1 (as in CI), then it fails.
    """
    import os

    executable = _chromium_path()
    if executable is None:
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail("Chromium is required for the end-to-end tests (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    # the live server serves static files from the finders, under their plain names
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        # a test that injects its own script (axe-core) marks itself bypass_csp; the others run under the policy
        bypass_csp = request.node.get_closest_marker("bypass_csp") is not None
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=bypass_csp)
        page = context.new_page()
        page.base_url = live_server.url
        yield page
        browser.close()
        # the ORM calls made while Playwright's loop runs got their own connection (asgiref's
        # context-local storage); close it, or PostgreSQL cannot drop the test database at the end
        from django.db import connections

        connections.close_all()


def sign_in(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def open_account_menu_on_a_phone(page) -> None:
    """Open the collapsed navigation, then the account menu, each once the step before is shown: clicking the
    menu while the navigation still slid open left it closed (the sign-out button never visible, on PostgreSQL
    under load)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.click("nav .navbar-toggler")
    page.wait_for_selector("nav .navbar-collapse.show")
    sign_out = page.locator("nav form[action='/accounts/logout/'] button")
    for attempt in range(3):
        page.click("nav .dropdown-toggle")
        try:
            sign_out.wait_for(state="visible", timeout=5000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise
