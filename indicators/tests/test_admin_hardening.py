"""The admin site keeps to the workflow and to the roles (issue 8, findings 3 and 4).

An administrator set her own submitted entry to verified, with herself as verifier, through the
admin's change page; and a non-superuser administrator made another user a superuser.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from indicators.models import Comment, EntryStatus, ProgressEntry
from indicators.models.roles import ADMINISTRATOR, VERIFIER
from indicators.tests.entries_helpers import make_entry
from programs.models import StaffProfile


@pytest.fixture
def submitted(personas):
    return make_entry("1.a.1.1", "2021S1", personas["admin"], status=EntryStatus.SUBMITTED, value=320)


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.django_db
def test_administrator_cannot_verify_her_own_entry_in_the_admin(client_for, personas, submitted):
    client = client_for(personas["admin"])
    assert client.get(change_url(submitted)).status_code == 200  # she may still look at it
    data = {
        **{f: getattr(submitted, f) for f in ("year", "semester", "value")},
        "indicator": submitted.indicator_id,
        "agency": submitted.agency_id,
        "date": "2021-06-30",
        "status": "verified",
        "verified_by": personas["admin"].pk,
        "verified_at_0": "2021-07-01",
        "verified_at_1": "10:00:00",
        "created_by": personas["admin"].pk,
        "created_at_0": "2021-06-30",
        "created_at_1": "10:00:00",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    response = client.post(change_url(submitted), data)
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert (submitted.status, submitted.verified_by) == (EntryStatus.SUBMITTED, None)


@pytest.mark.django_db
def test_entries_cannot_be_added_or_deleted_in_the_admin(client_for, personas, submitted):
    client = client_for(personas["admin"])
    assert client.get(reverse("admin:indicators_progressentry_add")).status_code == 403
    delete = reverse("admin:indicators_progressentry_delete", args=[submitted.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ProgressEntry.objects.filter(pk=submitted.pk).exists()


@pytest.mark.django_db
def test_an_old_version_cannot_be_restored_from_the_history_page(client_for, personas, submitted):
    """simple_history saves an old version back on POST for anyone who may view the history."""
    first = submitted.history.earliest("history_date")
    submitted.status = EntryStatus.VERIFIED
    submitted.verified_by = personas["verifier"]
    submitted.save()
    client = client_for(personas["admin"])
    url = reverse("admin:indicators_progressentry_simple_history", args=[submitted.pk, first.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == EntryStatus.VERIFIED


@pytest.mark.django_db
def test_comments_cannot_be_rewritten_in_the_admin(client_for, personas, submitted):
    comment = Comment.objects.create(entry=submitted, author=personas["reviewer"], text="Lampirkan daftar hadir.")
    response = client_for(personas["admin"]).post(change_url(comment), {"text": "Semua baik.", "entry": submitted.pk})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.text == "Lampirkan daftar hadir."


def user_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2021-01-01",
        "date_joined_1": "08:00:00",
        "initial-date_joined_0": "2021-01-01",
        "initial-date_joined_1": "08:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_administrator_cannot_make_anyone_superuser_or_staff(client_for, personas):
    outsider = personas["outsider"]
    client = client_for(personas["admin"])
    response = client.post(
        change_url(outsider),
        user_form(outsider, is_superuser="on", is_staff="on", groups=[Group.objects.get(name=VERIFIER).pk]),
    )
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert (outsider.is_superuser, outsider.is_staff) == (False, False)
    assert list(outsider.groups.values_list("name", flat=True)) == [VERIFIER]  # the role she may give


@pytest.mark.django_db
def test_administrator_cannot_give_single_permissions_or_her_own_role(client_for, personas):
    from django.contrib.auth.models import Permission

    outsider = personas["outsider"]
    client = client_for(personas["admin"])
    anything = Permission.objects.get(codename="change_user")
    client.post(change_url(outsider), user_form(outsider, user_permissions=[anything.pk]))
    assert not outsider.user_permissions.exists()
    response = client.post(change_url(outsider), user_form(outsider, groups=[Group.objects.get(name=ADMINISTRATOR).pk]))
    assert response.status_code == 200  # the administrator role is not among her choices
    assert not outsider.groups.exists()


@pytest.mark.django_db
def test_administrator_cannot_touch_a_superuser_or_another_administrator(client_for, personas):
    root = User.objects.create_superuser("root", "root@example.org", "x")
    other_admin = User.objects.create_user("admin2", "admin2@example.org", "x", is_staff=True)
    for account in (root, other_admin):  # in her regency, so the admin site lists them to her at all
        StaffProfile.objects.create(user=account, region=personas["admin"].staff_profile.region)
    client = client_for(personas["admin"])
    for account in (root, other_admin):
        response = client.post(change_url(account), user_form(account, email="mine@example.org"))
        assert response.status_code == 403
        account.refresh_from_db()
        assert account.email != "mine@example.org"
        password = reverse("admin:auth_user_password_change", args=[account.pk])
        assert client.post(password, {"password1": "Taken-over-123", "password2": "Taken-over-123"}).status_code == 403


@pytest.mark.django_db
def test_superuser_still_grants_power(client, personas):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    outsider = personas["outsider"]
    response = client.post(change_url(outsider), user_form(outsider, is_staff="on"))
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.is_staff is True


@pytest.mark.django_db
def test_the_admins_add_user_leads_an_administrator_to_people(client_for, personas):
    """The admin's add page made an account with no role and a staff profile without an agency (an officer
    meeting \"no agency\" until someone found the profile's page); for an administrator without a regency, an
    account with no staff profile at all, outside every regency. An administrator now adds people on People
    (account, role, agency and regency in one step); the add page sends her there and makes nothing."""
    client = client_for(personas["admin"])
    add = reverse("admin:auth_user_add")
    response = client.get(add)
    assert (response.status_code, response.url) == (302, "/people/invite/")
    before = User.objects.count()
    password = "Kefamenanu-2026!"
    response = client.post(add, {"username": "half_made", "password1": password, "password2": password})
    assert (response.status_code, response.url) == (302, "/people/invite/")
    assert User.objects.count() == before


@pytest.mark.django_db
def test_a_superuser_still_adds_accounts_in_the_admin(client, personas):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    assert client.get(reverse("admin:auth_user_add")).status_code == 200
