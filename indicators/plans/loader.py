"""Loads the plan, its agencies and the regency's kecamatan from `fixtures/`.

Idempotent: running it again on an unchanged fixture changes nothing, and
annual targets an administrator has edited are never overwritten.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from indicators.models import Indicator, Target
from programs.models import Activity, Agency, Pillar, Plan, Program, Region

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PLAN_FILE = "plan_rad_ttu_2018_2022.json"


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, model, created: bool, changed: bool) -> None:
        name = model._meta.model_name
        if created:
            self.created[name] = self.created.get(name, 0) + 1
        elif changed:
            self.updated[name] = self.updated.get(name, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _upsert(result: LoadResult, model, lookup: dict, values: dict, create_only: dict | None = None):
    """get-or-create by natural key; save only when a value differs. `create_only` values are set on
    creation and never changed afterwards (an administrator may have edited them)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(create_only or {}))
        obj.full_clean()
        obj.save()
        result.count(model, created=True, changed=True)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save(update_fields=changed)
    result.count(model, created=False, changed=bool(changed))
    return obj


def _read(name: str) -> dict:
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return json.load(handle)


def read_plan_file(plan_file: str = PLAN_FILE) -> dict:
    """The plan fixture as a dict: `plan`, then `pillars` → `programs` → `activities` → `indicators`."""
    return _read(plan_file)


@transaction.atomic
def load_plan(plan_file: str = PLAN_FILE) -> LoadResult:
    result = LoadResult()
    regions = _read("regions_ttu.json")
    provinsi = _upsert(
        result,
        Region,
        {"code": regions["provinsi"]["code"]},
        {"name": regions["provinsi"]["name"], "level": Region.Level.PROVINSI, "parent": None},
    )
    kabupaten = _upsert(
        result,
        Region,
        {"code": regions["kabupaten"]["code"]},
        {"name": regions["kabupaten"]["name"], "level": Region.Level.KABUPATEN, "parent": provinsi},
    )
    for item in regions["kecamatan"]:
        _upsert(
            result,
            Region,
            {"code": item["code"]},
            {"name": item["name"], "level": Region.Level.KECAMATAN, "parent": kabupaten},
        )

    known = Agency.objects.by_code(kabupaten)
    for item in _read("agencies.json")["agencies"]:
        values = {
            key: item.get(key, False if key == "is_secretariat" else "")
            for key in ("name_id", "name_en", "short_name", "is_secretariat")
        }
        # the agency the regency already uses under the code, its own or a shared one (an installation
        # whose regencies shared agencies before they had a regency keeps them): never a second one beside it
        found = known.get(item["code"])
        lookup = {"pk": found.pk} if found else {"code": item["code"], "region": kabupaten}
        _upsert(result, Agency, lookup, values)

    data = read_plan_file(plan_file)
    load_plan_data(data, region=Region.objects.get(code=data["plan"]["region"]), result=result)
    return result


@transaction.atomic
def load_plan_data(
    data: dict, *, region: Region, result: LoadResult | None = None, status: str = Plan.Status.ACTIVE
) -> Plan:
    """One plan tree from `data` (as `read_plan_file()` returns it) for `region`; its agencies must exist
    (the regency's own, or shared ones).

    The benchmark loads its synthetic regencies' copies of the plan through here too, so that they are
    made by the same code (and the same validation) as the real plan.
    """
    result = result if result is not None else LoadResult()
    agencies = Agency.objects.by_code(region)
    spec = data["plan"]
    values = {
        "name_id": spec["name_id"],
        "name_en": spec["name_en"],
        "region": region,
        "start_year": spec["start_year"],
        "end_year": spec["end_year"],
        "source": spec["source"],
    }
    if not Plan.objects.filter(code=spec["code"]).exists():
        # the embedded plan starts active, an imported one (import_plan) as a draft; later its status is the
        # administrator's, never reset here
        values["status"] = status
    plan = _upsert(result, Plan, {"code": spec["code"]}, values)
    for p in data["pillars"]:
        pillar = _upsert(
            result, Pillar, {"plan": plan, "number": p["number"]}, {"name_id": p["name_id"], "name_en": p["name_en"]}
        )
        for g in p["programs"]:
            program = _upsert(
                result,
                Program,
                {"pillar": pillar, "letter": g["letter"]},
                {"name_id": g["name_id"], "name_en": g["name_en"]},
            )
            for a in g["activities"]:
                activity = _upsert(
                    result,
                    Activity,
                    {"program": program, "number": a["number"]},
                    {"name_id": a["name_id"], "name_en": a["name_en"]},
                )
                for i in a["indicators"]:
                    _load_indicator(result, plan, activity, i, agencies)
    return plan


def _load_indicator(result: LoadResult, plan: Plan, activity: Activity, spec: dict, agencies: dict) -> None:
    target = spec["target"]
    indicator = _upsert(
        result,
        Indicator,
        {"plan": plan, "code": f"{activity.code}.{spec['number']}"},
        {
            "activity": activity,
            "number": spec["number"],
            "kind": spec["kind"],
            "text_id": spec["text_id"],
            "text_en": spec["text_en"],
            "unit_id": spec["unit_id"],
            "unit_en": spec["unit_en"],
            "plan_target": None if target is None else Decimal(str(target)).quantize(Decimal("0.01")),
            "agency": agencies[spec["agency"]],
            "agency_inferred": spec["agency_inferred"],
            "note_id": spec["note_id"],
            "note_en": spec["note_en"],
            "standard_tag": spec.get("standard_tag", ""),
        },
        create_only={"due_year": spec.get("due_year")},
    )
    # a milestone's due year is set while it is empty (the plan's last year), never over an edited one
    if spec.get("due_year") and indicator.due_year is None:
        indicator.due_year = spec["due_year"]
        indicator.full_clean()
        indicator.save(update_fields=["due_year"])
        result.count(Indicator, created=False, changed=True)
    _load_targets(result, indicator)


def _load_targets(result: LoadResult, indicator: Indicator) -> None:
    """The default annual targets for the years that have none. Targets still exactly at the earlier default
    split (to the cent: 0.8 meetings, 4.8 kecamatan a year) become the whole-unit default; targets an
    administrator edited are never touched."""
    existing = {row.year: row for row in indicator.targets.all()}
    default = indicator.default_annual_targets()
    if existing and {year: row.value for year, row in existing.items()} == indicator.earlier_default_targets():
        for year, row in existing.items():
            if year in default and row.value != default[year]:
                row.value = default[year]
                row.full_clean()
                row.save(update_fields=["value"])
                result.count(Target, created=False, changed=True)
    for year, value in default.items():
        if year not in existing:
            row = Target(indicator=indicator, year=year, value=value)
            row.full_clean()
            row.save()
            result.count(Target, created=True, changed=True)
