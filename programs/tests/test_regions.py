"""Regions from idn-area-data: a regency with its kecamatan and desa, a province with its regencies."""

import csv
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from programs.models import Region
from programs.regions import DATA_DIR


def package_rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(*codes: str, capsys) -> str:
    with translation.override("en"):
        call_command("load_regions", *codes)
    return capsys.readouterr().out


@pytest.mark.django_db
def test_a_regency_comes_with_its_province_kecamatan_and_desa(capsys):
    out = load("53.07", capsys=capsys)  # Sikka, not in the plan fixture: everything is new
    sikka = Region.objects.get(code="53.07")
    assert (sikka.name, sikka.level, sikka.parent.code, sikka.parent.level) == (
        "Kabupaten Sikka",
        "kabupaten",
        "53",
        "provinsi",
    )
    kecamatan = Region.objects.filter(parent=sikka, level="kecamatan")
    desa = Region.objects.filter(parent__parent=sikka, level="desa")
    # counted by hand from the package's districts.csv and villages.csv
    expected_kecamatan = sum(1 for r in package_rows("districts.csv") if r["regency_code"] == "53.07")
    expected_desa = sum(1 for r in package_rows("villages.csv") if r["code"].startswith("53.07."))
    assert (kecamatan.count(), desa.count()) == (expected_kecamatan, expected_desa) == (21, 194)
    assert f"{expected_kecamatan} " in out and f"{expected_desa} " in out


@pytest.mark.django_db
def test_ttu_has_24_kecamatan_and_193_desa_and_loading_again_changes_nothing(plan, capsys):
    load("53.03", capsys=capsys)
    ttu = Region.objects.get(code="53.03")
    assert Region.objects.filter(parent=ttu, level="kecamatan").count() == 24
    assert Region.objects.filter(parent__parent=ttu, level="desa").count() == 193
    before = list(Region.objects.order_by("code").values_list("code", "name", "level", "parent__code"))
    out = load("53.03", capsys=capsys)
    assert "0 created, 0 updated, 219 unchanged" in out  # 1 province + 1 regency + 24 + 193
    assert list(Region.objects.order_by("code").values_list("code", "name", "level", "parent__code")) == before


@pytest.mark.django_db
def test_a_province_comes_with_its_regencies_and_a_renamed_one_is_corrected(plan, capsys):
    Region.objects.filter(code="53.03").update(name="Kab. TTU")
    out = load("53", capsys=capsys)
    assert Region.objects.filter(parent__code="53", level="kabupaten").count() == 22
    assert Region.objects.get(code="53.03").name == "Kabupaten Timor Tengah Utara"
    assert "1 updated" in out
    assert Region.objects.get(code="53.71").name == "Kota Kupang"


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "message"), [("53.99", "“53.99”"), ("99", "“99”"), ("53.03.01", "“53.03.01”")])
def test_an_unknown_or_malformed_code_is_refused_naming_it(plan, code, message):
    count = Region.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("load_regions", code)
    assert Region.objects.count() == count


def test_the_plan_fixture_kecamatan_agree_with_idn_area_data():
    fixture = json.loads((settings.BASE_DIR / "fixtures" / "regions_ttu.json").read_text(encoding="utf-8"))
    package = {r["code"]: r["name"] for r in package_rows("districts.csv")}
    assert {k["code"]: k["name"] for k in fixture["kecamatan"]} == {
        code: name for code, name in package.items() if code.startswith("53.03.")
    }
    assert len(fixture["kecamatan"]) == 24
    regencies = {r["code"]: r["name"] for r in package_rows("regencies.csv")}
    assert regencies[fixture["kabupaten"]["code"]] == fixture["kabupaten"]["name"]
