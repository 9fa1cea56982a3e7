"""`manage.py copy_plan`: the next plan of a regency, with the unmet targets carried over (worked by hand)."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from indicators.models import EntryStatus, Indicator, Target
from indicators.tests.factories import entry
from programs.models import Pillar, Plan

TTU = "rad-ttu-2018-2022"
NEXT = "rad-ttu-2023-2027"


def run(*args) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("copy_plan", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def reported(plan):
    """1.a.1.1 (count, 5,000 people): 2,000 + 1,200 verified, 500 only submitted. 1.b.2.1 (coverage, 24
    kecamatan): Insana twice and Noemuti, verified: two places."""
    entry("1.a.1.1", "2019S1", value=2000)
    entry("1.a.1.1", "2020S2", value=1200)
    entry("1.a.1.1", "2021S1", value=500, status=EntryStatus.SUBMITTED)
    entry("1.b.2.1", "2018S1", kecamatan="53.03.08")
    entry("1.b.2.1", "2018S2", kecamatan="53.03.08")
    entry("1.b.2.1", "2019S1", kecamatan="53.03.04")
    return plan


def test_copy_keeps_the_structure_as_a_draft(plan):
    Plan.objects.filter(code=TTU).update(status=Plan.Status.CLOSED)
    output = run(TTU, "--years", "2023-2027", "--slug", NEXT)
    new = Plan.objects.get(code=NEXT)
    assert (new.status, new.start_year, new.end_year, new.region_id) == ("draft", 2023, 2027, plan.region_id)
    assert Pillar.objects.filter(plan=new).count() == Pillar.objects.filter(plan=plan).count()
    old = {i.code: i for i in Indicator.objects.filter(plan=plan)}
    copies = list(Indicator.objects.filter(plan=new))
    assert len(copies) == len(old) and f"with {len(old)} indicators" in output
    for copy in copies:
        before = old[copy.code]
        assert copy.predecessor_id == before.pk
        fields = ("kind", "unit_id", "unit_en", "plan_target", "agency_id", "note_id", "standard_tag", "text_en")
        assert [getattr(copy, f) for f in fields] == [getattr(before, f) for f in fields]
    # the name says the new years (the old one said 2018–2022, so two plans read the same in the plan list)
    assert new.name_id == plan.name_id.replace("2018–2022", "2023–2027") != plan.name_id
    assert new.name_en == plan.name_en.replace("2018–2022", "2023–2027") != plan.name_en
    # 5,000 people re-split over the new years: 1,000 a year
    reach = Indicator.objects.get(plan=new, code="1.a.1.1")
    assert dict(Target.objects.filter(indicator=reach).values_list("year", "value")) == dict.fromkeys(
        range(2023, 2028), Decimal(1000)
    )


def test_carry_over_is_what_the_old_plan_left_unmet(reported):
    Plan.objects.filter(code=TTU).update(status=Plan.Status.CLOSED)
    output = run(TTU, "--years", "2023-2027", "--slug", NEXT, "--carry-over")
    new = Plan.objects.get(code=NEXT)
    reach = Indicator.objects.get(plan=new, code="1.a.1.1")
    assert reach.plan_target == Decimal(1800)  # 5,000 − (2,000 + 1,200 verified); the 500 submitted do not count
    # 1,800 over five years in whole people: 360 a year
    assert sorted(Target.objects.filter(indicator=reach).values_list("value", flat=True)) == [Decimal(360)] * 5
    care_groups = Indicator.objects.get(plan=new, code="1.b.2.1")
    assert care_groups.plan_target == Decimal(22)  # 24 kecamatan − Insana and Noemuti
    assert "1.a.1.1: target 5,000, reached 3,200 → new target 1,800" in output
    assert "1.b.2.1: target 24, reached 2 → new target 22" in output
    # the text still says 5,000: the note says where 1,800 comes from, in both languages, before the old note
    old_note = Indicator.objects.get(plan=reported, code="1.a.1.1")
    assert (
        reach.note_en
        == f"Target carried over from {TTU}: 5,000, of which 3,200 reached, leaves 1,800. {old_note.note_en}"
    )
    assert reach.note_id.startswith(f"Target dibawa dari {TTU}: 5.000, dengan 3.200 tercapai, tersisa 1.800. ")
    assert reach.note_id.endswith(old_note.note_id)
    # a milestone keeps its target (1: achieved)
    assert (
        Indicator.objects.get(plan=new, code="1.b.1.1").plan_target
        == Indicator.objects.get(plan=reported, code="1.b.1.1").plan_target
    )


def test_carry_over_never_below_zero(plan):
    entry("2.a.1.3", "2019S1", value=200)  # 150 victims referred: more than the target
    Plan.objects.filter(code=TTU).update(status=Plan.Status.CLOSED)
    run(TTU, "--years", "2023-2027", "--slug", NEXT, "--carry-over")
    assert Indicator.objects.get(plan__code=NEXT, code="2.a.1.3").plan_target == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rad-nowhere", "--years", "2023-2027", "--slug", NEXT], "No plan “rad-nowhere”"),
        ([TTU, "--years", "2023", "--slug", NEXT], "Years must be given as FIRST-LAST"),
        ([TTU, "--years", "2027-2023", "--slug", NEXT], "The last year 2023 comes before the first year 2027"),
        ([TTU, "--years", "2023-2027", "--slug", TTU], f"A plan with the slug “{TTU}” already exists"),
        # the old plan is still active and shares 2021–2022 with the new one
        ([TTU, "--years", "2021-2025", "--slug", NEXT], f"({TTU}, 2018–2022) of the same regency, which is not closed"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(plan, args, message):
    before = (Plan.objects.count(), Pillar.objects.count(), Indicator.objects.count(), Target.objects.count())
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert message in str(refused.value)
    assert (Plan.objects.count(), Pillar.objects.count(), Indicator.objects.count(), Target.objects.count()) == before


def test_the_indicator_page_shows_it_across_plans(reported, client_for, personas):
    Plan.objects.filter(code=TTU).update(status=Plan.Status.CLOSED)
    run(TTU, "--years", "2023-2027", "--slug", NEXT, "--carry-over")
    url = reverse("indicators:indicator", args=[NEXT, "1.a.1.1"])
    response = client_for(personas["reviewer"]).get(url, HTTP_ACCEPT_LANGUAGE="en")
    across = response.context["across"]
    assert [item.plan.code for item, _figure in across] == [TTU, NEXT]
    old, new = (figure for _item, figure in across)
    # the old plan to date: 3,200 of 5,000 verified, 64 %; the new plan's target is the 1,800 left
    assert (old.target, old.actual, old.achievement) == (Decimal(5000), Decimal(3200), Decimal(64))
    assert new.target == Decimal(1800)
    body = response.content.decode()
    assert "Across plans" in body and "3,200" in body and "64 %" in body
    # the old plan's page has no predecessor: no table
    first = client_for(personas["reviewer"]).get(reverse("indicators:indicator", args=[TTU, "1.a.1.1"]))
    assert first.context["across"] == []


def test_a_name_given_is_the_new_plans_name(plan):
    run(TTU, "--years", "2023-2027", "--slug", NEXT, "--name", "RAD TPPO TTU 2023–2027")
    assert Plan.objects.filter(code=NEXT).values_list("name_id", "name_en").get() == (
        "RAD TPPO TTU 2023–2027",
        "RAD TPPO TTU 2023–2027",
    )
