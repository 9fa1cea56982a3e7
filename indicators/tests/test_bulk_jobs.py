"""A batch past bulk.IN_REQUEST entries runs as a job of the task queue (indicators.jobs.bulk_entries): the answer
is its page, with progress; each entry still goes through its own service (its history line, its checks), and
the entries refused are named on the page with why."""

import re

import pytest

from conftest import rad_url, run_queued_jobs
from indicators.models import EntryStatus, Job, JobKind, ProgressEntry
from indicators.tests.test_bulk_actions import drafts, said, submitted
from indicators.workflow import bulk, services

BATCH = "0b1c2d3e-0000-4000-8000-00000000beef"


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_submitting_all_of_many_drafts_is_a_job_with_each_entry_its_own(client_for, personas, en):
    """203 drafts; one of them is submitted by hand after the click, before the worker runs: the job submits the
    other 202, names the one it refused and why, and every entry has its own history line."""
    officer = personas["officer_a"]
    mine = drafts(officer, 203)
    client = client_for(officer)
    page = client.get(rad_url("indicators:drafts")).content.decode()
    assert "Submit all 203 of these drafts" in page
    assert "More than 200 drafts are submitted in the background" in page
    response = client.post(rad_url("indicators:submit_drafts"), {"all": "1", "query": "", "batch": BATCH})
    job = Job.objects.get()
    assert (job.kind, job.state, job.total, job.user) == (JobKind.BULK, "queued", 203, officer)
    assert response.status_code == 302 and response.url == rad_url("indicators:job", job.pk)
    assert job.params["ids"] == [entry.pk for entry in mine]  # in the list's order
    # the same form sent again (a double click, the back button) leads to the same job
    again = client.post(rad_url("indicators:submit_drafts"), {"all": "1", "query": "", "batch": BATCH})
    assert again.url == response.url and Job.objects.count() == 1
    assert all(entry.status == EntryStatus.DRAFT for entry in ProgressEntry.objects.all())  # nothing done yet

    services.submit_entry(user=officer, entry=ProgressEntry.objects.get(pk=mine[7].pk))
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 203, 203)
    assert job.outcome["done"] == 202 and job.outcome["refused_count"] == 1
    [refusal] = job.outcome["refused"]
    assert refusal["id"] == mine[7].pk and refusal["label"] == f"1.a.1.1 · 2021S1 (#{mine[7].pk})"
    assert ProgressEntry.objects.filter(status=EntryStatus.SUBMITTED).count() == 203
    for entry in ProgressEntry.objects.all():
        assert list(entry.history.order_by("history_id").values_list("status", flat=True)) == ["draft", "submitted"]

    status = client.get(rad_url("indicators:job_json", job.pk)).json()
    assert status == {
        "state": "done",
        "done": 203,
        "total": 203,
        "message": "202 entries were submitted for verification. 1 entry was refused and is unchanged (see why below).",
    }
    body = client.get(response.url).content.decode()
    assert "Submit 203 drafts" in body
    assert re.search(rf"1\.a\.1\.1 · 2021S1 \(#{mine[7].pk}\)</td><td>[^<]+", body)
    # another officer finds no such job, a verifier neither (it is not hers)
    assert client_for(personas["officer_b"]).get(response.url).status_code == 404
    assert client_for(personas["verifier"]).get(rad_url("indicators:job_json", job.pk)).status_code == 404


@pytest.mark.django_db
def test_a_batch_of_another_agencys_entries_is_refused_each_by_number(client_for, personas, en):
    """Ticked: 150 of hers and 60 of another agency (210 in all, a job): hers are submitted, the 60 refused."""
    mine = drafts(personas["officer_a"], 150)
    theirs = drafts(personas["officer_b"], 60, code="2.a.1.2")
    client = client_for(personas["officer_a"])
    response = client.post(
        rad_url("indicators:submit_drafts"), {"entry": [e.pk for e in mine + theirs], "batch": BATCH}
    )
    job = Job.objects.get()
    assert response.url == rad_url("indicators:job", job.pk)
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.state, job.outcome["done"], job.outcome["refused_count"]) == ("done", 150, 60)
    assert {r["label"] for r in job.outcome["refused"]} == {f"#{e.pk}" for e in theirs}
    assert {r["reason"] for r in job.outcome["refused"]} == {
        "You can only log progress for your own agency's indicators."
    }
    assert not ProgressEntry.objects.filter(pk__in=[e.pk for e in theirs]).exclude(status="draft").exists()


@pytest.mark.django_db
def test_a_small_batch_stays_in_the_request(client_for, personas, en):
    officer = personas["officer_a"]
    drafts(officer, bulk.IN_REQUEST)
    response = client_for(officer).post(rad_url("indicators:submit_drafts"), {"all": "1", "query": ""}, follow=True)
    assert said(response) == ["200 entries were submitted for verification."]
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_verifier_verifies_a_large_selection_as_a_job_and_sees_its_page(client_for, personas, en):
    entries = submitted(personas["officer_a"], 201)
    client = client_for(personas["verifier"])
    response = client.post(
        rad_url("indicators:review_batch"), {"action": "verify", "entry": [e.pk for e in entries], "batch": BATCH}
    )
    job = Job.objects.get()
    assert response.url == rad_url("indicators:job", job.pk)
    assert client.get(response.url).status_code == 200  # a verifier imports nothing, yet sees her job
    run_queued_jobs()
    assert ProgressEntry.objects.filter(status=EntryStatus.VERIFIED).count() == 201
    body = client.get(response.url).content.decode()
    assert "201 entries were verified." in body and "Verify 201 entries" in body


@pytest.mark.django_db
def test_a_verifier_verifies_every_entry_the_filters_match(client_for, personas, en):
    """205 submitted entries of 2021S1 and 3 of 2022S1: 'verify all' with period=2021S1 makes a job of the 205
    (more than a page and than IN_REQUEST); the 3 others wait in the queue."""
    matching = submitted(personas["officer_a"], 205)
    others = submitted(personas["officer_a"], 3, period="2022S1")
    client = client_for(personas["verifier"])
    page = client.get(rad_url("indicators:review_queue") + "?period=2021S1").content.decode()
    assert "Verify all 205 entries the filters match" in page
    response = client.post(
        rad_url("indicators:review_batch"),
        {"all": "1", "action": "verify", "query": "period=2021S1", "batch": BATCH},
    )
    job = Job.objects.get()
    assert response.url == rad_url("indicators:job", job.pk)
    assert job.params["ids"] == [e.pk for e in matching]
    run_queued_jobs()
    statuses = dict(ProgressEntry.objects.values_list("pk", "status"))
    assert {statuses[e.pk] for e in matching} == {"verified"}
    assert {statuses[e.pk] for e in others} == {"submitted"}
