"""The fixture against Table 1.1 of the seed, checked by hand."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from indicators.models import Indicator, Kind, Target, whole_split
from programs.models import Activity, Pillar, Program, Region


@pytest.mark.django_db
def test_counts_match_table_1_1(plan):
    assert Pillar.objects.count() == 4
    # programs: pillar 1 a–b, pillar 2 a–d, pillar 3 a–e, pillar 4 a–e
    assert Program.objects.count() == 2 + 4 + 5 + 5
    # activities: 3+4 | 1+2+1+1 | 1+1+1+1+2 | 5+1+1+1+1
    assert Activity.objects.count() == 7 + 5 + 6 + 9
    # indicators, counted in the seed's bullet lists:
    # pillar 1: 3+2+2 | 2+2+1+1; pillar 2: 3 | 3+1 | 1 | 1; pillar 3: 2 | 1 | 2 | 1 | 1+1;
    # pillar 4: 3+1+1+1+2 | 5 | 1 | 2 | 1
    assert Indicator.objects.count() == 13 + 9 + 8 + 17


@pytest.mark.django_db
def test_twenty_four_kecamatan_with_kemendagri_codes(plan):
    kecamatan = Region.objects.filter(level=Region.Level.KECAMATAN)
    assert kecamatan.count() == 24
    codes = sorted(kecamatan.values_list("code", flat=True))
    assert codes == [f"53.03.{n:02d}" for n in range(1, 25)]
    assert Region.objects.get(code="53.03.08").name == "Insana"
    assert Region.objects.get(code="53.03.05").name == "Kota Kefamenanu"
    assert plan.region.code == "53.03"


EXPECTED = [
    # code, kind, plan target, responsible agency (hand-read from Table 1.1)
    ("1.a.1.1", Kind.COUNT, "5000", "disnakertrans"),
    ("1.a.1.2", Kind.COUNT, "5000", "disnakertrans"),
    ("1.a.1.3", Kind.COUNT, "500", "disnakertrans"),
    ("1.a.2.1", Kind.COUNT, "60", "disnakertrans"),
    ("1.a.2.2", Kind.COUNT, "30", "disnakertrans"),
    ("1.a.3.1", Kind.COUNT, "60", "disnakertrans"),
    ("1.a.3.2", Kind.COUNT, "30", "disnakertrans"),
    ("1.b.1.1", Kind.MILESTONE, "1", "disnakertrans"),
    ("1.b.2.1", Kind.COVERAGE, "24", "sekretariat"),
    ("1.b.4.1", Kind.COVERAGE, "24", "sekretariat"),
    ("2.a.1.2", Kind.LEVEL, "1", "dinsos"),  # "minimal 1 unit rumah aman": how many there are now
    ("2.a.1.3", Kind.COUNT, "150", "sekretariat"),
    ("2.b.1.1", Kind.COUNT, "100", "sekretariat"),
    ("2.b.1.3", Kind.PERCENT, "50", "sekretariat"),
    ("2.c.1.1", Kind.PERIODIC, "10", "sekretariat"),
    ("2.d.1.1", Kind.TRACKED, None, "disnakertrans"),
    ("3.a.1.1", Kind.COUNT, "25", "polres"),
    ("3.a.1.2", Kind.COUNT, "15", "sekretariat"),
    ("3.b.1.1", Kind.COUNT, "8", "polres"),
    ("3.d.1.1", Kind.QUALITATIVE, None, "sekretariat"),
    ("4.a.2.1", Kind.COUNT, "4", "sekretariat"),
    ("4.a.4.1", Kind.TRACKED, None, "disdukcapil"),
    ("4.a.5.1", Kind.LEVEL, "2", "sekretariat"),  # "minimal dua orang staf": how many are in post now
    ("4.d.1.2", Kind.PERIODIC, "10", "sekretariat"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("code,kind,target,agency", EXPECTED)
def test_targets_one_by_one(plan, code, kind, target, agency):
    indicator = Indicator.objects.get(code=code)
    assert indicator.kind == kind
    assert indicator.plan_target == (None if target is None else Decimal(target))
    assert indicator.agency.code == agency


@pytest.mark.django_db
def test_every_indicator_has_code_kind_and_target_where_needed(plan):
    for indicator in Indicator.objects.all():
        assert indicator.code.count(".") == 3
        assert indicator.kind in Kind.values
        assert indicator.text_id and indicator.text_en
        if indicator.kind == Kind.MILESTONE:  # due in one year, with no annual targets
            assert indicator.plan_target == 1, indicator.code
            assert not indicator.targets.exists(), indicator.code
        elif indicator.is_targeted:
            assert indicator.plan_target is not None, indicator.code
            assert indicator.targets.count() == 5, indicator.code
        else:
            assert indicator.plan_target is None, indicator.code
            assert not indicator.targets.exists(), indicator.code


@pytest.mark.django_db
def test_inferred_agencies_are_marked(plan):
    assert Indicator.objects.get(code="3.a.1.1").agency_inferred is True  # "penyidik polisi" → Polres
    assert Indicator.objects.get(code="2.a.1.2").agency_inferred is False  # "pada dinas sosial" is named
    # the table names no agency for these 13 (3.d.1.1 names law enforcement, APH, as the actor): the
    # secretariat is the fixture's reading, so they are marked inferred and say so in their note
    unnamed = ["1.b.2.1", "1.b.2.2", "1.b.4.1", "2.a.1.1", "2.a.1.3", "3.a.1.2", "3.c.1.2", "3.d.1.1", "3.e.2.1"]
    unnamed += ["4.b.1.1", "4.b.1.2", "4.b.1.3", "4.b.1.4"]
    for indicator in Indicator.objects.filter(code__in=unnamed):
        assert indicator.agency.code == "sekretariat", indicator.code
        assert indicator.agency_inferred is True, indicator.code
        assert "Agency inferred" in indicator.note_en and "OPD disimpulkan" in indicator.note_id, indicator.code
    assert "(APH)" in Indicator.objects.get(code="3.d.1.1").note_en
    # the source note lists every wording correction made to the printed table
    for correction in ["terpilih → terpilah", "prasaran → prasarana", "“Pemberdayaan Perempuan dan” printed twice"]:
        assert correction in plan.source
    meetings = Indicator.objects.get(code="4.a.2.1")
    with translation.override("id"):  # the default language
        assert "4 kali selama seluruh periode RAD" in meetings.note
    with translation.override("en"):
        assert "4 over the whole plan" in meetings.note


@pytest.mark.django_db
def test_levels_and_early_milestones_say_why_in_their_note(plan):
    for code in ("2.a.1.2", "4.a.5.1"):
        indicator = Indicator.objects.get(code=code)
        assert "standing quantity" in indicator.note_en and "Jumlah yang ada" in indicator.note_id
    # the RAD's own drafting and enactment fall due in its first year; other milestones in the last
    assert [i.milestone_due_year for i in Indicator.objects.filter(code__in=["4.a.1.1", "4.a.1.3"])] == [2018, 2018]
    assert "first year" in Indicator.objects.get(code="4.a.1.1").note_en
    assert Indicator.objects.get(code="1.b.1.1").milestone_due_year == 2022
    assert Indicator.objects.get(code="1.a.1.1").milestone_due_year is None  # not a milestone


@pytest.mark.django_db
def test_every_indicator_has_its_note_in_both_languages(plan):
    for indicator in Indicator.objects.all():
        assert indicator.note_id.strip(), indicator.code
        assert indicator.note_en.strip(), indicator.code
        assert indicator.note_id != indicator.note_en, indicator.code


def targets(code: str) -> list:
    return list(Target.objects.filter(indicator__code=code).order_by("year").values_list("value", flat=True))


@pytest.mark.django_db
def test_annual_targets_are_whole_units(plan):
    # 5,000 over 2018–2022 → 1,000 a year
    assert targets("1.a.1.1") == [1000] * 5
    # 4 meetings over five years: 4 ÷ 5 = 0 remainder 4, the four left-over units to the first four years
    assert targets("4.a.2.1") == [1, 1, 1, 1, 0]
    # 24 kecamatan: 24 ÷ 5 = 4 remainder 4 → 5, 5, 5, 5, 4
    assert targets("1.b.2.1") == [5, 5, 5, 5, 4]
    # 8 Polsek: 8 ÷ 5 = 1 remainder 3 → 2, 2, 2, 1, 1
    assert targets("3.b.1.1") == [2, 2, 2, 1, 1]
    # 50 % applies every year, with its decimals if it had any
    assert targets("2.b.1.3") == [50] * 5
    # a level to hold: at least 1 safe house, at least 2 staff, in every year
    assert targets("2.a.1.2") == [1] * 5
    assert targets("4.a.5.1") == [2] * 5
    # a milestone has no annual targets: it falls due in its due year
    assert targets("1.b.1.1") == []
    # 2 dialogues a year
    assert targets("4.d.1.2") == [2] * 5
    # every split adds up to the plan target
    for indicator in Indicator.objects.filter(kind__in=Kind.where("is_split")):
        assert sum(targets(indicator.code)) == indicator.plan_target, indicator.code


@pytest.mark.django_db
def test_whole_split_by_largest_remainder():
    years = [2018, 2019, 2020, 2021, 2022]
    assert list(whole_split(Decimal(24), years).values()) == [5, 5, 5, 5, 4]
    assert list(whole_split(Decimal(4), years).values()) == [1, 1, 1, 1, 0]
    assert list(whole_split(Decimal(1), years).values()) == [1, 0, 0, 0, 0]
    assert list(whole_split(Decimal(10), years).values()) == [2] * 5
    assert list(whole_split(Decimal(7), [2023, 2024, 2025]).values()) == [3, 2, 2]  # 7 = 2 × 3 + 1
    # a total that is not whole (never in the RAD) is split to the cent: 2.5 ÷ 5 = 0.50
    assert list(whole_split(Decimal("2.5"), years).values()) == [Decimal("0.50")] * 5


@pytest.mark.django_db
def test_load_plan_corrects_the_earlier_split_but_never_an_edit(plan):
    """Targets still at the earlier default split (to the cent) become whole; edited ones stay as they are."""
    earlier = {"1.b.2.1": "4.80", "4.a.2.1": "0.80", "2.a.1.2": "0.20"}  # 24, 4 and 1 ÷ 5, as load_plan made them
    for code, value in earlier.items():
        Target.objects.filter(indicator__code=code).update(value=Decimal(value))
    Target.objects.filter(indicator__code="1.b.4.1").update(value=Decimal("4.80"))
    Target.objects.filter(indicator__code="1.b.4.1", year=2018).update(value=Decimal("6"))  # an administrator's edit
    call_command("load_plan")
    assert targets("1.b.2.1") == [5, 5, 5, 5, 4]
    assert targets("4.a.2.1") == [1, 1, 1, 1, 0]
    assert targets("2.a.1.2") == [1] * 5  # now a level: the plan target every year
    assert targets("1.b.4.1") == [6, Decimal("4.8"), Decimal("4.8"), Decimal("4.8"), Decimal("4.8")]


@pytest.mark.django_db
def test_load_plan_sets_an_empty_due_year_but_never_an_edited_one(plan):
    Indicator.objects.filter(code="4.a.1.1").update(due_year=None)
    Indicator.objects.filter(code="4.a.1.3").update(due_year=2019)  # an administrator's edit
    call_command("load_plan")
    assert Indicator.objects.get(code="4.a.1.1").due_year == 2018
    assert Indicator.objects.get(code="4.a.1.3").due_year == 2019


@pytest.mark.django_db
def test_load_plan_again_changes_nothing(plan, capsys):
    Target.objects.filter(indicator__code="1.a.1.1", year=2018).update(value=800)  # an administrator's edit
    with translation.override("en"):
        call_command("load_plan")
    assert "nothing changed" in capsys.readouterr().out
    assert Indicator.objects.count() == 47
    assert Target.objects.get(indicator__code="1.a.1.1", year=2018).value == 800
    call_command("load_plan")
    out = capsys.readouterr().out
    assert "created" not in out and "updated" not in out
