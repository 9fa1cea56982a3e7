"""The DHIS2 metadata package (`export_dhis2 --metadata`) and the data value set load into each
other's shapes as dhis2-core defines them (docs/dhis2.md cites the classes); dhis2.py's
post_partitioned takes the one-key JSON; the import still reads files of the old shape."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.intake.dhis2 import import_values
from indicators.models import EntryStatus, Indicator, ProgressEntry
from indicators.models.exchange import DEFAULT_CATEGORY_COMBO_UID, DEFAULT_COMBO, Dhis2Mapping, stable_uid
from indicators.tests.factories import entry
from reports.exchange import dhis2 as dhis2_export
from reports.exchange import dhis2_metadata
from reports.tests.test_dhis2 import year_2021  # noqa: F401 (the fixture)

UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
SIX_MONTHLY = re.compile(r"^\d{4}S[12]$")  # DHIS2's SixMonthlyPeriodType ids
COMPLETE = datetime.date(2023, 1, 5)

# The JSON properties of dhis2-core's classes that the package uses (dhis-2/dhis-api/src/main/java/
# org/hisp/dhis/…: dataelement/DataElement, category/CategoryOption, Category, CategoryCombo,
# CategoryOptionCombo, organisationunit/OrganisationUnit, dataset/DataSet; the identifiable
# object's id, code, name, shortName, translations from common/BaseIdentifiableObject)
IDENTIFIABLE = {"id", "code", "name", "shortName", "translations"}
FIELDS = {
    "dataElements": IDENTIFIABLE
    | {"formName", "description", "valueType", "domainType", "aggregationType", "categoryCombo", "zeroIsSignificant"},
    "categoryOptions": IDENTIFIABLE,
    "categories": IDENTIFIABLE | {"dataDimensionType", "categoryOptions"},
    "categoryCombos": IDENTIFIABLE | {"dataDimensionType", "categories"},
    "categoryOptionCombos": IDENTIFIABLE | {"categoryCombo", "categoryOptions"},
    "organisationUnits": IDENTIFIABLE | {"openingDate", "parent"},
    "dataSets": IDENTIFIABLE
    | {"periodType", "categoryCombo", "dataSetElements", "organisationUnits", "openFuturePeriods", "expiryDays"},
}
# dhis2-core's ValueType and AggregationType names the package may use
VALUE_TYPES = {"INTEGER_ZERO_OR_POSITIVE", "INTEGER_POSITIVE", "LONG_TEXT"}
AGGREGATION_TYPES = {"SUM", "LAST", "MAX_SUM_ORG_UNIT", "NONE"}
# dhis2-core's DataValueSet and DataValue (dxf2/datavalueset/DataValueSet, dxf2/datavalue/DataValue)
DATA_VALUE_SET = {"dataSet", "completeDate", "period", "orgUnit", "attributeOptionCombo", "dataValues"}
DATA_VALUE = {"dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value"}


@pytest.fixture
def with_zeros(year_2021):  # noqa: F811
    """Zeros that are results: nobody reached in 2021S1 at Miomaffo Timur (53.03.01), of them 0 women."""
    entry("1.a.1.1", "2021S1", value=0, male=0, female=0, kecamatan="53.03.01")
    entry("1.b.1.1", "2021S1", milestone_status="not_started")
    return year_2021


def _package(plan) -> dict:
    return json.loads(dhis2_metadata.build_json(plan))


def _values(plan) -> dict:
    return json.loads(dhis2_export.build(plan, 2021, "json", complete_date=COMPLETE))


@pytest.mark.django_db
def test_every_object_has_the_shape_of_its_dhis2_class(plan):
    package = _package(plan)
    assert set(package) == set(FIELDS)
    for collection, objects in package.items():
        assert objects, collection
        for obj in objects:
            assert set(obj) <= FIELDS[collection], (collection, set(obj) - FIELDS[collection])
            assert UID.match(obj["id"]) and obj["code"] and obj["name"]
            assert len(obj["name"]) <= 230 and len(obj.get("shortName", "")) <= 50
        # DHIS2 wants codes, names and short names unique within a type
        for key in ("id", "code", "name", "shortName"):
            taken = [o[key] for o in objects if key in o]
            assert len(taken) == len(set(taken)), (collection, key)
    for element in package["dataElements"]:
        assert element["valueType"] in VALUE_TYPES and element["aggregationType"] in AGGREGATION_TYPES
        assert element["domainType"] == "AGGREGATE"
    (data_set,) = package["dataSets"]
    assert (data_set["code"], data_set["periodType"]) == ("rad-ttu-2018-2022", "SixMonthly")


@pytest.mark.django_db
def test_every_reference_resolves(plan):
    """Each {"id": …} points at an object of the package or at DHIS2's own default category combo."""
    package = _package(plan)
    ids = {obj["id"] for objects in package.values() for obj in objects} | {DEFAULT_CATEGORY_COMBO_UID}

    def refs(node):
        if isinstance(node, dict):
            if set(node) == {"id"}:
                yield node["id"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for item in node:
                yield from refs(item)

    used = [
        uid
        for objects in package.values()
        for obj in objects
        for key, v in obj.items()
        if key != "id"
        for uid in refs(v)
    ]
    assert used and set(used) <= ids


@pytest.mark.django_db
def test_the_plan_gives_its_counts(plan):
    """The fixture plan: 47 indicators; per kind the data elements of element_codes — count and
    tracked 3 each (value, SEX, AGE), percent 2 (NUM, DEN), every other kind 1 — and TTU's 24
    kecamatan under the regency."""
    kinds = list(Indicator.objects.filter(plan=plan).values_list("kind", flat=True))
    expected = sum(3 if k in ("count", "tracked") else 2 if k == "percent" else 1 for k in kinds)
    package = _package(plan)
    assert len(kinds) == 47
    assert len(package["dataElements"]) == expected
    assert len(package["organisationUnits"]) == 25
    assert [c["code"] for c in package["categoryOptionCombos"]] == ["L", "P", "ANAK", "DEWASA"]
    regency, *kecamatan = package["organisationUnits"]
    assert regency["code"] == "53.03" and "parent" not in regency
    assert {k["parent"]["id"] for k in kecamatan} == {regency["id"]}
    (data_set,) = package["dataSets"]
    assert len(data_set["dataSetElements"]) == expected and len(data_set["organisationUnits"]) == 25


@pytest.mark.django_db
def test_the_values_load_into_the_package(with_zeros):
    """Every value names a data element, org unit and combo of the package by code, in a period of
    the data set's type; its combo belongs to its element's category combo; the element is in
    the data set; and every zero sits on an element whose zeros DHIS2 keeps."""
    package, values = _package(with_zeros), _values(with_zeros)
    assert set(values) <= DATA_VALUE_SET and values["dataSet"] == package["dataSets"][0]["code"]
    assert values["completeDate"] == "2023-01-05"
    elements = {e["code"]: e for e in package["dataElements"]}
    units = {u["code"] for u in package["organisationUnits"]}
    combos = {c["code"]: c for c in package["categoryOptionCombos"]}
    in_set = {ref["dataElement"]["id"] for ref in package["dataSets"][0]["dataSetElements"]}
    zeros = 0
    for value in values["dataValues"]:
        assert set(value) <= DATA_VALUE
        element = elements[value["dataElement"]]
        assert element["id"] in in_set
        assert value["orgUnit"] in units
        assert SIX_MONTHLY.match(value["period"])
        combo = value["categoryOptionCombo"]
        if combo == DEFAULT_COMBO:
            assert element["categoryCombo"]["id"] == DEFAULT_CATEGORY_COMBO_UID
        else:
            assert combos[combo]["categoryCombo"] == element["categoryCombo"]
        if element["valueType"].startswith("INTEGER"):
            assert re.fullmatch(r"\d+", value["value"])
        if value["value"] == "0":
            zeros += 1
            assert element["zeroIsSignificant"] is True, value
    # 1.a.1.1 at 53.03.01: the number 0, men 0, women 0; the milestone not started: 0
    assert zeros == 4


@pytest.mark.django_db
def test_zero_is_significant_where_a_zero_is_a_result(plan):
    elements = {e["code"]: e for e in _package(plan)["dataElements"]}
    assert elements["1.a.1.1"]["zeroIsSignificant"] is True  # count
    assert elements["1.a.1.1.SEX"]["zeroIsSignificant"] is True  # 0 women of 3
    assert elements["2.b.1.3.NUM"]["zeroIsSignificant"] is True  # 0 of 10 understood
    assert elements["1.b.1.1"]["zeroIsSignificant"] is True  # milestone not started
    assert elements["4.a.5.1"]["zeroIsSignificant"] is True  # level: no staff
    assert elements["1.b.2.1"]["zeroIsSignificant"] is False  # coverage is 1 or nothing
    assert elements["2.b.1.2"]["valueType"] == "LONG_TEXT"  # qualitative
    assert elements["1.a.1.1.SEX"]["categoryCombo"]["id"] == stable_uid("categoryCombo", "SEX")


@pytest.mark.django_db
def test_mapped_objects_are_pointed_at_not_redefined(plan):
    Dhis2Mapping.objects.create(kind="orgUnit", code="53.03.08", uid="Kefamenanu1")
    Dhis2Mapping.objects.create(kind="orgUnit", code="53", uid="NusaTenggr1")
    Dhis2Mapping.objects.create(kind="dataElement", code="1.a.1.1", uid="PeopleReach")
    package = _package(plan)
    assert "53.03.08" not in {u["code"] for u in package["organisationUnits"]}
    assert "1.a.1.1" not in {e["code"] for e in package["dataElements"]}
    (data_set,) = package["dataSets"]
    assert {"id": "Kefamenanu1"} in data_set["organisationUnits"]
    assert {"dataElement": {"id": "PeopleReach"}, "dataSet": {"id": data_set["id"]}} in data_set["dataSetElements"]
    assert package["organisationUnits"][0]["parent"] == {"id": "NusaTenggr1"}  # the regency under the province


def test_stable_uids():
    assert stable_uid("dataElement", "1.a.1.1") == stable_uid("dataElement", "1.a.1.1")
    assert stable_uid("dataElement", "1.a.1.1") != stable_uid("orgUnit", "1.a.1.1")
    assert all(UID.match(stable_uid("orgUnit", f"53.03.{n:02d}")) for n in range(1, 25))


@pytest.mark.django_db
def test_dhis2_py_post_partitioned_takes_the_one_key_json(year_2021, monkeypatch):  # noqa: F811
    """dhis2.py 2.3.0's post_partitioned splits the payload's only key and refuses a payload with
    any other key (dhis2/api.py): the json-values format is that payload; the full DataValueSet,
    with dataSet and completeDate beside the list, is for DHIS2's own import."""
    from dhis2 import Api
    from dhis2.exceptions import ClientException

    sent = []
    monkeypatch.setattr(
        Api, "post", lambda self, endpoint, json=None, params=None, **kw: sent.append((endpoint, json, params))
    )
    api = Api("dhis2.example.org", "admin", "district")
    payload = json.loads(dhis2_export.build(year_2021, 2021, "json-values"))
    list(api.post_partitioned("dataValueSets", json=payload, params={"idScheme": "CODE"}, thresh=5))
    # the 12 values of the fixture in chunks of 5, 5 and 2, with the id scheme as the query parameter
    assert [len(chunk["dataValues"]) for _, chunk, _ in sent] == [5, 5, 2]
    assert {params["idScheme"] for *_, params in sent} == {"CODE"}
    assert (
        sum((chunk["dataValues"] for _, chunk, _ in sent), [])
        == json.loads(dhis2_export.build(year_2021, 2021, "json", complete_date=COMPLETE))["dataValues"]
    )
    with pytest.raises(ClientException, match="exactly one key"):
        list(api.post_partitioned("dataValueSets", json=_values(year_2021)))


OLD_JSON = {
    "idScheme": "CODE",
    "dataElementIdScheme": "CODE",
    "orgUnitIdScheme": "CODE",
    "categoryOptionComboIdScheme": "CODE",
    "dataValues": [
        {
            "dataElement": "1.a.1.1",
            "period": "2021S1",
            "orgUnit": "53.03.08",
            "categoryOptionCombo": "default",
            "attributeOptionCombo": "default",
            "value": "15",
        },
    ],
}
OLD_CSV = (
    "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup\n"
    "1.a.1.1,2021S1,53.03.08,default,default,15,,,,\n"
)
NEW_CSV = OLD_CSV.replace(
    OLD_CSV.splitlines()[0],
    "dataElement,period,orgUnit,categoryOptionCombo,attributeOptionCombo,value,storedBy,lastUpdated,comment,followUp",
)
NEW_JSON = {"dataSet": "rad-ttu-2018-2022", "completeDate": "2023-01-05", "dataValues": OLD_JSON["dataValues"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [json.dumps(OLD_JSON), OLD_CSV, json.dumps(NEW_JSON), NEW_CSV, json.dumps({"dataValues": OLD_JSON["dataValues"]})],
    ids=["old json", "old csv", "new json", "new csv", "json-values"],
)
def test_import_reads_old_and_new_shapes(plan, personas, payload):
    result = import_values(payload.encode(), plan=plan, user=personas["admin"], status=EntryStatus.VERIFIED)
    assert result.ok, [str(p) for p in result.problems]
    assert list(ProgressEntry.objects.values_list("indicator__code", "kecamatan__code", "value")) == [
        ("1.a.1.1", "53.03.08", 15)
    ]


@pytest.mark.django_db
def test_command_writes_the_metadata_package(plan, tmp_path, capsys):
    out = tmp_path / "meta.json"
    call_command("export_dhis2", "--metadata", "--output", str(out))
    assert json.loads(out.read_text())["dataSets"][0]["periodType"] == "SixMonthly"
    assert "POST /api/metadata" in capsys.readouterr().out
    call_command("export_dhis2", "--year", "2021", "--output", str(tmp_path / "v.json"))
    assert "POST /api/dataValueSets?idScheme=CODE (Content-Type: application/json)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--year"):
        call_command("export_dhis2", "--output", str(tmp_path / "x.json"))
