"""People: a regency's administrator invites a person in one form; she sets her own password by a link.

Also what a person whose account lacks something sees: what is missing and whom to ask, never a bare 403.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from conftest import RAD, make_user
from indicators.models.roles import OFFICER, REVIEWER
from indicators.tests.plan_helpers import make_regency
from programs.models import Agency, Region, StaffProfile

PEOPLE, INVITE = "/people/", "/people/invite/"


def invite_data(**changes) -> dict:
    data = {
        "name": "Maria Goreti Tefa",
        "email": "maria.tefa@example.org",
        "role": Group.objects.get(name=OFFICER).pk,
        "regency": Region.objects.get(code="53.03").pk,
        "agency": Agency.objects.get(code="disnakertrans", region__code="53.03").pk,
    }
    return {**data, **changes}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 403),
        ("officer_b", 403),
        ("verifier", 403),
        ("reviewer", 403),
        ("executive", 403),
        ("outsider", 403),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize("url", [PEOPLE, INVITE])
def test_only_the_regencys_administrator_opens_people(client_for, personas, who, status, url):
    response = client_for(personas[who]).get(url)
    assert response.status_code == status
    if status == 403:
        # a page that says why and whom to ask, not a bare "403 Forbidden"
        assert '<h2 class="h5">' in response.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, plan):
    assert client.get(PEOPLE).url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_superuser_opens_people(client_for, plan):
    root = User.objects.create_superuser("root", "root@example.org", "x")
    assert client_for(root).get(PEOPLE).status_code == 200


@pytest.mark.django_db
def test_the_administrator_sees_the_links_in_the_menu_and_others_do_not(client_for, personas):
    page = client_for(personas["admin"]).get(f"{RAD}/").content.decode()
    assert 'href="/people/"' in page and 'href="/admin/"' in page
    page = client_for(personas["verifier"]).get(f"{RAD}/").content.decode()
    assert 'href="/people/"' not in page and 'href="/admin/"' not in page


@pytest.mark.django_db
def test_an_invited_officer_gets_her_account_profile_and_a_link(client_for, personas, settings):
    settings.SITE_URL = "https://tppo.example.go.id"
    response = client_for(personas["admin"]).post(INVITE, invite_data())
    assert response.status_code == 302 and response.url == PEOPLE
    maria = User.objects.get(email="maria.tefa@example.org")
    assert (maria.username, maria.first_name, maria.last_name) == ("maria.tefa", "Maria Goreti", "Tefa")
    assert not maria.has_usable_password()
    assert list(maria.groups.values_list("name", flat=True)) == [OFFICER]
    profile = StaffProfile.objects.get(user=maria)
    assert (profile.region.code, profile.agency.code) == ("53.03", "disnakertrans")
    [message] = mail.outbox
    assert message.to == ["maria.tefa@example.org"]
    link = re.search(r"https://tppo\.example\.go\.id/accounts/password/reset/\S+/", message.body)
    assert link, message.body
    assert "maria.tefa" in message.body
    listing = client_for(personas["admin"]).get(PEOPLE).content.decode()
    assert "Maria Goreti Tefa" in listing and "maria.tefa@example.org" in listing


@pytest.mark.django_db
def test_the_invitation_refuses_what_would_leave_the_person_half_made(client_for, personas):
    client = client_for(personas["admin"])
    reviewer_role = Group.objects.get(name=REVIEWER).pk
    belu = make_regency("53.04")
    belu_polres = Agency.objects.create(code="polres", short_name="Polres Belu", name_id="Polres Belu", region=belu)
    cases = [
        invite_data(agency=""),  # an officer without her agency
        invite_data(email="officer_a@example.org"),  # an address already in use
        invite_data(email="not an address"),
        invite_data(agency=belu_polres.pk),  # another regency's agency
        invite_data(regency=belu.pk),  # a regency that is not hers
        invite_data(role=Group.objects.get(name="administrator").pk),  # her own role: only a superuser gives it
    ]
    for data in cases:
        response = client.post(INVITE, data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
        assert 'value="Maria Goreti Tefa"' in response.content.decode()  # what was typed stays
    assert not User.objects.filter(first_name="Maria Goreti").exists()
    assert mail.outbox == []
    # a reviewer needs no agency
    assert client.post(INVITE, invite_data(role=reviewer_role, agency="")).status_code == 302


@pytest.mark.django_db
def test_an_officer_without_an_agency_is_told_what_is_missing_and_whom_to_ask(client_for, personas):
    lone = make_user("lone", OFFICER, None)
    response = client_for(lone).get(f"{RAD}/my-work/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    body = response.content.decode()
    assert "not linked to an agency" in body
    assert "Whom to ask" in body and "admin@example.org" in body  # the regency's administrator


@pytest.mark.django_db
def test_a_person_without_a_regency_is_told_so(client_for, personas):
    nowhere = User.objects.create_user("nowhere", "nowhere@example.org", "x")
    nowhere.groups.add(Group.objects.get(name=REVIEWER))
    User.objects.create_superuser("root", "root@example.org", "x")
    response = client_for(nowhere).get("/rad/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    body = response.content.decode()
    assert "belongs to no regency or province yet" in body
    assert "root@example.org" in body  # no administrator of hers: the superusers


@pytest.mark.django_db
def test_a_person_without_a_role_is_told_whom_to_ask(client_for, personas):
    body = client_for(personas["outsider"]).get(f"{RAD}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "has no role yet" in body and "admin@example.org" in body


@pytest.mark.django_db
def test_the_link_is_sent_again_to_someone_who_has_no_password_yet(client_for, personas, plan):
    client = client_for(personas["admin"])
    client.post(INVITE, invite_data())
    maria = User.objects.get(email="maria.tefa@example.org")
    assert f'action="/people/{maria.pk}/resend/"' in client.get(PEOPLE).content.decode()
    assert client.post(f"/people/{maria.pk}/resend/").url == PEOPLE
    assert [m.to for m in mail.outbox] == [["maria.tefa@example.org"]] * 2
    # someone with a password: nothing sent (she uses "forgotten password")
    client.post(f"/people/{personas['officer_a'].pk}/resend/")
    assert len(mail.outbox) == 2
    # another regency's person does not exist here; other roles may not
    belu = make_regency("53.04")
    stranger = User.objects.create_user("stranger", "s@example.org")
    StaffProfile.objects.create(user=stranger, region=belu)
    assert client.post(f"/people/{stranger.pk}/resend/").status_code == 404
    assert client_for(personas["verifier"]).post(f"/people/{maria.pk}/resend/").status_code == 403
    assert len(mail.outbox) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "officer", "verifier"),
    [("en", "Data-entry officer", "Verifier (secretariat)"), ("id", "Petugas input data", "Verifikator (sekretariat)")],
)
def test_roles_are_shown_by_their_translated_names(client_for, personas, language, officer, verifier):
    """The People list, the invitation's role choices and the admin's user form name a role in the reader's
    language, never by its group's code ("officer")."""
    client = client_for(personas["admin"])
    page = client.get(PEOPLE, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    roles = re.findall(r'<td data-label="(?:Role|Peran)">([^<]*)</td>', page)  # the Role column
    assert officer in roles and verifier in roles
    assert "officer" not in roles and "verifier" not in roles
    form = client.get(INVITE, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    choices = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', form)
    assert officer in choices and verifier in choices and "officer" not in choices
    user = personas["officer_a"]
    admin_form = client.get(f"/admin/auth/user/{user.pk}/change/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f">{officer}</option>" in admin_form and ">officer</option>" not in admin_form


@pytest.mark.django_db
def test_the_admins_user_list_filters_by_role_names(client_for, personas):
    """The same on the admin's list of accounts: its filter by role names the roles, not the groups' codes."""
    client = client_for(personas["admin"])
    page = client.get("/admin/auth/user/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    links = re.findall(r'<a href="\?groups__id__exact=\d+"[^>]*>([^<]+)</a>', page)
    assert "Data-entry officer" in links and "Verifier (secretariat)" in links
    assert "officer" not in links
