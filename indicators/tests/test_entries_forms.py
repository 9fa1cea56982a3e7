"""The entry form shows the fields the indicator's kind needs, and saves them."""

import datetime
import uuid

import pytest

from conftest import rad_url
from indicators.models import Indicator, ProgressEntry
from indicators.tests.entries_helpers import make_entry, secretariat_officer
from programs.models import Region

ALL_KIND_FIELDS = {"value", "male", "female", "child", "adult", "kecamatan", "place", "numerator", "denominator"}


def field_names(body: str) -> set[str]:
    return {name for name in ALL_KIND_FIELDS | {"milestone_status"} if f'name="{name}"' in body}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code,kind,fields",
    [
        ("4.a.2.1", "count", {"value", "male", "female", "child", "adult", "kecamatan"}),
        ("1.b.2.1", "coverage", {"kecamatan", "place"}),
        ("2.b.1.3", "percent", {"numerator", "denominator", "kecamatan"}),
        ("1.b.3.1", "milestone", {"milestone_status"}),
        ("2.c.1.1", "periodic", {"value", "kecamatan"}),
        ("4.b.1.4", "tracked", {"value", "male", "female", "child", "adult", "kecamatan"}),
        ("2.b.1.2", "qualitative", set()),
    ],
)
def test_form_shows_only_the_kinds_fields(client_for, plan, code, kind, fields):
    assert Indicator.objects.get(code=code).kind == kind
    client = client_for(secretariat_officer())
    client.cookies["django_language"] = "en"
    body = client.get(rad_url("indicators:new_entry", code)).content.decode()
    assert field_names(body) == fields
    for common in ("period", "date", "narrative", "version"):
        assert f'name="{common}"' in body
    assert "Never write the name of a victim" in body
    assert 'name="confirm_duplicate"' not in body


@pytest.mark.django_db
def test_periodic_value_defaults_to_one(client_for, plan):
    body = client_for(secretariat_officer()).get(rad_url("indicators:new_entry", "2.c.1.1")).content.decode()
    assert 'name="value" value="1"' in body


@pytest.mark.django_db
def test_period_choices_are_the_plans_semesters_that_have_begun(client_for, personas):
    body = client_for(personas["officer_a"]).get(rad_url("indicators:new_entry", "1.a.1.1")).content.decode()
    # today is after the plan (2018–2022): all ten semesters, latest first
    options = [f'<option value="{y}S{s}">' for y in range(2022, 2017, -1) for s in (2, 1)]
    options[0] = '<option value="2022S2" selected>'  # the latest begun is preselected (tests/test_my_work.py)
    positions = [body.index(option) for option in options]
    assert positions == sorted(positions)
    assert '<option value="2023S1">' not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code,data,expected",
    [
        (
            "1.b.2.1",
            {"kecamatan": "53.03.08", "place": "Kelompok peduli Desa Oelami"},
            {"place": "Kelompok peduli Desa Oelami"},
        ),
        ("2.b.1.3", {"numerator": "12", "denominator": "20"}, {"numerator": 12, "denominator": 20}),
        ("1.b.3.1", {"milestone_status": "in_progress", "date": "2021-03-15"}, {"milestone_status": "in_progress"}),
        ("2.c.1.1", {"value": "1"}, {"value": 1}),
        ("2.b.1.2", {"narrative": "Petugas mampu mengidentifikasi korban."}, {"value": None}),
    ],
)
def test_each_kind_saves(client_for, plan, code, data, expected):
    if "kecamatan" in data:
        data["kecamatan"] = Region.objects.get(code=data["kecamatan"]).pk
    response = client_for(secretariat_officer()).post(
        rad_url("indicators:new_entry", code), {"period": "2021S1", "form_key": uuid.uuid4(), **data}
    )
    assert response.status_code == 302
    entry = ProgressEntry.objects.get()
    for field, value in expected.items():
        assert getattr(entry, field) == value
    assert entry.date == (datetime.date(2021, 3, 15) if "date" in data else datetime.date(2021, 6, 30))


@pytest.mark.django_db
def test_qualitative_needs_a_narrative(client_for, plan):
    response = client_for(secretariat_officer()).post(
        rad_url("indicators:new_entry", "2.b.1.2"),
        {"period": "2021S1", "narrative": "  ", "form_key": uuid.uuid4()},
    )
    assert response.status_code == 200
    assert ProgressEntry.objects.count() == 0


@pytest.mark.django_db
def test_form_shows_the_target_and_what_was_reported(client_for, personas):
    # verified 300 and submitted 20 in 2021; a draft of 999 does not count
    make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=300, status="verified")
    make_entry("1.a.1.1", "2021S2", personas["officer_a"], value=20, status="submitted")
    make_entry("1.a.1.1", "2021S2", personas["officer_a"], value=999)
    client = client_for(personas["officer_a"])
    client.cookies["django_language"] = "en"
    body = client.get(rad_url("indicators:new_entry", "1.a.1.1")).content.decode()
    assert "Target and what has been reported so far" in body
    assert "5,000 people" in body  # the plan target
    assert "320 people" in body  # 300 + 20 reported to date
    assert "6.4 %" in body  # 320 / 5,000 = 6.4 %
    assert "999" not in body.split("Target and what has been reported so far")[1]


@pytest.mark.django_db
def test_edit_form_starts_from_the_saved_values(client_for, personas):
    entry = make_entry(
        "1.a.1.1", "2021S2", personas["officer_a"], value=320, male=150, female=170, kecamatan="53.03.08"
    )
    body = client_for(personas["officer_a"]).get(rad_url("indicators:edit_entry", entry.pk)).content.decode()
    assert '<option value="2021S2" selected>' in body
    assert 'name="value" value="320"' in body
    assert 'name="female" value="170"' in body
    assert f'<option value="{entry.kecamatan_id}" selected>' in body
