"""Query counts are part of the contract: "my indicators" and the verification
queue cost the same with 5 entries as with 50."""

import pytest

from conftest import keep_permissions, rad_url
from indicators.models import EntryStatus
from indicators.tests.entries_helpers import make_entry

KECAMATAN = [f"53.03.{n:02d}" for n in range(1, 25)]


def add_entries(user, count: int, status: str, start: int = 0) -> None:
    # spread over the officer's indicators of several kinds, and over kecamatan and periods
    for n in range(start, start + count):
        code = ["1.a.1.1", "1.a.2.1", "2.d.1.1"][n % 3]
        period = ["2021S1", "2021S2", "2022S2"][n % 3]
        make_entry(code, period, user, value=n + 1, status=status, kecamatan=KECAMATAN[n % 24])
    make_entry("1.b.1.1", "2022S1", user, status=status, milestone_status="in_progress")


def count_queries(client, url: str, django_assert_max_num_queries, bound: int) -> int:
    with django_assert_max_num_queries(bound) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_my_indicators_does_not_grow_with_entries(client_for, personas, django_assert_max_num_queries):
    officer = personas["officer_a"]
    client = client_for(officer)
    url = rad_url("indicators:my_indicators")
    add_entries(officer, 5, EntryStatus.SUBMITTED)
    keep_permissions(officer)
    # session, user with her staff profile (her permissions kept under its token), plan, demo flag, indicators
    # with their annotations, then the rollup's fixed set (indicators, targets, grouped sums, milestones,
    # pillars, …): 11, and the overdue reports (indicators.figures.completeness: deadlines, indicators, targets,
    # milestones, receipts): 16
    few = count_queries(client, url, django_assert_max_num_queries, 16)
    add_entries(officer, 45, EntryStatus.VERIFIED, start=5)
    many = count_queries(client, url, django_assert_max_num_queries, few)
    assert many == few


@pytest.mark.django_db
def test_verification_queue_does_not_grow_with_entries(client_for, personas, django_assert_max_num_queries):
    client = client_for(personas["verifier"])
    url = rad_url("indicators:review_queue")
    add_entries(personas["officer_a"], 5, EntryStatus.SUBMITTED)
    keep_permissions(personas["verifier"])
    # session, user with her staff profile (her permissions kept under its token), the plan from the address,
    # demo flag, the entries with everything they show, their evidence (photos inline), the page's count, the
    # filters' agencies, indicators and kecamatan: 10
    few = count_queries(client, url, django_assert_max_num_queries, 10)
    add_entries(personas["officer_a"], 45, EntryStatus.SUBMITTED, start=5)
    many = count_queries(client, url, django_assert_max_num_queries, few)
    assert many == few
    # 5 + 1 + 45 + 1 entries (one milestone per batch): 50 on the first page, 2 on the second, each page
    # with the filters' Apply button
    body = client.get(url).content.decode()
    assert body.count('class="btn btn-sm btn-primary"') == 50 + 1
    body = client.get(url + "?page=2").content.decode()
    assert body.count('class="btn btn-sm btn-primary"') == 2 + 1
