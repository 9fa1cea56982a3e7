"""The DHIS2 metadata package of a plan: every object its data values name, for DHIS2's
metadata import (`POST /api/metadata`), so that a DHIS2 administrator loads it once and the
data value sets of reports.exchange.dhis2 then import without anything created by hand.

Written in the shapes of dhis2-core's classes (docs/dhis2.md cites them):

- dataElements: one per data element code of indicators.models.exchange.element_codes, with
  its value type, aggregation type, category combo and `zeroIsSignificant` where a zero is a
  result (DHIS2 drops zeros of numeric data elements unless it is set);
- categoryOptions, categories, categoryCombos and categoryOptionCombos for the two splits
  (sex: L, P; age: ANAK, DEWASA), coded as the data values use them;
- organisationUnits: the regency and its kecamatan, by their Kemendagri codes;
- dataSets: the plan, period type SixMonthly, with every data element and org unit.

Objects are referenced by uid inside the package (DHIS2's default identifier), a uid drawn from
the object's code (`stable_uid`), so importing the package again updates it. Where the
administrator has mapped a code to an existing DHIS2 uid (DHIS2 mappings in the admin), the
package points at that object and does not redefine it.
"""

from __future__ import annotations

import json

from indicators.models import Indicator, Kind
from indicators.models.exchange import (
    AGE,
    DEFAULT_CATEGORY_COMBO_UID,
    SEX,
    data_set_code,
    element_codes,
    stable_uid,
    uid_maps,
)
from programs.models import Plan, Region

OPENING_DATE = "2000-01-01"  # no plan begins earlier (the Plan's constraint); kecamatan are older

# the two splits: category code → (Indonesian, English) and its options code → (Indonesian, English)
SPLITS = {
    "SEX": (
        ("Jenis kelamin", "Sex"),
        {SEX["male"]: ("Laki-laki", "Men and boys"), SEX["female"]: ("Perempuan", "Women and girls")},
    ),
    "AGE": (
        ("Kelompok umur", "Age group"),
        {AGE["child"]: ("Anak (di bawah 18 tahun)", "Children (under 18)"), AGE["adult"]: ("Dewasa", "Adults")},
    ),
}
SPLIT_OF_ELEMENT = {"sex": "SEX", "age": "AGE"}


def element_type(kind: str, carries: str) -> dict:
    """Value type, aggregation and zero significance of a data element, by what it carries.

    A zero is significant wherever it is a result: a count of 0 people, 0 of 10 officers who
    understood, a milestone not started (0), no safe house (level 0). A coverage value is always
    1 (the place was reached), and a narrative is text.
    """
    if kind == Kind.QUALITATIVE:
        return {"valueType": "LONG_TEXT", "aggregationType": "NONE", "zeroIsSignificant": False}
    if kind == Kind.COVERAGE:
        # reached or not in each place: the most in time, summed over places = places reached
        return {"valueType": "INTEGER_POSITIVE", "aggregationType": "MAX_SUM_ORG_UNIT", "zeroIsSignificant": False}
    if kind in (Kind.MILESTONE, Kind.LEVEL):
        return {"valueType": "INTEGER_ZERO_OR_POSITIVE", "aggregationType": "LAST", "zeroIsSignificant": True}
    return {"valueType": "INTEGER_ZERO_OR_POSITIVE", "aggregationType": "SUM", "zeroIsSignificant": True}


def _named(kind: str, code: str, indonesian: str, english: str, short: int = 50, **fields) -> dict:
    """An identifiable object: uid, code, name (Indonesian) and its English translation."""
    obj = {"id": stable_uid(kind, code), "code": code, "name": indonesian[:230], "shortName": indonesian[:short]}
    if english and english != indonesian:
        obj["translations"] = [
            {"property": "NAME", "locale": "en", "value": english[:230]},
            {"property": "SHORT_NAME", "locale": "en", "value": english[:short]},
        ]
    obj.update(fields)
    return obj


def _ref(uid: str) -> dict:
    return {"id": uid}


def _categories() -> dict[str, list[dict]]:
    options, categories, combos, option_combos = [], [], [], []
    for code, ((category_id, category_en), choices) in SPLITS.items():
        option_refs = []
        for option_code, (option_id, option_en) in choices.items():
            option = _named("categoryOption", option_code, option_id, option_en)
            options.append(option)
            option_refs.append(_ref(option["id"]))
        category = _named(
            "category", code, category_id, category_en, dataDimensionType="DISAGGREGATION", categoryOptions=option_refs
        )
        categories.append(category)
        combo = _named("categoryCombo", code, category_id, category_en, dataDimensionType="DISAGGREGATION")
        combo["categories"] = [_ref(category["id"])]
        combo.pop("shortName")  # a category combo has a name only
        combos.append(combo)
        for option_code, (option_id, option_en) in choices.items():
            option_combo = _named(
                "categoryOptionCombo",
                option_code,
                option_id,
                option_en,
                categoryCombo=_ref(combo["id"]),
                categoryOptions=[_ref(stable_uid("categoryOption", option_code))],
            )
            option_combo.pop("shortName")  # DHIS2 derives it from the name
            option_combos.append(option_combo)
    return {
        "categoryOptions": options,
        "categories": categories,
        "categoryCombos": combos,
        "categoryOptionCombos": option_combos,
    }


def _data_elements(plan: Plan) -> list[dict]:
    elements = []
    for indicator in Indicator.objects.filter(plan=plan).order_by("code"):
        for carries, code in element_codes(indicator.code, indicator.kind).items():
            split = SPLIT_OF_ELEMENT.get(carries)
            suffix = {"numerator": " (pembilang)", "denominator": " (penyebut)"}.get(carries, "")
            suffix_en = {"numerator": " (numerator)", "denominator": " (denominator)"}.get(carries, "")
            if split:
                suffix, suffix_en = f" ({SPLITS[split][0][0].lower()})", f" ({SPLITS[split][0][1].lower()})"
            text_id = indicator.text_id + suffix
            text_en = (indicator.text_en or indicator.text_id) + suffix_en
            element = _named(
                "dataElement",
                code,
                f"{code} {text_id}",
                f"{code} {text_en}",
                domainType="AGGREGATE",
                formName=text_id[:230],
                categoryCombo=_ref(stable_uid("categoryCombo", split) if split else DEFAULT_CATEGORY_COMBO_UID),
                **element_type(indicator.kind, carries),
            )
            unit = indicator.unit_id or indicator.unit_en
            if unit:
                element["description"] = unit
            elements.append(element)
    return elements


def _org_units(plan: Plan, mapped: dict[str, str]) -> tuple[list[dict], list[str]]:
    """The regency and its kecamatan not yet mapped to DHIS2 org units, and every org unit's uid."""
    regency = plan.region
    places = [regency, *Region.objects.filter(parent=regency).order_by("code")]
    units, uids = [], []
    for place in places:
        uid = mapped.get(place.code) or stable_uid("orgUnit", place.code)
        uids.append(uid)
        if place.code in mapped:
            continue  # it exists in DHIS2 already: point at it, never redefine it
        unit = _named("orgUnit", place.code, place.name, "", openingDate=OPENING_DATE)
        unit["id"] = uid
        if place != regency:
            unit["parent"] = _ref(uids[0])
        elif regency.parent_id and regency.parent.code in mapped:
            unit["parent"] = _ref(mapped[regency.parent.code])  # the province, where DHIS2 has it
        units.append(unit)
    return units, uids


def build(plan: Plan) -> dict:
    """The metadata package of the plan, as the dict DHIS2's /api/metadata takes."""
    maps = uid_maps()
    package = _categories()
    package["categoryOptionCombos"] = [
        c for c in package["categoryOptionCombos"] if c["code"] not in maps["categoryOptionCombo"]
    ]
    elements = _data_elements(plan)
    element_uids = [maps["dataElement"].get(e["code"]) or e["id"] for e in elements]
    package["dataElements"] = [e for e in elements if e["code"] not in maps["dataElement"]]
    units, unit_uids = _org_units(plan, maps["orgUnit"])
    package["organisationUnits"] = units
    code = data_set_code(plan)
    data_set = _named(
        "dataSet",
        code,
        plan.name_id,
        plan.name_en,
        periodType="SixMonthly",
        categoryCombo=_ref(DEFAULT_CATEGORY_COMBO_UID),
        openFuturePeriods=0,
        expiryDays=0,
    )
    data_set["id"] = maps["dataSet"].get(code) or data_set["id"]
    data_set["dataSetElements"] = [{"dataElement": _ref(uid), "dataSet": _ref(data_set["id"])} for uid in element_uids]
    data_set["organisationUnits"] = [_ref(uid) for uid in unit_uids]
    package["dataSets"] = [data_set]
    return package


def build_json(plan: Plan) -> bytes:
    return (json.dumps(build(plan), ensure_ascii=False, indent=1) + "\n").encode()
