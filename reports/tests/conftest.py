"""Fixtures shared by the reports tests."""

import pytest
from django.contrib.auth.models import Group, User

from conftest import PASSWORD, make_user
from indicators.models.roles import REVIEWER
from indicators.tests.factories import entry
from indicators.tests.plan_helpers import make_plan
from programs.models import Plan, StaffProfile
from reports.tests.summary_fixtures import entries  # noqa: F401 (the summary tests' entries)

BELU = "rad-belu-2019-2023"


@pytest.fixture
def belu(db, plan):
    """Verified 2021 socialisation (1,000 a year in each plan): TTU 300 + 200, Belu 400."""
    make_plan(BELU)
    entry("1.a.1.1", "2021S1", value=300)
    entry("1.a.1.1", "2021S2", value=200)
    entry("1.a.1.1", "2021S1", rad=BELU, value=400)
    return Plan.objects.get(code=BELU)


@pytest.fixture
def province_reviewer(db, personas):
    return make_user("province_reviewer", REVIEWER, region="53")


@pytest.fixture
def national_reviewer(db, personas):
    user = User.objects.create_user("national_reviewer", "nr@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=REVIEWER))
    StaffProfile.objects.create(user=user, national=True)
    return user
