"""Two regencies on one installation: nothing of one is visible or writable from the other.

TTU's people (the usual personas) against the plan of Kabupaten Belu: every page, file, chart CSV,
piece of evidence, import and admin page of Belu is not found for them, and every write is refused with
nothing changed. A province reviewer reads both regencies and writes in neither.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user, rad_url
from indicators.intake.progress import ImportFileError, import_file
from indicators.models import Comment, EntryStatus, Evidence, Indicator, ProgressEntry
from indicators.models.roles import ADMINISTRATOR, OFFICER, REVIEWER, VERIFIER
from indicators.tests.entries_helpers import PDF_BYTES
from indicators.tests.factories import entry
from indicators.tests.import_helpers import csv_bytes
from indicators.tests.plan_helpers import make_plan
from indicators.workflow import services
from programs.models import Agency

BELU = "rad-belu-2019-2023"
TTU_PERSONAS = ["officer_a", "officer_b", "verifier", "reviewer", "executive", "admin", "outsider"]


@pytest.fixture
def belu(db, personas, settings, tmp_path):
    """Belu's plan with one submitted entry carrying evidence, and Belu's own officer, verifier and admin."""
    settings.MEDIA_ROOT = tmp_path
    plan = make_plan(BELU)
    disnakertrans = Agency.objects.get(code="disnakertrans", region__code="53.04")
    secretariat = Agency.objects.get(code="sekretariat", region__code="53.04")
    people = {
        "officer": make_user("officer_belu", OFFICER, disnakertrans, region="53.04"),
        "verifier": make_user("verifier_belu", VERIFIER, secretariat, region="53.04"),
        "admin": make_user("admin_belu", ADMINISTRATOR, region="53.04", is_staff=True),
    }
    item = entry("1.a.1.1", "2021S1", rad=BELU, status=EntryStatus.SUBMITTED, value=40, user=people["officer"])
    evidence = Evidence.objects.create(
        entry=item,
        file=SimpleUploadedFile("hadir.pdf", PDF_BYTES),
        original_name="hadir.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=people["officer"],
    )
    return {"plan": plan, "entry": item, "evidence": evidence, **people}


def belu_pages(belu) -> list[str]:
    pk, evidence = belu["entry"].pk, belu["evidence"].pk
    pages = [
        rad_url("indicators:plan", rad=BELU),
        rad_url("indicators:indicator", "1.a.1.1", rad=BELU),
        rad_url("reports:overview", rad=BELU),
        rad_url("reports:overview", rad=BELU) + "?csv=pillar-years",
        rad_url("reports:pillar", 1, rad=BELU),
        rad_url("reports:indicator", "1.a.1.1", rad=BELU) + "?csv=kecamatan",
        rad_url("reports:kecamatan", rad=BELU),
        rad_url("reports:summaries", rad=BELU),
        rad_url("reports:year_summary", 2021, "csv", rad=BELU),
        rad_url("indicators:indicator_entries", "1.a.1.1", rad=BELU),
        rad_url("indicators:entry", pk, rad=BELU),
        rad_url("indicators:evidence", evidence, rad=BELU),
        rad_url("indicators:my_indicators", rad=BELU),
        rad_url("indicators:review_queue", rad=BELU),
        rad_url("indicators:import", rad=BELU),
        rad_url("indicators:completeness", rad=BELU),
    ]
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("who", TTU_PERSONAS)
def test_no_page_or_file_of_the_other_regency_is_found(client_for, personas, belu, who):
    client = client_for(personas[who])
    # 404: the plan does not exist for her; 403 where her role is refused before the plan is even looked up
    shown = {url: status for url in belu_pages(belu) if (status := client.get(url).status_code) not in (403, 404)}
    assert shown == {}
    # and the entry is not reachable under TTU's own plan either (403: a user without a role sees nothing)
    assert client.get(rad_url("indicators:entry", belu["entry"].pk)).status_code in (403, 404)


@pytest.mark.django_db
def test_the_other_regencys_own_people_read_it(client_for, belu):
    client = client_for(belu["verifier"])
    readable = [url for url in belu_pages(belu) if "my-indicators" not in url and "import" not in url]  # officers'
    assert {url: client.get(url).status_code for url in readable} == dict.fromkeys(readable, 200)
    assert client.get(rad_url("indicators:plan")).status_code == 404  # and TTU's plan is not theirs


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_a", "verifier", "admin"])
def test_no_write_reaches_the_other_regency(client_for, personas, belu, who):
    client = client_for(personas[who])
    pk = belu["entry"].pk
    writes = [
        (rad_url("indicators:new_entry", "1.a.1.1", rad=BELU), {"period": "2021S1", "value": "5"}),
        (rad_url("indicators:verify_entry", pk, rad=BELU), {}),
        (rad_url("indicators:return_entry", pk, rad=BELU), {"reason": "x"}),
        (rad_url("indicators:comment_entry", pk, rad=BELU), {"text": "x"}),
        (rad_url("indicators:upload_evidence", pk, rad=BELU), {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)}),
        (rad_url("indicators:import", rad=BELU), {"file": SimpleUploadedFile("b.csv", b"code\n")}),
    ]
    answered = {url: client.post(url, data).status_code for url, data in writes}
    assert {url: status for url, status in answered.items() if status not in (403, 404)} == {}
    item = ProgressEntry.objects.get(pk=pk)
    assert (item.status, ProgressEntry.objects.filter(indicator__plan=belu["plan"]).count()) == (
        EntryStatus.SUBMITTED,
        1,
    )
    assert not Comment.objects.exists() and Evidence.objects.count() == 1


@pytest.mark.django_db
def test_services_refuse_a_person_of_another_regency(personas, belu):
    indicator = Indicator.objects.get(plan=belu["plan"], code="1.a.1.1")
    with pytest.raises(PermissionDenied):
        services.create_entry(user=personas["officer_a"], indicator=indicator, values={"year": 2021, "semester": 1})
    with pytest.raises(PermissionDenied):
        services.verify_entry(user=personas["verifier"], entry=belu["entry"])
    row = {"code": "1.a.1.1", "period": "2021S1", "date": "2021-03-01", "value": "3", "narrative": "x"}
    with pytest.raises(ImportFileError, match=BELU):
        import_file(csv_bytes([row]), plan=belu["plan"], user=personas["admin"], status=EntryStatus.SUBMITTED)
    assert ProgressEntry.objects.filter(indicator__plan=belu["plan"]).count() == 1


@pytest.mark.django_db
def test_a_province_reviewer_reads_every_regency_and_writes_in_none(client_for, belu):
    reviewer = make_user("ntt", REVIEWER, region="53")
    client = client_for(reviewer)
    for rad in ("rad-ttu-2018-2022", BELU):
        assert client.get(rad_url("reports:overview", rad=rad)).status_code == 200
        assert client.get(rad_url("reports:year_summary", 2021, "csv", rad=rad)).status_code == 200
    assert client.get(rad_url("indicators:entry", belu["entry"].pk, rad=BELU)).status_code == 200
    listing = client.get("/rad/").content.decode()
    # each plan once, however many people work in its regency
    assert (listing.count(f'href="/rad/{BELU}/"'), listing.count('href="/rad/rad-ttu-2018-2022/"')) == (1, 1)
    response = client.post(rad_url("indicators:comment_entry", belu["entry"].pk, rad=BELU), {"text": "x"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_the_admin_site_shows_and_changes_only_the_own_regency(client_for, personas, belu):
    client = client_for(personas["admin"])  # TTU's administrator
    entries = client.get("/admin/indicators/progressentry/").content.decode()
    assert f"/admin/indicators/progressentry/{belu['entry'].pk}/change/" not in entries
    plans = client.get("/admin/programs/plan/").content.decode()
    assert "rad-ttu-2018-2022" in plans and BELU not in plans
    users = client.get("/admin/auth/user/").content.decode()
    assert "officer_a" in users and "officer_belu" not in users
    for url in [
        f"/admin/indicators/progressentry/{belu['entry'].pk}/change/",
        f"/admin/programs/plan/{belu['plan'].pk}/change/",
        f"/admin/auth/user/{belu['officer'].pk}/change/",
        f"/admin/indicators/evidence/{belu['evidence'].pk}/change/",
    ]:
        assert client.get(url).status_code in (302, 404), url  # "does not exist": back to the index
    indicator = Indicator.objects.get(plan=belu["plan"], code="1.a.1.1")
    response = client.post(f"/admin/indicators/indicator/{indicator.pk}/delete/", {"post": "yes"})
    assert response.status_code in (302, 404)
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    # and Belu's administrator sees Belu only
    belu_admin = client_for(belu["admin"])
    plans = belu_admin.get("/admin/programs/plan/").content.decode()
    assert BELU in plans and "rad-ttu-2018-2022" not in plans
    # the agencies too: Belu's copy of Polres is Belu's; TTU's is not found, nor changed
    polres = {a.region.code: a for a in Agency.objects.filter(code="polres").select_related("region")}
    Agency.objects.filter(pk=polres["53.04"].pk).update(short_name="Polres Belu")
    listed = belu_admin.get("/admin/programs/agency/").content.decode()
    assert "Polres Belu" in listed and "Polres TTU" not in listed
    assert belu_admin.get(f"/admin/programs/agency/{polres['53.03'].pk}/change/").status_code in (302, 404)
    response = belu_admin.post(f"/admin/programs/agency/{polres['53.03'].pk}/change/", {"short_name": "X"})
    assert response.status_code in (302, 404)
    assert Agency.objects.get(pk=polres["53.03"].pk).short_name == "Polres TTU"
    # a shared agency is seen by both administrators and changed by neither
    shared = Agency.objects.create(code="bp3mi", name_id="BP3MI NTT", short_name="BP3MI")
    assert belu_admin.get(f"/admin/programs/agency/{shared.pk}/change/").status_code == 200
    belu_admin.post(f"/admin/programs/agency/{shared.pk}/change/", {"code": "bp3mi", "short_name": "X", "name_id": "X"})
    assert Agency.objects.get(pk=shared.pk).short_name == "BP3MI"


def test_sign_in_failures_of_another_regency_are_neither_seen_nor_lifted(client_for, personas, belu):
    from axes.models import AccessAttempt

    ttu = AccessAttempt.objects.create(username="officer_a", ip_address="10.0.0.1", failures_since_start=10)
    other = AccessAttempt.objects.create(username="officer_belu", ip_address="10.0.0.2", failures_since_start=10)
    stranger = AccessAttempt.objects.create(username="guessed-name", ip_address="10.0.0.3", failures_since_start=3)
    client = client_for(personas["admin"])  # TTU's administrator
    listed = client.get("/admin/axes/accessattempt/").content.decode()
    assert "10.0.0.1" in listed and "10.0.0.2" not in listed and "10.0.0.3" not in listed
    assert client.get(f"/admin/axes/accessattempt/{other.pk}/change/").status_code in (302, 404)
    client.post(f"/admin/axes/accessattempt/{other.pk}/delete/", {"post": "yes"})
    assert AccessAttempt.objects.filter(pk=other.pk).exists()  # Belu's lock-out stays
    assert client.post(f"/admin/axes/accessattempt/{ttu.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.filter(pk=ttu.pk).exists()
    # a superuser sees every one, names nobody has included
    root = client_for(make_user("root", None, region="53", is_superuser=True, is_staff=True))
    listed = root.get("/admin/axes/accessattempt/").content.decode()
    assert "10.0.0.2" in listed and "10.0.0.3" in listed
    assert root.get(f"/admin/axes/accessattempt/{stranger.pk}/change/").status_code == 200


def test_the_dhis2_mappings_are_read_by_administrators_and_changed_by_superusers_only(client_for, personas, belu):
    from indicators.models.exchange import Dhis2Mapping

    mapping = Dhis2Mapping.objects.create(kind="dataElement", code="1.a.1.1", uid="Abcdefghij1")
    client = client_for(belu["admin"])
    assert client.get("/admin/indicators/dhis2mapping/").status_code == 200
    client.post(
        f"/admin/indicators/dhis2mapping/{mapping.pk}/change/",
        {"kind": "dataElement", "code": "1.a.1.1", "uid": "Zzzzzzzzzz9"},
    )
    client.post(f"/admin/indicators/dhis2mapping/{mapping.pk}/delete/", {"post": "yes"})
    client.post("/admin/indicators/dhis2mapping/add/", {"kind": "orgUnit", "code": "53.03", "uid": "Yyyyyyyyyy8"})
    assert list(Dhis2Mapping.objects.values_list("code", "uid")) == [("1.a.1.1", "Abcdefghij1")]
    root = client_for(make_user("root", None, region="53", is_superuser=True, is_staff=True))
    data = {"kind": "dataElement", "code": "1.a.1.1", "uid": "Zzzzzzzzzz9"}
    assert root.post(f"/admin/indicators/dhis2mapping/{mapping.pk}/change/", data).status_code == 302
    assert Dhis2Mapping.objects.get(pk=mapping.pk).uid == "Zzzzzzzzzz9"


def test_the_history_of_another_regencys_entry_is_not_found_in_the_admin(client_for, personas, belu):
    """simple_history's pages fall back to the history table when the entry is not in the admin's rows (meant
    for deleted entries): TTU's administrator read Belu's entry, its values and narratives, version by version."""
    item = belu["entry"]
    item.narrative = "Sosialisasi di Atambua"
    item.save()  # a second version, carrying the narrative
    version = item.history.latest("history_date").history_id
    client = client_for(personas["admin"])
    for url in [
        f"/admin/indicators/progressentry/{item.pk}/history/",
        f"/admin/indicators/progressentry/{item.pk}/history/{version}/",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert "Atambua" not in response.content.decode()
    # Belu's administrator reads them
    belu_admin = client_for(belu["admin"])
    assert belu_admin.get(f"/admin/indicators/progressentry/{item.pk}/history/").status_code == 200
    response = belu_admin.get(f"/admin/indicators/progressentry/{item.pk}/history/{version}/")
    assert response.status_code == 200 and "Atambua" in response.content.decode()


def test_the_admins_filters_offer_nothing_of_another_regency(client_for, personas, belu):
    """The changelists' filters listed every agency, plan and region of the installation: TTU's administrator
    read Belu's plan name, its agencies and its kecamatan in the sidebars of her own regency's lists."""
    from indicators.models import ReportingDeadline

    Agency.objects.filter(region__code="53.04").update(short_name="Badan Belu")
    belu["plan"].name_id = "RAD Kabupaten Belu"
    belu["plan"].save()
    ttu_plan = Indicator.objects.get(plan__code="rad-ttu-2018-2022", code="1.a.1.1").plan
    for plan in (ttu_plan, belu["plan"]):
        deadline = {"deadline": "2021-07-31"}
        ReportingDeadline.objects.update_or_create(plan=plan, year=2021, semester=1, defaults=deadline)
    client = client_for(personas["admin"])
    pages = [
        "/admin/indicators/indicator/",
        "/admin/indicators/progressentry/",
        "/admin/indicators/reportingdeadline/",
        "/admin/indicators/consistencyrule/",
        "/admin/programs/staffprofile/",
        "/admin/programs/agency/",
    ]
    shown = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        shown[url] = [name for name in ("Badan Belu", "RAD Kabupaten Belu", "53.04") if name in response.text]
    assert shown == dict.fromkeys(pages, [])
    # her own regency's are still offered
    assert "Polres TTU" in client.get("/admin/indicators/indicator/").text
    assert ttu_plan.name_id in client.get("/admin/indicators/reportingdeadline/").text


def test_a_regencys_administrator_cannot_move_her_regency_out_of_the_province(client_for, personas, belu):
    """The regency's own row was hers to change: made a province, or cut from its parent, TTU fell out of the
    province's view (and its administrator out of her own plans). Kecamatan and desa stay hers to edit."""
    from programs.models import Region

    ttu = Region.objects.get(code="53.03")
    before = (ttu.name, ttu.level, ttu.parent_id)
    assert before[1:] == (Region.Level.KABUPATEN, Region.objects.get(code="53").pk)
    client = client_for(personas["admin"])
    client.post(f"/admin/programs/region/{ttu.pk}/change/", {"code": "53.03", "name": "X", "level": "provinsi"})
    client.post(f"/admin/programs/region/{ttu.pk}/delete/", {"post": "yes"})
    ttu.refresh_from_db()
    assert (ttu.name, ttu.level, ttu.parent_id) == before
    # nor can she add a regency or a province (her plans could never be moved there, but the province's would list it)
    data = {"code": "53.99", "name": "Baru", "level": "kabupaten", "parent": ttu.pk}
    client.post("/admin/programs/region/add/", data)
    assert not Region.objects.filter(code="53.99").exists()
    # a kecamatan of her regency she renames
    kecamatan = Region.objects.filter(parent=ttu).first()
    data = {"code": kecamatan.code, "name": "Kecamatan Baru", "level": "kecamatan", "parent": ttu.pk}
    assert client.post(f"/admin/programs/region/{kecamatan.pk}/change/", data).status_code == 302
    assert Region.objects.get(pk=kecamatan.pk).name == "Kecamatan Baru"


def test_a_regencys_administrator_adds_agencies_to_her_regency_only(client_for, personas, belu):
    """With the regency left empty, TTU's administrator made a shared agency: offered to Belu's plans and people,
    used by Belu's next plan file in place of its own, and changed by no one but a superuser."""
    client = client_for(personas["admin"])
    data = {"code": "bp3mi", "name_id": "BP3MI", "short_name": "BP3MI", "region": ""}
    response = client.post("/admin/programs/agency/add/", data)
    assert response.status_code == 200  # the form again, with its error
    assert not Agency.objects.filter(code="bp3mi").exists()
    ttu = Indicator.objects.get(plan__code="rad-ttu-2018-2022", code="1.a.1.1").plan.region
    response = client.post("/admin/programs/agency/add/", {**data, "region": ttu.pk})
    assert response.status_code == 302
    assert list(Agency.objects.filter(code="bp3mi").values_list("region__code", flat=True)) == ["53.03"]
    # a superuser still makes shared ones
    root = client_for(make_user("root", None, region="53", is_superuser=True, is_staff=True))
    assert root.post("/admin/programs/agency/add/", data).status_code == 302
    assert Agency.objects.filter(code="bp3mi", region__isnull=True).exists()
    # nor does she take a person out of her regency (to none, where only a superuser finds her)
    from programs.models import StaffProfile

    client = client_for(personas["admin"])
    profile = StaffProfile.objects.get(user=personas["officer_a"])
    data = {"user": profile.user_id, "region": "", "agency": profile.agency_id, "language": profile.language}
    assert client.post(f"/admin/programs/staffprofile/{profile.pk}/change/", data).status_code == 200
    assert StaffProfile.objects.get(pk=profile.pk).region_id == ttu.pk


def test_the_admins_view_on_site_link_finds_the_own_regencys_rows_only(client_for, personas, belu):
    """`/admin/r/<type>/<id>/` redirected to any row's page: TTU's administrator learnt, id by id, which
    entries and plans Belu has and their addresses."""
    from django.contrib.contenttypes.models import ContentType

    from programs.models import Plan

    client = client_for(personas["admin"])
    for model, pk in ((ProgressEntry, belu["entry"].pk), (Plan, belu["plan"].pk)):
        type_id = ContentType.objects.get_for_model(model).pk
        response = client.get(f"/admin/r/{type_id}/{pk}/")
        assert response.status_code == 404 and BELU not in response.get("Location", "")
    # her own regency's, and Belu's for Belu's administrator
    type_id = ContentType.objects.get_for_model(ProgressEntry).pk
    own = entry("1.a.1.1", "2021S1", value=3)
    assert client.get(f"/admin/r/{type_id}/{own.pk}/").status_code == 302
    assert (
        client_for(belu["admin"])
        .get(f"/admin/r/{type_id}/{belu['entry'].pk}/")["Location"]
        .endswith(f"/rad/{BELU}/entries/{belu['entry'].pk}/")
    )


def test_a_regencys_administrator_adds_kecamatan_under_her_regencys_code_only(client_for, personas, belu):
    """Issue 19, finding 11: TTU's administrator created kecamatan 53.04.97 (Belu's code) under TTU, and entries
    then named it. A region's code is its parent's code and one more part; its level is one below the parent's."""
    from django.core.exceptions import ValidationError

    from programs.models import Region

    ttu = Region.objects.get(code="53.03")
    client = client_for(personas["admin"])
    for code, level in [("53.04.97", "kecamatan"), ("53.0397", "kecamatan"), ("53.03.97.1", "kecamatan")]:
        response = client.post(
            "/admin/programs/region/add/", {"code": code, "name": "X", "level": level, "parent": ttu.pk}
        )
        assert response.status_code == 200, code  # the form again, with its error
        assert not Region.objects.filter(code=code).exists(), code
    assert "53.03.01" in response.context["adminform"].form.errors["code"][0]  # the example of a right code
    # a desa straight under the regency is not one either
    response = client.post(
        "/admin/programs/region/add/", {"code": "53.03.2001", "name": "X", "level": "desa", "parent": ttu.pk}
    )
    assert not Region.objects.filter(code="53.03.2001").exists()
    # her own new kecamatan is fine
    response = client.post(
        "/admin/programs/region/add/", {"code": "53.03.97", "name": "Baru", "level": "kecamatan", "parent": ttu.pk}
    )
    assert response.status_code == 302
    assert Region.objects.get(code="53.03.97").parent == ttu
    # the rule is the model's, for every write path that validates
    with pytest.raises(ValidationError) as refused:
        Region(code="53.04.98", name="X", level="kecamatan", parent=ttu).full_clean()
    assert "code" in refused.value.message_dict
