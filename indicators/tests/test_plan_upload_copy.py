"""New plan on the web: "copy the current plan" as `copy_plan` does it; a file of another regency flagged; a
file of other years refused with the way to move it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from indicators.models import Indicator
from indicators.plans.plan_file import to_csv
from indicators.plans.plan_import import other_regencies_named
from indicators.tests.factories import entry
from indicators.tests.plan_helpers import make_regency
from programs.models import Plan, Region

COPY = "/plans/new/copy/"


def copy_data(**changes) -> dict:
    data = {
        "copy-source": "rad-ttu-2018-2022",
        "copy-start_year": 2023,
        "copy-end_year": 2027,
        "copy-slug": "rad-ttu-2023-2027",
        "copy-name": "",
    }
    return {**data, **changes}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_the_page_offers_the_copy_of_the_current_plan_with_the_next_years(client_for, personas):
    body = client_for(personas["admin"]).get("/plans/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Copy the current plan" in body
    assert 'name="copy-start_year" value="2023"' in body and 'name="copy-end_year" value="2027"' in body


@pytest.mark.django_db
def test_the_administrator_copies_her_plan_with_carry_over_and_predecessors(client_for, personas):
    # 1.a.1.1: 5,000 people planned, 1,200 reached (verified) → 3,800 carried; 1.b.2.1: 24 kecamatan, 2 reached → 22
    entry("1.a.1.1", "2019S1", value=1200)
    entry("1.b.2.1", "2019S1", kecamatan="53.03.01")
    entry("1.b.2.1", "2020S2", kecamatan="53.03.02")
    entry("1.a.1.2", "2019S1", value=300, status="submitted")  # not official: nothing reached
    client = client_for(personas["admin"])
    response = client.post(COPY, copy_data(**{"copy-carry_over": "on"}), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.redirect_chain == [("/rad/rad-ttu-2023-2027/", 302)]
    assert "as a copy of rad-ttu-2018-2022: 47 indicators" in response.content.decode()
    new = Plan.objects.get(code="rad-ttu-2023-2027")
    assert (new.status, new.region.code, new.start_year, new.end_year) == ("draft", "53.03", 2023, 2027)
    assert new.name_en.endswith("2023–2027")
    old = {i.code: i for i in Indicator.objects.filter(plan__code="rad-ttu-2018-2022")}
    copies = {i.code: i for i in Indicator.objects.filter(plan=new)}
    assert len(copies) == 47
    assert all(copies[code].predecessor_id == old[code].pk for code in copies)
    assert copies["1.a.1.1"].plan_target == 3800
    assert copies["1.b.2.1"].plan_target == 22
    assert copies["1.a.1.2"].plan_target == 5000
    assert copies["1.a.1.1"].note_en.startswith("Target carried over from rad-ttu-2018-2022")


@pytest.mark.django_db
def test_a_copy_without_carry_over_keeps_the_targets(client_for, personas):
    entry("1.a.1.1", "2019S1", value=1200)
    client_for(personas["admin"]).post(COPY, copy_data())
    assert Indicator.objects.get(plan__code="rad-ttu-2023-2027", code="1.a.1.1").plan_target == 5000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"copy-start_year": 2020, "copy-end_year": 2024}, "rad-ttu-2018-2022"),  # overlaps the plan not closed
        ({"copy-slug": "rad-ttu-2018-2022"}, "already exists"),
        ({"copy-end_year": 2021}, "comes before the first year"),
        ({"copy-source": "rad-belu-2019-2023"}, "Select a valid choice"),  # not a plan of hers
        ({"copy-slug": "Not a slug!"}, "slug"),
    ],
)
def test_a_copy_that_cannot_be_made_is_refused_and_nothing_is_created(client_for, personas, changes, message):
    from indicators.tests.plan_helpers import make_plan

    make_plan()  # Belu's plan, of another regency
    before = Plan.objects.count()
    response = client_for(personas["admin"]).post(COPY, copy_data(**changes), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Plan.objects.count() == before
    assert 'value="2023"' in response.content.decode() or changes.get("copy-start_year")  # what was typed stays


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_a", "verifier", "reviewer", "executive"])
def test_only_administrators_copy(client_for, personas, who):
    assert client_for(personas[who]).post(COPY, copy_data()).status_code == 403
    assert not Plan.objects.filter(code="rad-ttu-2023-2027").exists()


@pytest.mark.django_db
def test_agency_names_that_mention_another_regency_are_found(plan):
    ttu = Region.objects.get(code="53.03")
    belu = make_regency("53.04", "Kabupaten Belu")
    names = {
        "polres": {"short_name": "Polres TTU", "name_id": "Kepolisian Resor TTU", "name_en": "Police"},
        "sekretariat": {"short_name": "Sekretariat GT", "name_id": "Sekretariat Gugus Tugas", "name_en": ""},
        "kejari": {"short_name": "Kejari", "name_id": "Kejaksaan Negeri Timor Tengah Utara", "name_en": ""},
        "tuturan": {"short_name": "Dinas Pariwisata", "name_id": "Dinas TTUR", "name_en": "Tutu"},  # no word TTU
    }
    assert other_regencies_named(names, belu) == {"polres": [ttu], "kejari": [ttu]}
    # for TTU itself, its own name is no other regency's
    assert other_regencies_named(names, ttu) == {}
    belus = {"polres": {"short_name": "Polres Belu", "name_id": "Polres Belu", "name_en": ""}}
    assert other_regencies_named(belus, ttu) == {"polres": [belu]}


@pytest.mark.django_db
def test_a_file_of_other_years_is_refused_with_the_way_to_move_it(client_for, personas, plan):
    # TTU's 2018–2022 file (target_2018 … target_2022) uploaded for 2023–2027
    client = client_for(personas["admin"])
    fields = {"regency": "53.03", "start_year": 2023, "end_year": 2027, "slug": "rad-ttu-23", "name": "RAD"}
    response = client.post("/plans/new/", {**fields, "file": SimpleUploadedFile("p.csv", to_csv(plan))})
    body = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode().replace("&#x27;", "'")
    assert "The file's annual targets are for 2018, 2019, 2020, 2021, 2022, not for the plan's years 2023–2027" in body
    assert "export_plan --rad SLUG --start-year 2023" in body
    assert "First year of the new plan" in body
    assert len(re.findall(r'<tr class="table-danger">', body)) == 1  # one message, not one per column


@pytest.mark.django_db
def test_the_moved_file_is_accepted(client_for, personas, plan):
    client = client_for(personas["admin"])
    moved = client.get(
        "/plans/new/plan-file/", {"source-plan": "rad-ttu-2018-2022", "source-start_year": 2023, "source-format": "csv"}
    ).content
    fields = {"regency": "53.03", "start_year": 2023, "end_year": 2027, "slug": "rad-ttu-23", "name": "RAD"}
    response = client.post("/plans/new/", {**fields, "file": SimpleUploadedFile("p.csv", moved)})
    body = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The file is correct" in body
    assert "names another regency" not in body  # TTU's own names, for TTU


@pytest.mark.django_db
def test_a_regency_administrator_is_not_offered_another_regencys_plan_to_copy(client_for, plan):
    make_regency()
    belu_admin = make_user("belu_admin", "administrator", region="53.04", is_staff=True)
    body = client_for(belu_admin).get("/plans/new/").content.decode()
    assert "rad-ttu-2018-2022" not in body
