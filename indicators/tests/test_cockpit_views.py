"""The cockpit's pages: who may read them, what they show, how many queries they take."""

import pytest

from conftest import keep_permissions, rad_url
from indicators.models import EntryStatus
from indicators.tests.factories import entry
from indicators.tests.test_completeness import dated

PAGES = ["indicators:completeness", "indicators:data_quality", "indicators:follow_ups"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("verifier", 200),
        ("reviewer", 200),
        ("admin", 200),
        ("officer_a", 403),
        ("executive", 403),
        ("outsider", 403),
    ],
)
def test_who_may_read(client_for, personas, page, persona, status):
    assert client_for(personas[persona]).get(rad_url(page)).status_code == status


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(rad_url("indicators:completeness"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_completeness_table_says_its_numbers_in_words(client_for, personas):
    """Disnakertrans, 2021S2: 10 due, 1.a.1.1 received on time, 1.a.1.2 late → 20 %, 2 of 10, 1 on time."""
    dated(entry("1.a.1.1", "2021S2", value=5, status=EntryStatus.SUBMITTED), "2022-01-05")
    dated(entry("1.a.1.2", "2021S2", value=5), "2022-03-01")
    client = client_for(personas["verifier"])
    client.cookies["django_language"] = "en"
    body = client.get(rad_url("indicators:completeness"), {"year": "2021"}).content.decode()
    row = body.split('<th scope="row">Disnakertrans</th>')[1].split("</tr>")[0]
    cells = row.split("<td")[1:]
    assert len(cells) == 2  # 2021S1, 2021S2
    assert "completeness-poor" in cells[0] and "0 %" in cells[0] and "0 of 10" in cells[0]
    assert "completeness-poor" in cells[1]
    assert "20 %" in cells[1] and "2 of 10" in cells[1] and "1 on time" in cells[1]
    assert "due 01/15/2022" in body  # the default deadline, 15 days after the semester


@pytest.mark.django_db
def test_completeness_page_query_count_is_fixed(client_for, personas, django_assert_num_queries):
    client = client_for(personas["reviewer"])
    keep_permissions(personas["reviewer"])
    # session, user (permissions kept), plan, deadlines, indicators, targets, milestones, first receipts, demo banner
    with django_assert_num_queries(9):
        client.get(rad_url("indicators:completeness"))
    for code in ("1.a.1.1", "1.a.1.2", "4.a.4.1", "2.d.1.1"):
        entry(code, "2020S1", value=3)
    with django_assert_num_queries(9):
        client.get(rad_url("indicators:completeness"))
