"""Reporting completeness per agency × semester, worked out by hand.

Disnakertrans answers for 10 indicators of the RAD: seven counts (1.a.1.1 … 1.a.3.2), two
milestones (1.b.1.1, 1.b.1.2) and one tracked count (2.d.1.1); every count has an annual
target above zero each year (the plan target split over five years), so all 10 are due in
each semester. Disdukcapil answers for one tracked count (4.a.4.1), Bapelitbang for one
milestone (4.c.1.1). The default deadline of 2021S2 is 15 January 2022.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from indicators.figures.completeness import State, completeness
from indicators.models import EntryStatus, ProgressEntry, ReportingDeadline, Target
from indicators.tests.factories import entry
from programs.models import Agency
from programs.periods import Period

AS_OF = datetime.date(2026, 11, 30)
S2 = Period(2021, 2)


def at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day + " 10:00"))


def dated(obj: ProgressEntry, *days: str) -> ProgressEntry:
    """Give the entry's history records (oldest first) these dates."""
    records = list(ProgressEntry.history.filter(id=obj.pk).order_by("history_id"))
    assert len(records) == len(days)
    for record, day in zip(records, days, strict=True):
        ProgressEntry.history.filter(history_id=record.history_id).update(history_date=at(day))
    return obj


def cell(plan, code: str, period: Period = S2, **kwargs):
    result = completeness(plan, as_of=AS_OF, periods=[period], **kwargs)
    return result.cell(Agency.objects.get(code=code).pk, period)


@pytest.mark.django_db
def test_on_time_late_and_missing(plan):
    dated(entry("1.a.1.1", "2021S2", value=10, status=EntryStatus.SUBMITTED), "2022-01-10")  # on time
    dated(entry("1.a.1.2", "2021S2", value=10, status=EntryStatus.VERIFIED), "2022-02-01")  # after 15 Jan
    entry("1.a.1.3", "2021S2", value=10, status=EntryStatus.DRAFT)  # a draft is not a report
    entry("1.b.1.1", "2021S2", milestone_status="in_progress", status=EntryStatus.RETURNED, return_reason="Date?")
    entry("1.a.1.1", "2021S1", value=10)  # another semester
    row = cell(plan, "disnakertrans")
    assert row.deadline == datetime.date(2022, 1, 15)
    assert row.state == State.CLOSED
    assert len(row.expected) == 10
    assert [i.code for i in row.received] == ["1.a.1.1", "1.a.1.2"]
    assert [i.code for i in row.on_time] == ["1.a.1.1"]
    assert [i.code for i in row.received if i not in row.on_time] == ["1.a.1.2"]  # late
    assert row.rate == 20  # 2 of 10
    assert len(row.missing) == 8 and "1.b.1.1" in [i.code for i in row.missing]  # returned: not received


@pytest.mark.django_db
def test_first_submission_counts_even_when_corrected_after_a_return(plan):
    obj = entry("1.a.1.1", "2021S2", value=10, status=EntryStatus.SUBMITTED)
    obj.status, obj.return_reason = EntryStatus.RETURNED, "Attach the list."
    obj.save()
    obj.status, obj.return_reason = EntryStatus.SUBMITTED, ""
    obj.save()
    dated(obj, "2022-01-14", "2022-01-16", "2022-01-20")  # submitted on time, resubmitted after the deadline
    row = cell(plan, "disnakertrans")
    assert [i.code for i in row.on_time] == ["1.a.1.1"]


@pytest.mark.django_db
def test_the_plans_own_deadline_applies(plan):
    dated(entry("1.a.1.2", "2021S2", value=10), "2022-02-01")
    ReportingDeadline.objects.create(plan=plan, year=2021, semester=2, deadline=datetime.date(2022, 2, 1))
    row = cell(plan, "disnakertrans")
    assert row.deadline == datetime.date(2022, 2, 1)
    assert [i.code for i in row.on_time] == ["1.a.1.2"]  # received on the deadline day itself


@pytest.mark.django_db
def test_a_deadline_before_the_semester_ends_is_refused(plan):
    deadline = ReportingDeadline(plan=plan, year=2021, semester=2, deadline=datetime.date(2021, 12, 30))
    with pytest.raises(ValidationError) as error:
        deadline.full_clean()
    assert "2021-12-31" in str(error.value.message_dict["deadline"])
    ReportingDeadline(plan=plan, year=2021, semester=2, deadline=datetime.date(2021, 12, 31)).full_clean()


@pytest.mark.django_db
def test_agency_with_nothing_due(plan):
    """Bapelitbang's one milestone was achieved in 2019S1: due until then, nothing due after."""
    dated(entry("4.c.1.1", "2019S1", milestone_status="achieved"), "2019-07-01")
    achieved = cell(plan, "bapelitbang", Period(2019, 1))
    assert (len(achieved.expected), len(achieved.received), len(achieved.on_time)) == (1, 1, 1)
    after = cell(plan, "bapelitbang")
    assert after.expected == [] and after.rate is None and after.band == "none"


@pytest.mark.django_db
def test_a_year_without_target_and_qualitative_indicators_are_not_due(plan):
    Target.objects.filter(indicator__code="1.a.1.3", year=2021).update(value=0)
    assert len(cell(plan, "disnakertrans").expected) == 9  # 10 less 1.a.1.3
    # the secretariat's qualitative indicators (2.b.1.2, 3.c.1.2, …) are never expected
    codes = [i.code for i in cell(plan, "sekretariat").expected]
    assert "2.b.1.2" not in codes and "4.d.1.1" not in codes and "4.a.2.1" in codes


@pytest.mark.django_db
def test_tracked_count_due_every_semester_and_states(plan):
    row = cell(plan, "disdukcapil")
    assert ([i.code for i in row.expected], row.received, row.rate, row.band) == (["4.a.4.1"], [], 0, "poor")
    # judged on 10 January 2022 the semester is still open (deadline 15 January); in June 2021 not begun
    early = completeness(plan, as_of=datetime.date(2022, 1, 10), periods=[S2])
    assert early.cell(Agency.objects.get(code="disdukcapil").pk, S2).state == State.OPEN
    before = completeness(plan, as_of=datetime.date(2021, 6, 1), periods=[S2])
    assert before.cell(Agency.objects.get(code="disdukcapil").pk, S2).state == State.NOT_BEGUN


@pytest.mark.django_db
def test_query_count_does_not_grow_with_entries(plan, django_assert_num_queries):
    for code in ("1.a.1.1", "1.a.1.2", "4.a.4.1"):
        entry(code, "2021S2", value=1)
    # deadlines, indicators with agencies, targets, achieved milestones, first receipts
    with django_assert_num_queries(5):
        result = completeness(plan, as_of=AS_OF)
    assert len(result.periods) == 10
    for code in ("1.a.1.3", "1.a.2.1", "2.d.1.1", "4.a.4.1"):
        entry(code, "2021S1", value=1)
    with django_assert_num_queries(5):
        completeness(plan, as_of=AS_OF)
