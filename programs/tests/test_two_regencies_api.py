"""The API keeps to the regencies too: another regency's plan, entries and figures do not exist."""

import pytest

from conftest import make_user
from indicators.models.roles import REVIEWER
from indicators.tests.api_helpers import call, token_for
from indicators.tests.factories import entry
from indicators.tests.plan_helpers import make_plan


@pytest.mark.django_db
def test_the_api_shows_only_the_own_regency(client, personas):
    belu = make_plan("rad-belu-2019-2023")
    item = entry("1.a.1.1", "2021S1", rad=belu.code, value=40)
    token = token_for(personas["reviewer"])  # TTU's
    plans = call(client, "get", "/plans", token).json()
    assert [p["code"] for p in plans["items"]] == ["rad-ttu-2018-2022"]
    assert call(client, "get", f"/plans/{belu.code}", token).status_code == 404
    assert call(client, "get", f"/plans/{belu.code}/entries", token).status_code == 404
    assert call(client, "get", f"/entries/{item.pk}", token).status_code == 404
    # Belu's agencies (copies of TTU's, same codes) are not TTU's to see
    assert {a["region"] for a in call(client, "get", "/agencies", token).json()} == {"53.03"}
    # the province's reviewer reads both
    province = token_for(make_user("ntt", REVIEWER, region="53"))
    assert call(client, "get", "/plans", province).json()["count"] == 2
    assert call(client, "get", f"/plans/{belu.code}", province).status_code == 200
    assert call(client, "get", f"/entries/{item.pk}", province).status_code == 200
    listed = call(client, "get", "/agencies", province).json()
    assert {a["region"] for a in listed} == {"53.03", "53.04"}
    assert sum(1 for a in listed if a["code"] == "polres") == 2
