"""Regions of all Indonesia (Kemendagri codes) from the npm package idn-area-data.

`load_regions("53.03")` loads a regency with its province, kecamatan and desa;
`load_regions("53")` a province with its regencies. Idempotent: a region is
matched by its code and saved only when its name, level or parent differs.
The data (ODbL, © idn-area-data contributors) is installed by `make` through
package.json, never copied into the repository.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import Region

DATA_DIR = Path(settings.BASE_DIR) / "node_modules" / "idn-area-data" / "data"
PROVINCE_CODE = re.compile(r"^\d{2}$")
REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")


class RegionError(Exception):
    """A code that does not name a province or regency, or the data is missing."""


@dataclass
class RegionsLoaded:
    region: Region
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # level → regions of that level loaded below it


def _rows(name: str):
    path = DATA_DIR / name
    if not path.is_file():
        raise RegionError(
            _("The region data is not installed (%(path)s); run `make assets` (npm ci) first.") % {"path": path}
        )
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def table(name: str) -> list[dict]:
    """Every row of one of idn-area-data's tables (provinces.csv, regencies.csv, districts.csv …)."""
    return list(_rows(name))


def _find(name: str, code: str) -> dict | None:
    return next((row for row in _rows(name) if row["code"] == code), None)


def _save(result: RegionsLoaded, code: str, name: str, level: str, parent: Region | None, existing: dict) -> Region:
    region = existing.get(code)
    if region is None:
        region = Region.objects.create(code=code, name=name, level=level, parent=parent)
        result.created += 1
        return region
    changed = {"name": name, "level": level, "parent_id": parent.pk if parent else None}
    changed = {key: value for key, value in changed.items() if getattr(region, key) != value}
    if changed:
        for key, value in changed.items():
            setattr(region, key, value)
        region.save(update_fields=[key.removesuffix("_id") for key in changed])
        result.updated += 1
    else:
        result.unchanged += 1
    return region


@transaction.atomic
def load_regions(code: str) -> RegionsLoaded:
    """Load the province or regency `code` and what lies below it (see the module's docstring)."""
    code = (code or "").strip()
    if PROVINCE_CODE.match(code):
        return _load_province(code)
    if REGENCY_CODE.match(code):
        return _load_regency(code)
    raise RegionError(_("“%(code)s” is not a province code (53) or a regency code (53.03).") % {"code": code})


def _unknown(code: str) -> RegionError:
    return RegionError(_("There is no region with the code “%(code)s” in idn-area-data.") % {"code": code})


def _load_province(code: str) -> RegionsLoaded:
    row = _find("provinces.csv", code)
    if row is None:
        raise _unknown(code)
    regencies = [r for r in _rows("regencies.csv") if r["province_code"] == code]
    existing = {r.code: r for r in Region.objects.filter(code__in=[code, *(r["code"] for r in regencies)])}
    result = RegionsLoaded(region=None)  # type: ignore[arg-type]
    province = _save(result, code, row["name"], Region.Level.PROVINSI, None, existing)
    result.region = province
    for item in regencies:
        _save(result, item["code"], item["name"], Region.Level.KABUPATEN, province, existing)
    result.counts = {Region.Level.KABUPATEN: len(regencies)}
    return result


def _load_regency(code: str) -> RegionsLoaded:
    row = _find("regencies.csv", code)
    if row is None:
        raise _unknown(code)
    province_row = _find("provinces.csv", row["province_code"])
    districts = [r for r in _rows("districts.csv") if r["regency_code"] == code]
    district_codes = {r["code"] for r in districts}
    villages = [r for r in _rows("villages.csv") if r["district_code"] in district_codes]
    codes = [row["province_code"], code, *district_codes, *(v["code"] for v in villages)]
    existing = {r.code: r for r in Region.objects.filter(code__in=codes)}
    result = RegionsLoaded(region=None)  # type: ignore[arg-type]
    province = _save(result, province_row["code"], province_row["name"], Region.Level.PROVINSI, None, existing)
    regency = _save(result, code, row["name"], Region.Level.KABUPATEN, province, existing)
    result.region = regency
    kecamatan = {}
    for item in districts:
        kecamatan[item["code"]] = _save(result, item["code"], item["name"], Region.Level.KECAMATAN, regency, existing)
    for item in villages:
        _save(result, item["code"], item["name"], Region.Level.DESA, kecamatan[item["district_code"]], existing)
    result.counts = {Region.Level.KECAMATAN: len(districts), Region.Level.DESA: len(villages)}
    return result
