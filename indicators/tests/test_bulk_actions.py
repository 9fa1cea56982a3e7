"""Entries in bulk: an officer submits her drafts, a verifier verifies or returns a selection.

Each entry goes through the one-entry services (its own history line, its own checks); a batch with a
refused entry names it and says why, and the others go through.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user, rad_url, run_queued_jobs
from indicators.models import EntryStatus, Job, ProgressEntry
from indicators.models.roles import OFFICER, VERIFIER
from indicators.tests.entries_helpers import make_entry
from indicators.tests.import_helpers import xlsx
from indicators.tests.plan_helpers import make_plan
from indicators.workflow import bulk
from programs.models import Agency

KECAMATAN = [f"53.03.{n:02d}" for n in range(1, 25)]


def submitted(officer, count: int, code: str = "1.a.1.1", period: str = "2021S1") -> list[ProgressEntry]:
    """`count` submitted entries of one indicator and period, told apart by their value."""
    return [
        make_entry(code, period, officer, status=EntryStatus.SUBMITTED, value=n + 1, submitted_by=officer)
        for n in range(count)
    ]


def drafts(officer, count: int, code: str = "1.a.1.1", period: str = "2021S1") -> list[ProgressEntry]:
    return [make_entry(code, period, officer, value=n + 1) for n in range(count)]


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


# --- the verifier ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["verifier", "admin"])
def test_verifier_verifies_the_ticked_entries_each_with_its_own_history(client_for, personas, en, who):
    first, second, third = submitted(personas["officer_a"], 3)
    client = client_for(personas[who])
    response = client.post(
        rad_url("indicators:review_batch"),
        {"action": "verify", "entry": [first.pk, third.pk], "query": "agency=&period=2021S1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == rad_url("indicators:review_queue") + "?agency=&period=2021S1"
    assert said(response) == ["2 entries were verified."]
    statuses = dict(ProgressEntry.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "verified", second.pk: "submitted", third.pk: "verified"}
    for entry in (first, third):
        latest = entry.history.order_by("-history_date", "-history_id").first()
        assert (latest.status, latest.history_user, latest.verified_by) == ("verified", personas[who], personas[who])
        assert entry.history.count() == 2  # created, then verified: one line each, never one for the batch


@pytest.mark.django_db
def test_return_takes_one_reason_kept_on_each_entry(client_for, personas, en):
    first, second = submitted(personas["officer_a"], 2)
    client = client_for(personas["verifier"])
    reason = "Attach the attendance list of each session."
    response = client.post(
        rad_url("indicators:review_batch"),
        {"action": "return", "entry": [first.pk, second.pk], "reason": reason},
        follow=True,
    )
    assert said(response) == ["2 entries were returned with your reason."]
    for entry in (first, second):
        entry.refresh_from_db()
        assert (entry.status, entry.return_reason) == ("returned", reason)
        latest = entry.history.order_by("-history_date", "-history_id").first()
        assert (latest.history_change_reason, latest.history_user) == (reason, personas["verifier"])


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_return_without_a_reason_returns_nothing(client_for, personas, en, reason):
    (entry,) = submitted(personas["officer_a"], 1)
    client = client_for(personas["verifier"])
    response = client.post(
        rad_url("indicators:review_batch"), {"action": "return", "entry": [entry.pk], "reason": reason}, follow=True
    )
    assert said(response) == ["Give the reason, so that the officer knows what to correct."]
    entry.refresh_from_db()
    assert entry.status == "submitted"


@pytest.mark.django_db
def test_a_batch_names_each_refused_entry_and_why_and_does_the_rest(client_for, personas, en):
    """Of five ticked: one good, one the verifier entered herself, one still a draft, one verified meanwhile,
    and the number of an entry of Belu's plan. One is verified; four are refused, each named with its reason."""
    officer, verifier = personas["officer_a"], personas["verifier"]
    good, already = submitted(officer, 2)
    own = make_entry("1.a.1.1", "2021S2", verifier, status=EntryStatus.SUBMITTED, value=7)
    draft = make_entry("1.a.1.1", "2022S1", officer, value=8)
    already.status = EntryStatus.VERIFIED
    already.save()
    make_plan()
    belu_officer = make_user("belu_officer", OFFICER, Agency.objects.get(code="disnakertrans", region__code="53.03"))
    belu = make_entry("1.a.1.1", "2021S1", belu_officer, status=EntryStatus.SUBMITTED, value=9)
    belu.indicator = belu.indicator.__class__.objects.get(plan__code="rad-belu-2019-2023", code="1.a.1.1")
    belu.save()
    ids = [good.pk, own.pk, draft.pk, already.pk, belu.pk]
    response = client_for(verifier).post(
        rad_url("indicators:review_batch"), {"action": "verify", "entry": ids}, follow=True
    )
    assert said(response) == [
        "1 entry was verified.",
        "4 entries were refused; they are unchanged:",
        f"1.a.1.1 · 2021S2 (#{own.pk}): You cannot verify an entry you created or submitted yourself.",
        f"1.a.1.1 · 2022S1 (#{draft.pk}): Only a submitted entry can be verified.",
        f"1.a.1.1 · 2021S1 (#{already.pk}): Only a submitted entry can be verified.",
        f"#{belu.pk}: There is no such entry in this plan.",
    ]
    statuses = dict(ProgressEntry.objects.values_list("pk", "status"))
    assert statuses == {
        good.pk: "verified",
        own.pk: "submitted",
        draft.pk: "draft",
        already.pk: "verified",
        belu.pk: "submitted",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_a", "officer_b", "reviewer", "executive", "outsider"])
def test_only_verifiers_act_on_the_queue_in_bulk(client_for, personas, who):
    (entry,) = submitted(personas["officer_a"], 1)
    response = client_for(personas[who]).post(
        rad_url("indicators:review_batch"), {"action": "verify", "entry": [entry.pk]}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.status == "submitted"


@pytest.mark.django_db
def test_a_verifier_of_another_regency_finds_no_plan(client_for, personas, plan):
    (entry,) = submitted(personas["officer_a"], 1)
    make_plan()
    belu_verifier = make_user("belu_verifier", VERIFIER, region="53.04")
    client = client_for(belu_verifier)
    assert client.post(rad_url("indicators:review_batch"), {"action": "verify", "entry": [entry.pk]}).status_code == 404
    assert client.get(rad_url("indicators:review_queue")).status_code == 404
    # and from her own plan's page, TTU's entry is not one of hers
    response = client.post(
        reverse("indicators:review_batch", args=["rad-belu-2019-2023"]), {"action": "verify", "entry": [entry.pk]}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "submitted"


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, plan):
    for url in (rad_url("indicators:review_batch"), rad_url("indicators:submit_drafts")):
        response = client.post(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_nothing_ticked_says_so(client_for, personas, en):
    response = client_for(personas["verifier"]).post(
        rad_url("indicators:review_batch"), {"action": "verify"}, follow=True
    )
    assert said(response) == ["Tick the entries to verify or return first."]


@pytest.mark.django_db
def test_the_queue_filters_and_pages_with_a_box_per_entry(client_for, personas, en):
    """55 entries of 1.a.1.1 in 2021S1 and 2 of 2.a.1.2 (Dinas Sosial) in 2021S2: filtered by indicator
    1.a.1.1, page 1 has 50 boxes and page 2 five; filtered by Dinas Sosial or by 2021S2, two."""
    submitted(personas["officer_a"], 55)
    submitted(personas["officer_b"], 2, code="2.a.1.2", period="2021S2")
    client = client_for(personas["verifier"])
    url = rad_url("indicators:review_queue")
    first = client.get(url + "?indicator=1.a.1.1").content.decode()
    assert first.count('name="entry"') == 50
    assert "1–50 of 55 entries" in first
    assert client.get(url + "?indicator=1.a.1.1&page=2").content.decode().count('name="entry"') == 5
    assert client.get(url + "?agency=dinsos").content.decode().count('name="entry"') == 2
    assert client.get(url + "?period=2021S2").content.decode().count('name="entry"') == 2
    # the batch goes back to the page it came from, filters and all
    assert '<input type="hidden" name="query" value="indicator=1.a.1.1">' in first


# --- the officer ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_submits_the_ticked_drafts(client_for, personas, en):
    officer = personas["officer_a"]
    first, second, third = drafts(officer, 3)
    response = client_for(officer).post(
        rad_url("indicators:submit_drafts"), {"entry": [first.pk, second.pk]}, follow=True
    )
    assert response.redirect_chain[-1][0] == rad_url("indicators:drafts")
    assert said(response) == ["2 entries were submitted for verification."]
    statuses = dict(ProgressEntry.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "submitted", second.pk: "submitted", third.pk: "draft"}
    first.refresh_from_db()
    assert (first.submitted_by, first.history.count()) == (officer, 2)


@pytest.mark.django_db
def test_officer_submits_every_draft_the_filters_match(client_for, personas, en):
    """Two drafts of 1.a.1.1 and one of 1.a.2.1; 'all' with the filter indicator=1.a.1.1 submits the two."""
    officer = personas["officer_a"]
    a, b = drafts(officer, 2)
    (other,) = drafts(officer, 1, code="1.a.2.1")
    client = client_for(officer)
    page = client.get(rad_url("indicators:drafts") + "?indicator=1.a.1.1").content.decode()
    assert page.count('name="entry"') == 2
    assert "Submit all 2 of these drafts" in page
    response = client.post(
        rad_url("indicators:submit_drafts"),
        {"all": "1", "indicator": "1.a.1.1", "period": "", "query": "indicator=1.a.1.1"},
        follow=True,
    )
    assert said(response) == ["2 entries were submitted for verification."]
    statuses = dict(ProgressEntry.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "submitted", b.pk: "submitted", other.pk: "draft"}


@pytest.mark.django_db
def test_another_agencys_draft_is_refused_and_named_by_number_only(client_for, personas, en):
    mine = drafts(personas["officer_a"], 1)[0]
    theirs = drafts(personas["officer_b"], 1, code="2.a.1.2")[0]
    response = client_for(personas["officer_a"]).post(
        rad_url("indicators:submit_drafts"), {"entry": [mine.pk, theirs.pk]}, follow=True
    )
    assert said(response) == [
        "1 entry was submitted for verification.",
        "1 entry was refused; it is unchanged:",
        f"#{theirs.pk}: You can only log progress for your own agency's indicators.",
    ]
    theirs.refresh_from_db()
    assert theirs.status == "draft"


@pytest.mark.django_db
def test_the_drafts_page_lists_her_agencys_drafts_only(client_for, personas):
    drafts(personas["officer_a"], 2)
    drafts(personas["officer_b"], 3, code="2.a.1.2")
    submitted(personas["officer_a"], 1)
    body = client_for(personas["officer_a"]).get(rad_url("indicators:drafts")).content.decode()
    assert body.count('name="entry"') == 2


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["verifier", "reviewer", "executive", "outsider"])
def test_only_officers_have_drafts_to_submit(client_for, personas, who):
    (entry,) = drafts(personas["officer_a"], 1)
    client = client_for(personas[who])
    assert client.get(rad_url("indicators:drafts")).status_code == 403
    assert client.post(rad_url("indicators:submit_drafts"), {"entry": [entry.pk]}).status_code == 403
    entry.refresh_from_db()
    assert entry.status == "draft"


@pytest.mark.django_db
def test_a_closed_plan_takes_no_batch(client_for, personas, plan, en):
    (entry,) = drafts(personas["officer_a"], 1)
    plan.status = plan.Status.CLOSED
    plan.save()
    response = client_for(personas["officer_a"]).post(
        rad_url("indicators:submit_drafts"), {"entry": [entry.pk]}, follow=True
    )
    messages = said(response)
    assert messages[0] == "1 entry was refused; it is unchanged:"
    assert messages[1].startswith(f"1.a.1.1 · 2021S1 (#{entry.pk}): ")
    entry.refresh_from_db()
    assert entry.status == "draft"


# --- queries --------------------------------------------------------------------------------------------------


def batch_queries(django_assert_max_num_queries, action, bound: int) -> int:
    with django_assert_max_num_queries(bound) as captured:
        outcome = action()
    assert not outcome.refused
    assert len(captured.captured_queries) == bound
    return bound


def fresh(user):
    """The user as a request loads her: nothing cached on the object yet."""
    return type(user).objects.get(pk=user.pk)


# Per entry, the service's own work, which a batch cannot share: the savepoint of its transaction (inside the
# test's), the row locked, its version moved on, the row saved, its history row, the plan's data version,
# the indicator's entry totals refreshed (its row locked; its totals by place, then by semester, deleted and
# inserted again: 5), the savepoint released.
PER_ENTRY = 12


@pytest.mark.django_db
def test_a_batch_of_50_verifications_costs_the_services_own_queries_only(personas, plan, django_assert_max_num_queries):
    """A batch of 5 and one of 50: the difference is 45 × PER_ENTRY; the batch's own reads (the entries, which
    of them she may read, her permissions) are made once."""
    entries = submitted(personas["officer_a"], 55)
    ids = [entry.pk for entry in entries]
    verifier = fresh(personas["verifier"])
    # the entries, her permissions (her own and her groups'), her staff profile, which of them she may read, then
    # 5 × PER_ENTRY
    few = batch_queries(
        django_assert_max_num_queries,
        lambda: bulk.verify_entries(user=verifier, plan=plan, ids=ids[:5]),
        4 + 5 * PER_ENTRY,
    )
    verifier = fresh(verifier)
    many = batch_queries(
        django_assert_max_num_queries,
        lambda: bulk.verify_entries(user=verifier, plan=plan, ids=ids[5:]),
        few + 45 * PER_ENTRY,
    )
    assert many - few == 45 * PER_ENTRY


@pytest.mark.django_db
def test_a_batch_of_50_submissions_costs_the_services_own_queries_only(personas, plan, django_assert_max_num_queries):
    entries = drafts(personas["officer_a"], 55)
    ids = [entry.pk for entry in entries]
    officer = fresh(personas["officer_a"])
    # the entries, her permissions (her own and her groups'), her staff profile and agency, which of them she may
    # read, then 5 × PER_ENTRY
    few = batch_queries(
        django_assert_max_num_queries,
        lambda: bulk.submit_entries(user=officer, plan=plan, ids=ids[:5]),
        5 + 5 * PER_ENTRY,
    )
    officer = fresh(officer)
    many = batch_queries(
        django_assert_max_num_queries,
        lambda: bulk.submit_entries(user=officer, plan=plan, ids=ids[5:]),
        few + 45 * PER_ENTRY,
    )
    assert many - few == 45 * PER_ENTRY


def test_parse_ids_keeps_numbers_once_in_order():
    assert bulk.parse_ids(["3", " 1", "3", "x", "-2", "", "7"]) == [3, 1, 7]
    assert len(bulk.parse_ids([str(n) for n in range(1000)])) == bulk.MAX_BATCH


@pytest.mark.django_db
def test_officer_submits_every_draft_of_one_of_her_imports(client_for, personas, en, settings, tmp_path):
    """She imports two rows (two drafts) and has a draft typed by hand: ?import=<job> lists and submits the two."""
    settings.MEDIA_ROOT = tmp_path
    officer = personas["officer_a"]
    by_hand = make_entry("1.a.1.1", "2022S1", officer, value=5)
    client = client_for(officer)
    rows = [{"code": "1.a.1.1", "period": "2021S1", "value": n} for n in (3, 4)]
    upload = client.post(rad_url("indicators:import"), {"file": SimpleUploadedFile("b.xlsx", xlsx(rows))})
    client.post(upload.url + "confirm/")
    run_queued_jobs()
    job = Job.objects.get()
    assert job.state == "done"
    entries_page = client.get(rad_url("indicators:import_entries", job.pk)).content.decode()
    drafts_url = rad_url("indicators:drafts") + f"?import={job.pk}"
    assert f'href="{drafts_url}"' in entries_page
    page = client.get(drafts_url).content.decode()
    assert page.count('name="entry"') == 2
    assert "Submit all 2 of these drafts" in page
    response = client.post(rad_url("indicators:submit_drafts"), {"all": "1", "query": f"import={job.pk}"}, follow=True)
    assert said(response) == ["2 entries were submitted for verification."]
    assert response.redirect_chain[-1][0] == drafts_url
    assert sorted(ProgressEntry.objects.filter(import_receipt=job.receipt).values_list("status", flat=True)) == [
        "submitted",
        "submitted",
    ]
    by_hand.refresh_from_db()
    assert by_hand.status == "draft"
    # another officer's import is not hers to list or submit
    other = client_for(personas["officer_b"])
    assert other.get(drafts_url).status_code == 404
    assert other.post(rad_url("indicators:submit_drafts"), {"all": "1", "query": f"import={job.pk}"}).status_code == 404
