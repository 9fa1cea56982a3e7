"""The IATI 2.03 file: valid against the official schema (docs/standards/iati-2.03, an unchanged
copy of the shared standards folder), and right where the schema cannot tell: codelists,
ISO dates, periods inside the activity's dates, and the figures themselves."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from lxml import etree

from indicators.models import EntryStatus
from indicators.tests.factories import entry
from programs.models import Plan
from reports.exchange import iati
from reports.tests.iati_rules import Evaluator

SCHEMA_DIR = Path(settings.BASE_DIR) / "docs" / "standards" / "iati-2.03"
RULESET = json.loads((SCHEMA_DIR / "rulesets" / "standard.json").read_text())
AS_OF = datetime.date(2023, 1, 1)
NOW = datetime.datetime(2023, 1, 2, 8, 0, tzinfo=datetime.UTC)

# The codelists the file uses (IATI Standard 2.03, non-embedded and embedded codelists)
RESULT_TYPE = {"1", "2", "3", "9"}
INDICATOR_MEASURE = {"1", "2", "3", "4", "5"}
ACTIVITY_STATUS = {"1", "2", "3", "4", "5", "6"}
ACTIVITY_DATE_TYPE = {"1", "2", "3", "4"}
ORGANISATION_TYPE = {"10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90"}
ORGANISATION_ROLE = {"1", "2", "3", "4"}
DESCRIPTION_TYPE = {"1", "2", "3", "4"}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


@pytest.fixture
def xml(plan):
    entry("1.a.1.1", "2021S1", value=300)
    entry("1.a.1.1", "2021S2", value=200)
    entry("1.a.1.1", "2022S1", value=999, status=EntryStatus.SUBMITTED)  # not official
    entry("2.b.1.3", "2021S1", numerator=3, denominator=4)
    entry("1.b.1.1", "2022S1", milestone_status="in_progress")
    return etree.fromstring(iati.build(plan, AS_OF, NOW))


def _indicator(xml, code: str):
    return xml.xpath(f"//indicator[description/narrative[starts-with(., '{code} ')]]")[0]


def _period(indicator, year: int):
    return indicator.xpath(f"period[period-start/@iso-date='{year}-01-01']")[0]


@pytest.mark.django_db
def test_valid_against_the_official_schema(schema, xml):
    schema.assertValid(xml)


def test_the_copy_is_the_shared_standard():
    shared = Path(settings.BASE_DIR).parent / "shared" / "standards" / "iati-2.03"
    if not shared.is_dir():
        pytest.skip("no shared standards folder beside the repository here")
    for name in ("iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd"):
        assert (SCHEMA_DIR / name).read_bytes() == (shared / name).read_bytes()


@pytest.mark.django_db
def test_the_schema_catches_a_broken_file(schema, xml):
    # the validation can fail: an indicator without its required measure is refused
    del xml.xpath("//indicator")[0].attrib["measure"]
    assert not schema.validate(xml)


@pytest.mark.django_db
def test_codelists_dates_and_periods(xml):
    assert xml.get("version") == "2.03"
    activity = xml.find("iati-activity")
    assert activity.findtext("iati-identifier") == "XM-DAC-47066-rad-ttu-2018-2022"
    # an activity identifier begins with its reporting organisation's identifier
    assert activity.findtext("iati-identifier").startswith(activity.find("reporting-org").get("ref"))
    assert activity.find("reporting-org").get("type") in ORGANISATION_TYPE
    assert {o.get("role") for o in activity.findall("participating-org")} <= ORGANISATION_ROLE
    assert {d.get("type") for d in activity.findall("description")} <= DESCRIPTION_TYPE
    assert activity.find("activity-status").get("code") in ACTIVITY_STATUS
    assert {r.get("type") for r in activity.findall("result")} <= RESULT_TYPE
    assert {i.get("measure") for i in activity.iter("indicator")} <= INDICATOR_MEASURE
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert set(dates) <= ACTIVITY_DATE_TYPE
    # ISO 8601 dates: every iso-date is a plain YYYY-MM-DD; the datetimes parse
    for node in xml.iter():
        if node.get("iso-date") is not None:
            assert datetime.date.fromisoformat(node.get("iso-date")).isoformat() == node.get("iso-date")
    datetime.datetime.fromisoformat(xml.get("generated-datetime"))
    datetime.datetime.fromisoformat(activity.get("last-updated-datetime"))
    start, end = datetime.date.fromisoformat(dates["1"]), datetime.date.fromisoformat(dates["3"])
    assert (start, end) == (datetime.date(2018, 1, 1), datetime.date(2022, 12, 31))
    periods = list(activity.iter("period"))
    assert periods
    for period in periods:
        first = datetime.date.fromisoformat(period.find("period-start").get("iso-date"))
        last = datetime.date.fromisoformat(period.find("period-end").get("iso-date"))
        assert start <= first <= last <= end
    # a qualitative measure carries words, never a value
    for indicator in activity.iter("indicator"):
        if indicator.get("measure") == "5":
            assert not indicator.xpath(".//target[@value] | .//actual[@value] | .//baseline[@value]")


@pytest.mark.django_db
def test_results_and_figures(xml):
    activity = xml.find("iati-activity")
    # 47 indicators less the 7 tracked and 7 qualitative ones (no target): 33, in 12 of the 16
    # programs (2.d, 3.c, 3.d and 4.e hold only tracked or qualitative indicators)
    assert len(activity.findall("result")) == 12
    assert len(list(activity.iter("indicator"))) == 33
    assert [r.findtext("title/narrative").split()[0] for r in activity.findall("result")][:6] == [
        *["1.a", "1.b", "2.a", "2.b", "2.c", "3.a"]
    ]
    people = _indicator(xml, "1.a.1.1")
    assert people.get("measure") == "1"
    assert people.find("baseline").get("value") == "0"
    # 2021: 300 + 200 of the year's 1,000; 2022's submitted 999 is not official
    assert _period(people, 2021).find("target").get("value") == "1000"
    assert _period(people, 2021).find("actual").get("value") == "500"
    assert _period(people, 2022).find("actual") is None
    percent = _indicator(xml, "2.b.1.3")
    # 3 of 4 trained officers understand the referral mechanism: 75 % against 50 %
    assert percent.get("measure") == "2"
    assert _period(percent, 2021).find("actual").get("value") == "75"
    assert _period(percent, 2021).find("target").get("value") == "50"
    sop = _indicator(xml, "1.b.1.1")
    assert sop.get("measure") == "5"
    assert _period(sop, 2022).findtext("actual/comment/narrative") == "In progress"
    assert _period(sop, 2022).findtext("target/comment/narrative") == "Achieved"


@pytest.mark.django_db
def test_settings_name_the_publisher(plan, settings):
    settings.IATI_REPORTING_ORG_REF = "XM-DAC-99999"
    settings.IATI_ACTIVITY_IDENTIFIER = "XM-DAC-99999-TTU-{plan}"
    activity = etree.fromstring(iati.build(plan, AS_OF, NOW)).find("iati-activity")
    assert activity.findtext("iati-identifier") == "XM-DAC-99999-TTU-rad-ttu-2018-2022"
    assert activity.find("reporting-org").get("ref") == "XM-DAC-99999"


@pytest.mark.django_db
def test_command_writes_a_valid_file(plan, schema, tmp_path):
    out = tmp_path / "rad.xml"
    call_command("export_iati", "--output", str(out))
    schema.assertValid(etree.parse(str(out)))


def _rule_failures(xml) -> list[str]:
    return [str(f) for f in Evaluator(RULESET, NOW).failures(xml)]


@pytest.mark.django_db
def test_every_rule_of_the_standard_passes(xml):
    """IATI-Rulesets standard.json 2.03, every case, errors and warnings alike."""
    assert _rule_failures(xml) == []


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Plan.Status.DRAFT, Plan.Status.ACTIVE, Plan.Status.CLOSED])
def test_the_rules_pass_in_every_state_of_the_plan(plan, status):
    Plan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    assert _rule_failures(etree.fromstring(iati.build(plan, AS_OF, NOW))) == []


@pytest.mark.django_db
def test_the_rules_catch_a_file_without_a_sector(xml):
    # the rule the file once broke: "each activity must have a specified sector" (6.2.2)
    activity = xml.find("iati-activity")
    activity.remove(activity.find("sector"))
    assert [f.split(" ")[0] for f in _rule_failures(xml)] == ["6.2.2"]


@pytest.mark.django_db
def test_the_rules_catch_dates_out_of_order_and_in_the_future(xml):
    activity = xml.find("iati-activity")
    activity.find("activity-date[@type='1']").set("iso-date", "2023-01-01")  # after the planned end
    activity.find("activity-date[@type='2']").set("iso-date", "2024-01-01")  # after NOW and the actual end
    assert sorted(f.split(" ")[0] for f in _rule_failures(xml)) == ["11.1.2", "11.1.3", "11.1.4"]


def test_the_evaluator_knows_every_rule_of_the_file():
    names = {rule for rules in RULESET.values() for rule in rules}
    loops = [case for rules in RULESET.values() for case in rules.get("loop", {"cases": []})["cases"]]
    names |= {rule for case in loops for rule in case["do"]}
    implemented = {n.removeprefix("_") for n in dir(Evaluator) if n.startswith("_") and not n.startswith("__")}
    assert names <= implemented | {"loop"}


def test_the_ruleset_copy_is_the_shared_one():
    shared = Path(settings.BASE_DIR).parent / "shared" / "standards" / "iati-2.03"
    if not shared.is_dir():
        pytest.skip("no shared standards folder beside the repository here")
    for name in ("rulesets/standard.json", "codelists/Sector.xml", "codelists/OrganisationRegistrationAgency.xml"):
        assert (SCHEMA_DIR / name).read_bytes() == (shared / name).read_bytes()


@pytest.mark.django_db
def test_sector_status_and_actual_dates(xml):
    """The fixture plan (2018–2022) is active; on 1 Jan 2023 its
    years are over, so it is in finalisation (3); its first official entry is dated 30 Jun 2021
    (2021S1's, verified), its last 30 Jun 2022 (the milestone, 2022S1); the submitted 999 of
    2022S1 does not count (same date anyway). The sector is the setting's DAC code, on the
    DAC codelist."""
    activity = xml.find("iati-activity")
    sector = activity.find("sector")
    assert (sector.get("vocabulary"), sector.get("code")) == ("1", "15190")
    dac = etree.parse(str(SCHEMA_DIR / "codelists" / "Sector.xml"))
    assert dac.xpath("//codelist-item[code='15190']/@status") == ["active"]
    assert activity.find("activity-status").get("code") == "3"
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert dates == {"1": "2018-01-01", "2": "2021-06-30", "3": "2022-12-31", "4": "2022-06-30"}


@pytest.mark.django_db
def test_status_follows_the_plan(plan):
    """Draft: pipeline (1), no actual dates; active within its years: implementation (2), an
    actual start but no actual end; closed: closed (4) with both."""
    entry("1.a.1.1", "2019S2", value=10)  # dated 31 Dec 2019
    entry("1.a.1.1", "2020S1", value=10, date=datetime.date(2020, 3, 2))

    def state(status, as_of):
        Plan.objects.filter(pk=plan.pk).update(status=status)
        plan.refresh_from_db()
        activity = etree.fromstring(iati.build(plan, as_of, NOW)).find("iati-activity")
        dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date") if d.get("type") in "24"}
        return activity.find("activity-status").get("code"), dates

    assert state(Plan.Status.ACTIVE, datetime.date(2020, 1, 15)) == ("2", {"2": "2019-12-31"})
    assert state(Plan.Status.CLOSED, AS_OF) == ("4", {"2": "2019-12-31", "4": "2020-03-02"})
    assert state(Plan.Status.DRAFT, AS_OF)[0] == "1"


@pytest.mark.django_db
def test_a_bad_sector_setting_stops_the_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from tptto_monitor.env import env_pattern

    monkeypatch.setenv("IATI_SECTOR", "151")
    with pytest.raises(ImproperlyConfigured, match="IATI_SECTOR"):
        env_pattern("IATI_SECTOR", "15190", r"\d{5}", "15190")
