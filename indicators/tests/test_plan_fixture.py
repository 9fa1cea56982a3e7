"""The fixture against Table 1.1 of the seed, checked by hand."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from indicators.models import Indicator, Kind, Target
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
    ("2.a.1.2", Kind.COUNT, "1", "dinsos"),
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
    ("4.a.5.1", Kind.COUNT, "2", "sekretariat"),
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
        if indicator.is_targeted:
            assert indicator.plan_target is not None, indicator.code
            assert indicator.targets.exists(), indicator.code
        else:
            assert indicator.plan_target is None, indicator.code
            assert not indicator.targets.exists(), indicator.code


@pytest.mark.django_db
def test_inferred_agencies_are_marked(plan):
    assert Indicator.objects.get(code="3.a.1.1").agency_inferred is True  # "penyidik polisi" → Polres
    assert Indicator.objects.get(code="2.a.1.2").agency_inferred is False  # "pada dinas sosial" is named
    meetings = Indicator.objects.get(code="4.a.2.1")
    with translation.override("id"):  # the default language
        assert "4 kali selama seluruh periode RAD" in meetings.note
    with translation.override("en"):
        assert "4 over the whole plan" in meetings.note


@pytest.mark.django_db
def test_every_indicator_has_its_note_in_both_languages(plan):
    for indicator in Indicator.objects.all():
        assert indicator.note_id.strip(), indicator.code
        assert indicator.note_en.strip(), indicator.code
        assert indicator.note_id != indicator.note_en, indicator.code


@pytest.mark.django_db
def test_annual_targets_split_evenly(plan):
    # 5,000 over 2018–2022 → 1,000 a year
    assert list(Target.objects.filter(indicator__code="1.a.1.1").values_list("value", flat=True)) == [1000] * 5
    # 4 meetings over five years → 0.80 a year
    assert set(Target.objects.filter(indicator__code="4.a.2.1").values_list("value", flat=True)) == {Decimal("0.8")}
    # 50 % applies every year
    assert set(Target.objects.filter(indicator__code="2.b.1.3").values_list("value", flat=True)) == {50}
    # a milestone falls due in the last year
    assert list(Target.objects.filter(indicator__code="1.b.1.1").values_list("year", "value")) == [(2022, 1)]
    # 2 dialogues a year
    assert set(Target.objects.filter(indicator__code="4.d.1.2").values_list("value", flat=True)) == {2}


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
