"""`manage.py seed_demo`: demo mode only, every kind, labelled, deterministic, idempotent."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import translation

from conftest import RAD
from indicators.models import EntryStatus, Indicator, Kind, ProgressEntry
from indicators.models.roles import can_enter, can_verify, user_agency


def seed(*args) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True


@pytest.mark.django_db
def test_refuses_outside_demo_mode(plan, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo"):
        seed()
    assert not ProgressEntry.objects.exists()
    assert not User.objects.filter(username__startswith="demo_").exists()


@pytest.mark.django_db
def test_make_run_flag_skips_quietly_outside_demo_mode(plan, settings, capsys):
    settings.DEMO_MODE = False
    with translation.override("en"):
        call_command("seed_demo", "--if-demo-mode")
    assert "Not in demo mode" in capsys.readouterr().out
    assert not ProgressEntry.objects.exists()
    assert not User.objects.filter(username__startswith="demo_").exists()


@pytest.mark.django_db
def test_creates_labelled_entries_for_every_kind(plan, demo_mode):
    out = seed()
    entries = ProgressEntry.objects.all()
    assert entries.exists()
    assert not entries.filter(is_demo=False).exists()
    kinds = set(entries.values_list("indicator__kind", flat=True))
    assert kinds == set(Kind.values)
    # every indicator of the plan has something to show
    assert set(entries.values_list("indicator", flat=True)) == set(Indicator.objects.values_list("pk", flat=True))
    assert all(e.narrative.startswith("Data demo") for e in entries)
    years = set(entries.values_list("year", flat=True))
    assert years == set(plan.years)
    assert str(entries.count()) in out


@pytest.mark.django_db
def test_workflow_mix_and_one_returned_entry(plan, demo_mode):
    seed()
    by_status = dict(ProgressEntry.objects.values_list("status").annotate(n=Count("id")))
    assert by_status[EntryStatus.RETURNED] == 1
    assert by_status[EntryStatus.VERIFIED] > by_status[EntryStatus.SUBMITTED] > 0
    assert by_status[EntryStatus.DRAFT] > 0
    returned = ProgressEntry.objects.get(status=EntryStatus.RETURNED)
    assert returned.return_reason.startswith("Data demo")
    for entry in ProgressEntry.objects.filter(status=EntryStatus.VERIFIED)[:50]:
        assert entry.verified_by.username == "demo_verifier"
        assert entry.verified_by != entry.created_by
        assert entry.submitted_at <= entry.verified_at


@pytest.mark.django_db
def test_entries_keep_the_models_rules(plan, demo_mode):
    seed()
    for entry in ProgressEntry.objects.select_related("indicator__plan__region", "kecamatan"):
        entry.full_clean()
        if entry.male is not None:
            assert entry.male + entry.female == entry.value
        if entry.child is not None:
            assert entry.child + entry.adult == entry.value
        assert not entry.duplicates().exists()


@pytest.mark.django_db
def test_coverage_reaches_all_24_kecamatan_for_one_indicator_and_fewer_for_others(plan, demo_mode):
    seed()
    reached = (
        ProgressEntry.objects.filter(indicator__kind=Kind.COVERAGE)
        .values("indicator__code")
        .annotate(places=Count("kecamatan", distinct=True))
    )
    places = sorted(row["places"] for row in reached)
    assert places[-1] == 24
    assert places[0] < 24


@pytest.mark.django_db
def test_milestones_move_forward(plan, demo_mode):
    seed()
    statuses = set(
        ProgressEntry.objects.filter(indicator__kind=Kind.MILESTONE).values_list("milestone_status", flat=True)
    )
    assert statuses == {"not_started", "in_progress", "achieved"}


# every column compared is in the order: two entries alike but for their status came out in either order on
# PostgreSQL (no tie-break), and the lists differed at index 161 though they held the same entries
COMPARED = ("indicator__code", "year", "semester", "date", "value", "status")


@pytest.mark.django_db
def test_is_idempotent_and_reset_recreates_the_same_data(plan, demo_mode):
    seed()
    first = list(ProgressEntry.objects.order_by(*COMPARED).values_list(*COMPARED))
    out = seed()
    assert "Created" not in out
    assert ProgressEntry.objects.count() == len(first)
    assert User.objects.filter(username__startswith="demo_").count() == 8  # one per role, the province, the country

    seed("--reset")
    again = list(ProgressEntry.objects.order_by(*COMPARED).values_list(*COMPARED))
    assert again == first  # deterministic
    # history of the removed entries is gone too; only the new ones have records
    assert ProgressEntry.history.filter(history_type="+").count() == len(first)


@pytest.mark.django_db
def test_reset_keeps_real_entries(plan, demo_mode, personas):
    seed()
    real = ProgressEntry.objects.filter(is_demo=True).first()
    real.pk = None
    real.is_demo = False
    real.narrative = "A real entry"
    real.save()
    seed("--reset")
    assert ProgressEntry.objects.filter(is_demo=False).count() == 1


@pytest.mark.django_db
def test_demo_users_one_per_role_with_printed_password(plan, demo_mode, client):
    out = seed()
    from indicators.management.commands.seed_demo import DEMO_PASSWORD

    assert DEMO_PASSWORD in out
    for name in (
        "demo_officer",
        "demo_officer_dinsos",
        "demo_verifier",
        "demo_reviewer",
        "demo_executive",
        "demo_admin",
        "demo_province",
        "demo_national",
    ):
        assert name in out
        # through the sign-in form: the throttling backend (django-axes) needs the request
        response = client.post("/accounts/login/", {"username": name, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and "_auth_user_id" in client.session, name
        client.logout()
    officer = User.objects.get(username="demo_officer")
    assert can_enter(officer) and user_agency(officer).code == "disnakertrans"
    assert user_agency(User.objects.get(username="demo_officer_dinsos")).code == "dinsos"
    assert can_verify(User.objects.get(username="demo_verifier"))
    admin = User.objects.get(username="demo_admin")
    assert admin.is_staff and not admin.is_superuser
    assert admin.groups.filter(name="administrator").exists()
    assert not User.objects.get(username="demo_reviewer").has_perm("indicators.enter_progress")
    # everyone works in the plan's regency, except the province reviewer, who reads all of NTT, and the country's
    regions = dict(
        User.objects.filter(username__startswith="demo_").values_list("username", "staff_profile__region__code")
    )
    expected = {"demo_province": "53", "demo_national": None}
    assert regions == {name: expected.get(name, "53.03") for name in regions}
    national = User.objects.get(username="demo_national")
    assert national.staff_profile.national and national.staff_profile.agency is None
    assert not national.has_perm("indicators.enter_progress") and not national.has_perm("indicators.verify_progress")
    client.force_login(national)
    assert client.get("/national/").status_code == 200


@pytest.mark.django_db
def test_demo_banner_shows_while_demo_entries_exist(plan, demo_mode, client_for, personas):
    client = client_for(personas["reviewer"])
    assert b"Demo data" not in client.get(f"{RAD}/", headers={"accept-language": "en"}).content
    seed()
    client.cookies["django_language"] = "en"
    assert b"Demo data" in client.get(f"{RAD}/").content


@pytest.mark.django_db
def test_a_second_regencys_demo_leaves_the_first_ones_people_and_entries(plan, demo_mode):
    from indicators.tests.plan_helpers import make_plan

    seed()
    ttu_entries = ProgressEntry.objects.filter(indicator__plan=plan).count()
    belu = make_plan("rad-belu-2019-2023")
    out = seed("--rad", belu.code)
    assert "Created" in out and "demo_officer_53_04" in out
    officer = User.objects.get(username="demo_officer")
    assert (officer.staff_profile.region.code, officer.staff_profile.agency.region.code) == ("53.03", "53.03")
    belu_officer = User.objects.get(username="demo_officer_53_04")
    assert (belu_officer.staff_profile.region.code, belu_officer.staff_profile.agency.region.code) == ("53.04", "53.04")
    # one province: its reviewer is the same person for both regencies
    assert not User.objects.filter(username__startswith="demo_province_").exists()
    belu_entries = ProgressEntry.objects.filter(indicator__plan=belu).count()
    assert belu_entries > 0
    seed("--rad", belu.code, "--reset")
    assert ProgressEntry.objects.filter(indicator__plan=plan).count() == ttu_entries
    assert ProgressEntry.objects.filter(indicator__plan=belu).count() == belu_entries


@pytest.mark.django_db
def test_a_regency_without_kecamatan_is_refused_naming_the_command(plan, demo_mode):
    from indicators.tests.plan_helpers import make_plan, make_regency

    belu = make_plan("rad-belu-2019-2023", region=make_regency("53.04", kecamatan=0))
    with pytest.raises(
        CommandError, match=r"Kabupaten Belu has no kecamatan loaded: run `manage.py load_regions 53.04`"
    ):
        seed("--rad", belu.code)
    assert not ProgressEntry.objects.exists() and not User.objects.filter(username__startswith="demo_").exists()
