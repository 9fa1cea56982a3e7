"""The user read with her staff profile and her permissions in one query (tptto_monitor/auth_backend.py), and a
plan page's reading check made from them (programs.access.reads): the same answers as Django's ModelBackend and
as `plans_for`, in fewer queries, and a change of role or of regency counts from the next request."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_user, rad_url
from indicators.models.roles import EXECUTIVE, OFFICER, REVIEWER
from indicators.tests.plan_helpers import make_plan
from programs.access import get_plan_for_user, plans_for, reads
from programs.models import Plan, StaffProfile
from tptto_monitor.auth_backend import PageBackend

BELU = "rad-belu-2019-2023"


@pytest.fixture
def everyone(personas):
    """TTU's personas, Belu's officer, the province's and the country's reviewers, a person without a place,
    a superuser, and an officer who also holds one permission of her own."""
    make_plan(BELU)
    people = dict(personas)
    people["officer_belu"] = make_user("officer_belu", OFFICER, region="53.04")
    people["province"] = make_user("province", REVIEWER, region="53")
    people["nowhere"] = make_user("nowhere", EXECUTIVE)
    StaffProfile.objects.filter(user=people["nowhere"]).update(region=None)
    people["national"] = User.objects.create_user("national", "n@example.org", "x")
    people["national"].groups.add(Group.objects.get(name=REVIEWER))
    StaffProfile.objects.create(user=people["national"], national=True)
    people["no_profile"] = User.objects.create_user("no_profile", "np@example.org", "x")
    people["root"] = User.objects.create_superuser("root", "root@example.org", "x")
    people["officer_a"].user_permissions.add(Permission.objects.get(codename="add_plan"))
    return people


def test_a_person_reads_a_plan_exactly_when_plans_for_lists_it(everyone):
    plans = list(Plan.objects.select_related("region"))
    assert len(plans) == 2
    for name, person in everyone.items():
        loaded = PageBackend().get_user(person.pk)
        listed = set(plans_for(loaded).values_list("code", flat=True))
        for plan in plans:
            assert reads(loaded, plan) == (plan.code in listed), (name, plan.code)
            # the same from a user read without her profile (the profile then costs a query)
            assert reads(User.objects.get(pk=person.pk), plan) == (plan.code in listed), (name, plan.code)
    # worked out by hand: who reads which of the two plans (TTU 53.03, Belu 53.04, both in province 53)
    ttu, belu = "rad-ttu-2018-2022", BELU
    expected = {
        "officer_a": {ttu}, "executive": {ttu}, "outsider": {ttu}, "officer_belu": {belu},
        "province": {ttu, belu}, "national": {ttu, belu}, "root": {ttu, belu}, "nowhere": set(), "no_profile": set(),
    }  # fmt: skip
    for name, codes in expected.items():
        loaded = PageBackend().get_user(everyone[name].pk)
        assert {plan.code for plan in plans if reads(loaded, plan)} == codes, name


def test_get_plan_for_user_answers_404_for_a_plan_she_may_not_read(everyone):
    from django.http import Http404

    officer = PageBackend().get_user(everyone["officer_a"].pk)
    assert get_plan_for_user(officer, "rad-ttu-2018-2022").code == "rad-ttu-2018-2022"
    for slug in (BELU, "no-such-plan"):
        with pytest.raises(Http404):
            get_plan_for_user(officer, slug)


def test_the_permissions_are_modelbackends_in_one_query(everyone):
    for name, person in everyone.items():
        expected = ModelBackend().get_all_permissions(User.objects.get(pk=person.pk))
        user = User.objects.get(pk=person.pk)
        with CaptureQueriesContext(connection) as queries:
            got = PageBackend().get_all_permissions(user)
            again = PageBackend().get_all_permissions(user)  # kept on the user for the rest of the request
        assert got == expected == again, name
        if name != "root":  # a superuser's are every permission, read as ModelBackend reads them
            assert len(queries) == 1, name
    # by hand: the officer's own permission beside her role's, and a person without a role has none
    officer = PageBackend().get_all_permissions(User.objects.get(pk=everyone["officer_a"].pk))
    assert {"programs.add_plan", "indicators.enter_progress"} <= officer
    assert PageBackend().get_all_permissions(User.objects.get(pk=everyone["no_profile"].pk)) == set()


def test_an_inactive_user_is_not_signed_in_and_has_no_permission(everyone):
    User.objects.filter(pk=everyone["executive"].pk).update(is_active=False)
    assert PageBackend().get_user(everyone["executive"].pk) is None
    assert PageBackend().get_all_permissions(User.objects.get(pk=everyone["executive"].pk)) == set()


def test_a_dashboard_takes_three_queries_and_a_changed_role_or_regency_counts_from_the_next_request(
    everyone, client, settings
):
    settings.DEMO_MODE = False  # in demo mode a page asks once more, whether demonstration entries are shown
    client.force_login(everyone["executive"])
    page = rad_url("reports:overview")
    assert client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200  # its content from the page cache
    # the session, the user with her staff profile (her permissions kept under its token), the plan
    assert len(queries) == 3, [q["sql"][:80] for q in queries]

    everyone["executive"].groups.clear()
    assert client.get(page).status_code == 403  # no role: the page saying so
    everyone["executive"].groups.add(Group.objects.get(name=EXECUTIVE))
    assert client.get(page).status_code == 200
    StaffProfile.objects.filter(user=everyone["executive"]).update(region=everyone["officer_belu"].staff_profile.region)
    assert client.get(page).status_code == 404  # TTU's plan is no longer hers
    assert client.get(rad_url("reports:overview", rad=BELU)).status_code == 200


def permissions_read(user_id: int) -> tuple[set, int]:
    """Her permissions as a request sees them (PageBackend.get_user), and the queries of permissions it made."""
    with CaptureQueriesContext(connection) as queries:
        user = PageBackend().get_user(user_id)
        permissions = user.get_all_permissions()
    return permissions, sum("auth_permission" in q["sql"] for q in queries)


def test_permissions_are_kept_under_the_profiles_token_and_every_change_of_roles_shows_at_once(everyone):
    executive = everyone["executive"]
    role = Group.objects.get(name=EXECUTIVE)
    first, asked = permissions_read(executive.pk)
    assert asked == 1 and "indicators.download_reports" in first
    assert permissions_read(executive.pk) == (first, 0)  # kept: no query

    role.permissions.remove(Permission.objects.get(codename="download_reports"))  # a role's permissions
    assert permissions_read(executive.pk) == (first - {"indicators.download_reports"}, 1)
    role.permissions.add(Permission.objects.get(codename="download_reports"))
    assert permissions_read(executive.pk) == (first, 1)

    role.user_set.remove(executive)  # her roles, from the role's side
    assert permissions_read(executive.pk) == (set(), 1)
    executive.groups.add(role)  # and from hers
    assert permissions_read(executive.pk) == (first, 1)

    executive.user_permissions.add(Permission.objects.get(codename="add_plan"))  # a permission of her own
    assert permissions_read(executive.pk) == (first | {"programs.add_plan"}, 1)
    Permission.objects.get(codename="add_plan").user_set.clear()  # cleared from the permission's side
    assert permissions_read(executive.pk) == (first, 1)

    Group.objects.get(name=EXECUTIVE).delete()  # the role itself: its rows go without a signal of their own
    assert permissions_read(executive.pk) == (set(), 1)


def test_a_person_without_a_profile_has_her_permissions_read_on_every_request(everyone):
    no_profile = everyone["no_profile"]
    no_profile.user_permissions.add(Permission.objects.get(codename="add_plan"))
    for _request in range(2):
        assert permissions_read(no_profile.pk) == ({"programs.add_plan"}, 1)


def test_a_migrate_replaces_every_token(everyone):
    """A data migration sets the roles' permissions on its own copies of the models (no signal heard): a migrate
    replaces every profile's token, so that the processes serving meanwhile read the permissions afresh."""
    from django.core.management.sql import emit_post_migrate_signal

    before = dict(StaffProfile.objects.values_list("pk", "permissions_version"))
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    after = dict(StaffProfile.objects.values_list("pk", "permissions_version"))
    assert before.keys() == after.keys() and all(before[pk] != after[pk] for pk in before)
