"""A draft plan takes no entries; a closed plan is read-only but its summaries still download."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from conftest import rad_url
from indicators.intake.progress import ImportFileError, import_file
from indicators.models import EntryStatus, Indicator
from indicators.tests.entries_helpers import make_entry
from indicators.tests.import_helpers import csv_bytes
from indicators.workflow import services
from programs.models import Plan

ROW = {"code": "1.a.1.1", "period": "2021S1", "date": "2021-03-01", "value": "10", "narrative": "Sosialisasi"}


def set_status(plan: Plan, status: str) -> None:
    plan.status = status
    plan.save()


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "word"), [(Plan.Status.DRAFT, "draft"), (Plan.Status.CLOSED, "closed")])
def test_no_new_entry_on_a_draft_or_closed_plan(client_for, personas, plan, status, word):
    set_status(plan, status)
    client = client_for(personas["officer_a"])
    response = client.post(rad_url("indicators:new_entry", "1.a.1.1"), {"period": "2021S1", "value": "10"})
    assert response.status_code == 403
    indicator = Indicator.objects.get(plan=plan, code="1.a.1.1")
    with translation.override("en"), pytest.raises(PermissionDenied, match=word):
        services.create_entry(user=personas["officer_a"], indicator=indicator, values={"year": 2021, "semester": 1})
    assert not indicator.entries.exists()


@pytest.mark.django_db
def test_closed_plan_refuses_every_change_but_shows_the_entry(client_for, personas, plan):
    draft = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=5)
    submitted = make_entry("1.a.1.1", "2021S2", personas["officer_a"], value=6, status=EntryStatus.SUBMITTED)
    set_status(plan, Plan.Status.CLOSED)
    officer = client_for(personas["officer_a"])
    assert officer.post(rad_url("indicators:edit_entry", draft.pk), {"value": "7"}).status_code == 403
    assert officer.post(rad_url("indicators:submit_entry", draft.pk)).status_code == 403
    page = officer.get(rad_url("indicators:entry", draft.pk))
    assert page.status_code == 200
    assert rad_url("indicators:edit_entry", draft.pk) not in page.content.decode()
    verifier = client_for(personas["verifier"])
    assert verifier.post(rad_url("indicators:verify_entry", submitted.pk)).status_code == 403
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (draft.status, draft.value, submitted.status) == (EntryStatus.DRAFT, 5, EntryStatus.SUBMITTED)


@pytest.mark.django_db
def test_closed_plan_summaries_still_download(client_for, personas, plan):
    set_status(plan, Plan.Status.CLOSED)
    response = client_for(personas["executive"]).get(rad_url("reports:year_summary", 2021, "csv"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Plan.Status.DRAFT, Plan.Status.CLOSED])
def test_import_into_a_draft_or_closed_plan_is_refused(personas, plan, status):
    set_status(plan, status)
    with pytest.raises(ImportFileError, match=plan.code):
        import_file(csv_bytes([ROW]), plan=plan, user=personas["admin"], status=EntryStatus.SUBMITTED)
    assert not plan.indicators.filter(entries__isnull=False).exists()
