"""Rules between indicators: refused when they name an unknown or non-numeric indicator; checked
per semester on the rollup's figures (submitted and verified entries)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import rad_url
from indicators.figures.rules import rule_results
from indicators.models import ConsistencyRule, EntryStatus
from indicators.tests.factories import entry

AS_OF = datetime.date(2026, 11, 30)


@pytest.mark.django_db
def test_a_rule_naming_an_unknown_indicator_is_refused(plan):
    rule = ConsistencyRule(plan=plan, left_code="2.a.1.3", right_code="9.z.9.9")
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "9.z.9.9" in str(error.value.message_dict["right_code"])


@pytest.mark.django_db
def test_a_rule_on_a_milestone_is_refused(plan):
    with pytest.raises(ValidationError) as error:
        ConsistencyRule(plan=plan, left_code="2.a.1.3", right_code="1.b.1.1").full_clean()
    assert "right_code" in error.value.message_dict


@pytest.mark.django_db
def test_rule_checked_each_semester(plan):
    """2.a.1.3 (victims referred, count) ≤ 3.c.1.1 (cases reported to police, tracked), for the test's sake.

    2019S1: 5 referred ≤ 8 reported: kept. 2019S2: 4 + 3 (submitted) = 7 referred > 6 reported: broken.
    2020S1: 2 referred, nothing reported: broken (nothing counts as 0). A draft never counts.
    """
    rule = ConsistencyRule(plan=plan, left_code="2.a.1.3", right_code="3.c.1.1")
    rule.full_clean()
    rule.save()
    entry("2.a.1.3", "2019S1", value=5)
    entry("3.c.1.1", "2019S1", value=8)
    entry("2.a.1.3", "2019S2", value=4)
    entry("2.a.1.3", "2019S2", value=3, status=EntryStatus.SUBMITTED)
    entry("3.c.1.1", "2019S2", value=6)
    entry("2.a.1.3", "2020S1", value=2)
    entry("3.c.1.1", "2020S2", value=50, status=EntryStatus.DRAFT)
    (result,) = rule_results(plan, as_of=AS_OF)
    rows = [(str(r.period), r.left, r.right, r.broken) for r in result.semesters]
    assert rows == [
        ("2019S1", Decimal(5), Decimal(8), False),
        ("2019S2", Decimal(7), Decimal(6), True),
        ("2020S1", Decimal(2), None, True),
    ]
    assert [str(r.period) for r in result.broken] == ["2019S2", "2020S1"]


@pytest.mark.django_db
def test_data_quality_page_lists_broken_rules(client_for, personas, plan):
    ConsistencyRule.objects.create(plan=plan, left_code="2.a.1.3", right_code="3.c.1.1")
    entry("2.a.1.3", "2019S2", value=7)
    entry("3.c.1.1", "2019S2", value=6)
    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = "en"
    body = client.get(rad_url("indicators:data_quality")).content.decode()
    assert "broken in 1 semester" in body
    row = body.split('<tr class="table-danger">')[1].split("</tr>")[0]
    assert "2019S2" in row and ">7<" in row and ">6<" in row
