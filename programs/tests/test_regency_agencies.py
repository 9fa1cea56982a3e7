"""Agencies belong to a regency: Belu's Polres is not TTU's, even under the same code.

A plan names its regency's own agencies (or shared ones); a plan file for a regency without them
creates them from the names it carries; a plan copied to another regency gets that regency's agencies;
a person's agency is of her own regency; and nobody is offered another regency's agencies.
"""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from conftest import make_user, rad_url
from indicators.models import Indicator
from indicators.models.roles import OFFICER
from indicators.plans.loader import load_plan
from indicators.tests.plan_helpers import make_plan, make_regency
from programs.models import Agency, Plan, StaffProfile
from reports.forms import DashboardFilters

TTU, BELU = "53.03", "53.04"


def ttu_agency_codes(plan) -> set[str]:
    return set(Indicator.objects.filter(plan=plan).values_list("agency__code", flat=True))


def test_a_plan_copied_to_another_regency_gets_that_regencys_agencies(plan):
    belu = make_plan("rad-belu-2019-2023")
    used = set(Indicator.objects.filter(plan=belu).values_list("agency__region__code", "agency__code"))
    assert used == {(BELU, code) for code in ttu_agency_codes(plan)}
    polres_ttu = Agency.objects.get(code="polres", region__code=TTU)
    polres_belu = Agency.objects.get(code="polres", region__code=BELU)
    assert polres_belu.pk != polres_ttu.pk
    assert (polres_belu.name_id, polres_belu.short_name) == (polres_ttu.name_id, polres_ttu.short_name)
    # a second plan of Belu uses Belu's agencies again: none made twice
    before = Agency.objects.count()
    make_plan("rad-belu-2024-2028", region=belu.region, years=(2024, 2028))
    assert Agency.objects.count() == before


def test_the_database_keeps_codes_unique_within_a_regency(plan):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Agency.objects.create(code="polres", region=plan.region, name_id="Polres lain", short_name="Polres 2")
    # the same code in another regency, and once as a shared agency, is fine
    Agency.objects.create(code="polres", region=make_regency(), name_id="Polres Belu", short_name="Polres Belu")
    Agency.objects.create(code="polres", name_id="Polda NTT", short_name="Polda")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Agency.objects.create(code="polres", name_id="Polda NTT 2", short_name="Polda 2")


def test_one_secretariat_per_regency(plan):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Agency.objects.create(
            code="sekretariat-2", region=plan.region, name_id="X", short_name="X", is_secretariat=True
        )
    Agency.objects.create(
        code="sekretariat",
        region=make_regency(),
        name_id="Sekretariat GT Belu",
        short_name="Sekr.",
        is_secretariat=True,
    )


def test_a_regencys_own_agency_wins_over_a_shared_one_of_the_same_code(plan):
    shared = Agency.objects.create(code="bp3mi", name_id="BP3MI NTT", short_name="BP3MI")
    found = Agency.objects.by_code(plan.region)
    assert found["bp3mi"] == shared
    own = Agency.objects.create(code="bp3mi", region=plan.region, name_id="Pos BP3MI TTU", short_name="Pos BP3MI")
    found = Agency.objects.by_code(plan.region)
    assert found["bp3mi"] == own
    assert found["polres"].region == plan.region
    assert "bp3mi" in Agency.objects.by_code(make_regency()) and "polres" not in Agency.objects.by_code(make_regency())


def test_a_person_and_an_indicator_take_agencies_of_their_own_regency(plan):
    belu = make_plan("rad-belu-2019-2023")
    polres_ttu = Agency.objects.get(code="polres", region__code=TTU)
    user = make_user("officer_belu", OFFICER, Agency.objects.get(code="polres", region__code=BELU), region=BELU)
    profile = StaffProfile.objects.get(user=user)
    profile.agency = polres_ttu
    with translation.override("en"), pytest.raises(ValidationError, match="belongs to another regency"):
        profile.full_clean()
    indicator = Indicator.objects.get(plan=belu, code="1.a.1.1")
    indicator.agency = polres_ttu
    with translation.override("en"), pytest.raises(ValidationError, match="belongs to another regency"):
        indicator.full_clean()


def export(plan, tmp_path, *extra) -> str:
    out = tmp_path / "plan.csv"
    call_command("export_plan", "--rad", plan.code, "--output", str(out), *extra, stdout=io.StringIO())
    return str(out)


def import_plan(path, *extra, regency=BELU, slug="rad-belu-2023-2027") -> str:
    out = io.StringIO()
    args = [path, "--regency", regency, "--years", "2023-2027", "--slug", slug, "--name", "RAD Belu", *extra]
    with translation.override("en"):
        call_command("import_plan", *args, stdout=out)
    return out.getvalue()


def test_a_plan_file_brings_the_agencies_a_new_regency_lacks(plan, tmp_path):
    make_regency()
    path = export(plan, tmp_path, "--start-year", "2023")
    codes = sorted(ttu_agency_codes(plan))
    assert f"Agencies the plan would add to the regency: {', '.join(codes)}." in import_plan(path, "--dry-run")
    assert not Agency.objects.filter(region__code=BELU).exists()
    assert f"Agencies added to the regency: {', '.join(codes)}." in import_plan(path)
    new = Plan.objects.get(code="rad-belu-2023-2027")
    assert set(Indicator.objects.filter(plan=new).values_list("agency__region__code", flat=True)) == {BELU}
    dinsos = Agency.objects.get(code="dinsos", region__code=BELU)
    assert (dinsos.name_id, dinsos.name_en, dinsos.short_name) == (
        "Dinas Sosial",
        "Social Affairs Office",
        "Dinas Sosial",
    )
    # another file for Belu finds the agencies there: nothing new
    Plan.objects.filter(pk=new.pk).update(status=Plan.Status.CLOSED)
    before = Agency.objects.count()
    assert "Agencies added" not in import_plan(path, slug="rad-belu-2023-2027-b")
    assert Agency.objects.count() == before


def test_an_unknown_agency_needs_its_name_and_the_same_names_on_every_row(plan, tmp_path):
    make_regency()
    with open(export(plan, tmp_path, "--start-year", "2023"), encoding="utf-8-sig", newline="") as source:
        reader = csv.DictReader(source)
        header, rows = reader.fieldnames, list(reader)
    line = {row["code"]: n + 2 for n, row in enumerate(rows)}  # the header is row 1
    disnakertrans = [row for row in rows if row["agency"] == "disnakertrans"]
    first, last = disnakertrans[0], disnakertrans[-1]
    first.update(agency_name_id="", agency_short_name="", agency_name_en="")
    last["agency_name_id"] = "Dinas Nakertrans Kab. Belu"
    bad = tmp_path / "bad.csv"
    with open(bad, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, header)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(CommandError) as error:
        import_plan(str(bad))
    message = str(error.value)
    assert (
        f"Row {line[first['code']]}, agency: Unknown agency code “disnakertrans”: give its name in agency_name_id"
        in message
    )
    assert (
        f"Row {line[last['code']]}, agency_name_id: The agency “disnakertrans” has other names on an earlier row."
        in message
    )
    assert message.count("\nRow ") == 2
    assert not Agency.objects.filter(region__code=BELU).exists()
    assert not Plan.objects.filter(code="rad-belu-2023-2027").exists()


def test_nobody_is_offered_another_regencys_agencies(plan, personas, client_for):
    belu = make_plan("rad-belu-2019-2023")
    Agency.objects.filter(region__code=BELU, code="polres").update(short_name="Polres Belu")
    offered = DashboardFilters({}, plan=plan, pillars=[]).fields["agency"].queryset
    assert sorted((a.region.code, a.code) for a in offered) == sorted((TTU, c) for c in ttu_agency_codes(plan))
    offered = DashboardFilters({}, plan=belu, pillars=[]).fields["agency"].queryset
    assert {a.region.code for a in offered} == {BELU}
    page = client_for(personas["reviewer"]).get(rad_url("reports:overview"))
    assert page.status_code == 200
    assert "Polres TTU" in page.text and "Polres Belu" not in page.text


def test_loading_the_plan_again_keeps_agencies_that_were_shared_before(plan):
    """An installation whose regencies shared agencies before agencies had a regency (the migration leaves
    them shared): `make run` loads the plan again, and must not set up TTU's own beside them."""
    Agency.objects.update(region=None)
    before = dict(Indicator.objects.filter(plan=plan).values_list("code", "agency_id"))
    agencies = Agency.objects.count()
    load_plan()
    assert Agency.objects.count() == agencies
    assert dict(Indicator.objects.filter(plan=plan).values_list("code", "agency_id")) == before


def test_one_code_names_one_agency_in_a_plan(plan, personas, client_for):
    """A regency's own agency of a shared agency's code (TTU's own BP3MI post beside the province's BP3MI):
    a plan with indicators of both made the dashboards' `?agency=bp3mi` a server error (two agencies found),
    and its filter listed the code twice. The regency's own wins, as everywhere codes are read
    (Agency.objects.by_code), and an indicator is refused the second agency of a code its plan uses."""
    shared = Agency.objects.create(code="bp3mi", name_id="BP3MI NTT", short_name="BP3MI NTT")
    own = Agency.objects.create(code="bp3mi", region=plan.region, name_id="Pos BP3MI", short_name="Pos BP3MI")
    Indicator.objects.filter(plan=plan, code="1.a.1.1").update(agency=shared)
    indicator = Indicator.objects.get(plan=plan, code="1.a.1.2")
    indicator.agency = own
    with translation.override("en"), pytest.raises(ValidationError, match="Another agency of this plan, BP3MI NTT"):
        indicator.full_clean()
    # as an installation made before the rule holds it
    Indicator.objects.filter(pk=indicator.pk).update(agency=own)
    client = client_for(personas["reviewer"])
    for url in (rad_url("reports:overview"), rad_url("reports:kecamatan")):
        assert client.get(url + "?agency=bp3mi").status_code == 200
    offered = DashboardFilters({}, plan=plan, pillars=[]).fields["agency"].queryset
    assert [a.code for a in offered].count("bp3mi") == 1


def test_an_entry_takes_an_agency_of_its_plans_regency(plan):
    """No page offers it (an entry takes its indicator's agency, or an import's --agency read in the plan's
    regency); the model refuses it too, for every write path that cleans (imports, the API)."""
    from indicators.models import ProgressEntry

    belu = make_plan("rad-belu-2019-2023")
    indicator = Indicator.objects.get(plan=belu, code="1.a.1.1")
    item = ProgressEntry(indicator=indicator, agency=Agency.objects.get(code="polres", region__code=TTU))
    item.year, item.semester, item.value, item.date = 2021, 1, 3, "2021-03-01"
    with translation.override("en"), pytest.raises(ValidationError, match="belongs to another regency"):
        item.full_clean(exclude=["created_by"])
    item.agency = Agency.objects.get(code="polres", region__code=BELU)
    item.full_clean(exclude=["created_by"])
