"""The officer's page *My work* (indicators.workflow.work, indicators.views.work): where she lands,
the semester preselected, what is due by the completeness rule, returned entries first, drafts.

The day is always given (or patched): the plan runs 2018–2022, the day is 10 March 2021, so the
reporting semester is 2021S1."""

import datetime

import pytest
from django.utils import timezone

from conftest import rad_url
from indicators.forms import EntryForm
from indicators.models import EntryStatus, Indicator, MilestoneStatus
from indicators.tests.entries_helpers import make_entry
from indicators.workflow.work import DueState, officer_work, reporting_period
from programs.models import Agency, Plan
from programs.periods import Period

pytestmark = pytest.mark.django_db
DAY = datetime.date(2021, 3, 10)


@pytest.fixture
def on_day(monkeypatch):
    """Today is DAY for the views, the forms and the model's own checks."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: DAY)
    return DAY


def some_work(officer):
    """Disnakertrans (officer_a) has 10 indicators: seven counts with a target in 2021, two milestones and
    a tracked count. 1.b.1.1 was achieved (verified) in 2020S2, so it is no longer due: 9 are due in 2021S1.
    In 2021S1: 1.a.1.1 submitted (received), 1.a.2.1 a draft only (started); the other seven have nothing.
    1.a.1.2 of 2020S2 came back from the verifier."""
    make_entry("1.b.1.1", "2020S2", officer, status=EntryStatus.VERIFIED, milestone_status=MilestoneStatus.ACHIEVED)
    make_entry("1.a.1.1", "2021S1", officer, status=EntryStatus.SUBMITTED, value=40, date=datetime.date(2021, 3, 1))
    draft = make_entry("1.a.2.1", "2021S1", officer, value=2, date=datetime.date(2021, 3, 2))
    returned = make_entry("1.a.1.2", "2020S2", officer, status=EntryStatus.RETURNED, value=7)
    return draft, returned


def test_reporting_period_is_the_running_semester_within_the_plan():
    plan = Plan.objects.get(code="rad-ttu-2018-2022")
    assert reporting_period(plan, datetime.date(2021, 3, 10)) == Period(2021, 1)
    assert reporting_period(plan, datetime.date(2021, 7, 1)) == Period(2021, 2)
    assert reporting_period(plan, datetime.date(2026, 12, 5)) == Period(2022, 2)  # after the plan: its last
    assert reporting_period(plan, datetime.date(2017, 1, 5)) == Period(2018, 1)  # before it: its first


def test_work_lists_what_is_due_returned_and_drafted(personas):
    draft, returned = some_work(personas["officer_a"])
    plan = Plan.objects.get(code="rad-ttu-2018-2022")
    agency = Agency.objects.get(code="disnakertrans", region__code="53.03")
    work = officer_work(plan, agency, as_of=DAY)
    assert work.period == Period(2021, 1)
    assert work.deadline == datetime.date(2021, 7, 15)  # 15 days after the semester, the plan set none
    states = {row.indicator.code: row.state for row in work.due}
    assert len(states) == 9 and "1.b.1.1" not in states
    assert states["1.a.1.1"] == DueState.RECEIVED
    assert states["1.a.2.1"] == DueState.STARTED
    assert [code for code, state in states.items() if state == DueState.MISSING] == [
        "1.a.1.2",
        "1.a.1.3",
        "1.a.2.2",
        "1.a.3.1",
        "1.a.3.2",
        "1.b.1.2",
        "2.d.1.1",
    ]
    assert work.due[-1].indicator.code == "1.a.1.1"  # what is reported comes last
    assert work.missing == 8
    assert work.returned == [returned] and work.drafts == [draft]
    # earlier semesters past their deadline with something missing; never the running one
    overdue = [cell.period for cell in work.overdue]
    assert Period(2020, 2) in overdue and Period(2021, 1) not in overdue


def test_officer_lands_on_my_work(client_for, personas):
    officer = client_for(personas["officer_a"])
    assert officer.get("/").url == rad_url("indicators:my_work")
    # the others land on the plan as before
    assert client_for(personas["verifier"]).get("/").url == Plan.objects.get().get_absolute_url()


def test_my_work_page_shows_returned_entries_first_with_the_reason(client_for, personas, on_day):
    draft, returned = some_work(personas["officer_a"])
    page = client_for(personas["officer_a"]).get(rad_url("indicators:my_work")).content.decode()
    assert "Please attach the attendance list." in page  # the verifier's reason (entries_helpers)
    assert rad_url("indicators:edit_entry", returned.pk) in page
    assert draft.get_absolute_url() in page
    positions = [page.index(x) for x in ('id="returned-title"', 'id="drafts-title"', 'id="due-title"')]
    assert positions == sorted(positions)
    assert 'id="device-queue"' in page  # the device's queue is shown by the app's script
    assert page.count("work-due-missing") == 7


@pytest.mark.parametrize("who,status", [("officer_b", 200), ("verifier", 403), ("reviewer", 403), ("outsider", 403)])
def test_my_work_is_for_officers(client_for, personas, who, status):
    assert client_for(personas[who]).get(rad_url("indicators:my_work")).status_code == status


def test_entry_form_preselects_the_semester(client_for, personas, on_day):
    indicator = Indicator.objects.get(code="1.a.1.1")
    assert EntryForm(indicator=indicator, today=DAY)["period"].initial == "2021S1"
    assert EntryForm(indicator=indicator, today=datetime.date(2021, 8, 1))["period"].initial == "2021S2"
    page = client_for(personas["officer_a"]).get(rad_url("indicators:new_entry", "1.a.1.1")).content.decode()
    assert '<option value="2021S1" selected>' in page
