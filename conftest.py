"""Shared fixtures: the loaded plan and one persona per role (STYLE.md, habit 4)."""

import pytest
from django.contrib.auth.models import Group, User

from indicators.plan_loader import load_plan
from indicators.roles import ADMINISTRATOR, EXECUTIVE, OFFICER, REVIEWER, VERIFIER
from programs.models import Agency, Plan, StaffProfile

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (test accounts only)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # the real hasher costs ~0.3 s per user; tests create several users each
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the plan once per test database; each test's transaction is rolled back."""
    with django_db_blocker.unblock():
        load_plan()


@pytest.fixture
def plan(db) -> Plan:
    # tests on a transactional database (the browser tests) flush it: load again then
    if not Plan.objects.exists():
        load_plan()
    return Plan.objects.get()


def make_user(username: str, role: str | None, agency: Agency | None = None, **extra) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def personas(plan) -> dict[str, User]:
    """officer_a (Disnakertrans), officer_b (Dinas Sosial), verifier, reviewer, executive, admin, outsider."""
    agency_a = Agency.objects.get(code="disnakertrans")
    agency_b = Agency.objects.get(code="dinsos")
    secretariat = Agency.objects.get(code="sekretariat")
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
