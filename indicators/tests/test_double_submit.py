"""A double click makes one entry, and one import (issue 8, finding 2).

The attack: three identical POSTs of the new-entry form at once made three
entries in 3 of 5 trials; two parallel confirms of one import saved its 10
rows twice. Here the same requests run at once from threads, each with its
own database connection (a transactional test: each thread commits for
real), and again one after the other; the unique constraints underneath
are tested on their own.
"""

import threading
import uuid

import pytest
from django.db import IntegrityError, connections, transaction
from django.test import Client

from conftest import rad_url, run_queued_jobs
from indicators.models import ImportReceipt, Job, ProgressEntry
from indicators.tests.entries_helpers import make_entry
from indicators.tests.import_helpers import xlsx
from programs.models import Region


def at_once(count: int, request) -> list:
    """Run `request(index)` in `count` threads released together; their responses (or exceptions)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = request(index)
        except Exception as error:  # noqa: BLE001 (reported by the test)
            results[index] = error
        finally:
            connections.close_all()  # each thread's own connection

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entry_form(officer_client) -> dict:
    page = officer_client.get(rad_url("indicators:new_entry", "1.a.1.1"))
    key = page.context["form"]["form_key"].value()
    insana = Region.objects.get(code="53.03.08").pk
    return {"period": "2021S1", "kecamatan": insana, "value": "320", "form_key": str(key)}


@pytest.mark.django_db(transaction=True)
def test_three_identical_posts_at_once_make_one_entry(personas):
    officer = personas["officer_a"]
    data = entry_form(signed_in(officer))
    clients = [signed_in(officer) for _ in range(3)]
    url = rad_url("indicators:new_entry", "1.a.1.1")

    responses = at_once(3, lambda index: clients[index].post(url, data))

    assert all(not isinstance(response, Exception) for response in responses), responses
    entry = ProgressEntry.objects.get()  # exactly one
    assert [response.status_code for response in responses] == [302, 302, 302]
    assert {response.url for response in responses} == {entry.get_absolute_url()}


@pytest.mark.django_db(transaction=True)
def test_two_confirms_at_once_import_once(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = personas["officer_a"]
    client = signed_in(officer)
    rows = [{"code": "1.a.1.1", "period": "2021S1", "value": n, "date": "2021-03-15"} for n in range(1, 11)]
    upload = client.post(rad_url("indicators:import"), {"file": _named(xlsx(rows))})
    token = upload.url.rstrip("/").rsplit("/", 1)[1]
    url = rad_url("indicators:import_confirm", token)
    # two tabs of one browser: the same session, each request with its own connection
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.cookies = client.cookies

    responses = at_once(2, lambda index: tabs[index].post(url))

    assert all(not isinstance(response, Exception) for response in responses), responses
    job = Job.objects.get()  # one job for the two confirmations
    assert [(response.status_code, response.url) for response in responses] == [(302, job.get_absolute_url())] * 2
    run_queued_jobs()
    assert ProgressEntry.objects.count() == 10  # not 20
    receipt = ImportReceipt.objects.get()
    assert (receipt.saved, receipt.imported_by) == (10, officer)


def _named(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("backlog.xlsx", data)


# --- one after the other --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_form_posted_twice_makes_one_entry_and_shows_it(client_for, personas):
    client = client_for(personas["officer_a"])
    data = entry_form(client)
    first = client.post(rad_url("indicators:new_entry", "1.a.1.1"), data)
    second = client.post(rad_url("indicators:new_entry", "1.a.1.1"), data)
    entry = ProgressEntry.objects.get()
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.url == second.url == entry.get_absolute_url()


@pytest.mark.django_db
def test_each_new_form_has_its_own_key(client_for, personas):
    client = client_for(personas["officer_a"])
    assert entry_form(client)["form_key"] != entry_form(client)["form_key"]


@pytest.mark.django_db
def test_a_post_without_the_key_saves_nothing(client_for, personas):
    client = client_for(personas["officer_a"])
    client.cookies["django_language"] = "en"
    data = entry_form(client)
    del data["form_key"]
    response = client.post(rad_url("indicators:new_entry", "1.a.1.1"), data)
    assert response.status_code == 200
    assert "Reload the page and enter the entry again" in response.content.decode()
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
def test_another_users_key_is_refused(client_for, personas):
    """Replaying someone else's form key neither shows her entry nor makes one."""
    other = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=5)
    other.form_key = uuid.uuid4()
    other.save()
    colleague = personas["officer_a"].__class__.objects.create_user("officer_a2", "a2@example.org", "x")
    colleague.groups.set(personas["officer_a"].groups.all())
    from programs.models import StaffProfile

    own = personas["officer_a"].staff_profile
    StaffProfile.objects.create(user=colleague, agency=own.agency, region=own.region)
    client = client_for(colleague)
    client.cookies["django_language"] = "en"
    data = {**entry_form(client), "form_key": str(other.form_key)}
    response = client.post(rad_url("indicators:new_entry", "1.a.1.1"), data)
    assert response.status_code == 200
    assert "This form was already used" in response.content.decode()
    assert ProgressEntry.objects.count() == 1


@pytest.mark.django_db
def test_a_form_key_is_unique_in_the_database(personas):
    key = uuid.uuid4()
    first = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=5)
    second = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=6)
    ProgressEntry.objects.filter(pk=first.pk).update(form_key=key)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressEntry.objects.filter(pk=second.pk).update(form_key=key)


@pytest.mark.django_db
def test_an_import_token_is_claimed_once_in_the_database(personas):
    token = uuid.uuid4()
    ImportReceipt.objects.create(token=token, imported_by=personas["officer_a"], file_name="a.xlsx")
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportReceipt.objects.create(token=token, imported_by=personas["officer_a"], file_name="a.xlsx")


@pytest.mark.django_db
def test_an_import_that_saved_nothing_leaves_no_receipt(client_for, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas["officer_a"])
    bad = [{"code": "1.a.1.1", "period": "2021S1", "value": 10, "male": 3, "female": 4}]
    upload = client.post(rad_url("indicators:import"), {"file": _named(xlsx(bad))})
    token = upload.url.rstrip("/").rsplit("/", 1)[1]
    client.post(rad_url("indicators:import_confirm", token))
    run_queued_jobs()
    assert Job.objects.get().state == "failed"
    assert not ImportReceipt.objects.exists()
