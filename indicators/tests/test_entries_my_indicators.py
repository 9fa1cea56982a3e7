"""'My indicators': the agency's indicators with what is due this semester and the last status."""

import pytest

from conftest import RAD, rad_url
from indicators.models import EntryStatus
from indicators.tests.entries_helpers import make_entry


@pytest.mark.django_db
def test_shows_due_reported_and_last_status(client_for, personas):
    officer = personas["officer_a"]
    make_entry("1.a.1.1", "2022S2", officer, value=120, status=EntryStatus.SUBMITTED)
    make_entry("1.a.1.1", "2022S2", officer, value=30, status=EntryStatus.RETURNED)
    client = client_for(officer)
    client.cookies["django_language"] = "en"
    body = client.get(rad_url("indicators:my_indicators")).content.decode()
    # today is after the plan, so the reporting period is its last semester
    assert "Reporting period: 2022S2" in body
    row = body.split(f'href="{RAD}/indicators/1.a.1.1/entries/"')[1].split("</tr>")[0]
    # 2022 target 1,000 people, half of it due in S2; reported: the submitted 120 (the returned 30 does not count)
    assert "500 people" in row
    assert "120 people" in row
    assert '<td class="text-end" data-label="Entries in the period">2</td>' in row  # two entries in the period
    assert "Returned · 2022S2" in row  # the last one touched
    assert "1 draft or returned entry" in row


@pytest.mark.django_db
def test_officer_without_agency_is_refused(client_for, personas):
    officer = personas["officer_a"]
    officer.staff_profile.agency = None
    officer.staff_profile.save()
    assert client_for(officer).get(rad_url("indicators:my_indicators")).status_code == 403


@pytest.mark.django_db
def test_overdue_reports_are_listed(client_for, personas):
    """The plan is over (2018–2022), so every semester's deadline has passed: what is missing is overdue.

    In 2021S2 Disnakertrans has 1.a.1.1 submitted, so it is not overdue there; 1.b.1.1 (a milestone,
    never reported achieved) is overdue in every semester; Dinas Sosial's indicators never appear.
    """
    officer = personas["officer_a"]
    make_entry("1.a.1.1", "2021S2", officer, value=10, status=EntryStatus.SUBMITTED)
    make_entry("1.a.1.2", "2021S2", officer, value=10, status=EntryStatus.DRAFT)  # a draft is no report
    client = client_for(officer)
    client.cookies["django_language"] = "en"
    body = client.get(rad_url("indicators:my_indicators")).content.decode()
    section = body.split('id="overdue-title"')[1].split("</section>")[0]
    line = section.split("<strong>2021S2</strong>")[1].split("</li>")[0]
    assert "deadline 01/15/2022" in line
    assert ">1.b.1.1<" in line and ">1.a.1.2<" in line and ">1.a.1.1<" not in line
    assert section.count("<li>") == 10  # ten semesters, each with something missing
    assert "2.b.2.1" not in section
