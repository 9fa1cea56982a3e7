"""Reads that leave the primary (tptto_monitor/replica.py). The router's choices are tested here with the replica
switched on by hand; with DATABASE_REPLICA_URL set (CI sets it for this file: the replica then mirrors the test
database, as Django's TEST MIRROR does), pages are also served and their queries counted on each connection."""

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from conftest import rad_url
from indicators.models import ProgressEntry
from programs.models import Plan
from tptto_monitor import replica
from tptto_monitor.replica import PIN_COOKIE, ReplicaRouter

LIVE = pytest.mark.skipif(
    "replica" not in settings.DATABASES, reason="DATABASE_REPLICA_URL is not set (CI sets it for this file)"
)


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "has_replica", lambda: True)


def test_outside_a_request_everything_reads_the_primary(with_replica):
    assert ReplicaRouter().db_for_read(ProgressEntry) == "default"  # commands and workers read to write


def test_a_plain_read_goes_to_the_replica_but_sessions_and_sign_in_stay(with_replica, rf):
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session
    from django.http import HttpResponse

    seen = {}

    def view(request):
        router = ReplicaRouter()
        seen.update(entry=router.db_for_read(ProgressEntry), plan=router.db_for_read(Plan))
        seen.update(session=router.db_for_read(Session), user=router.db_for_read(User))
        return HttpResponse()

    replica.ReadYourWritesMiddleware(view)(rf.get("/"))
    assert seen == {"entry": "replica", "plan": "replica", "session": "default", "user": "default"}
    assert ReplicaRouter().db_for_write(ProgressEntry) == "default"
    assert ReplicaRouter().allow_migrate("replica", "indicators") is False


def test_a_write_reads_the_primary_and_pins_the_writer(with_replica, rf):
    from django.http import HttpResponse, HttpResponseRedirect

    seen = []

    def view(request):
        seen.append(ReplicaRouter().db_for_read(ProgressEntry))
        return HttpResponseRedirect("/") if request.method == "POST" else HttpResponse()

    response = replica.ReadYourWritesMiddleware(view)(rf.post("/"))
    assert seen == ["default"]
    assert response.cookies[PIN_COOKIE]["max-age"] == replica.PIN_SECONDS
    pinned = rf.get("/")
    pinned.COOKIES[PIN_COOKIE] = "1"
    replica.ReadYourWritesMiddleware(view)(pinned)
    replica.ReadYourWritesMiddleware(view)(rf.get("/"))  # someone who has not written
    assert seen == ["default", "default", "replica"]


def test_a_refused_write_does_not_pin(with_replica, rf):
    from django.http import HttpResponseForbidden

    response = replica.ReadYourWritesMiddleware(lambda request: HttpResponseForbidden())(rf.post("/"))
    assert PIN_COOKIE not in response.cookies


def test_without_a_replica_nothing_changes(rf):
    from django.http import HttpResponse

    if "replica" in settings.DATABASES:
        pytest.skip("a replica is configured")
    response = replica.ReadYourWritesMiddleware(lambda request: HttpResponse())(rf.post("/"))
    assert PIN_COOKIE not in response.cookies
    assert ReplicaRouter().db_for_read(ProgressEntry) == "default"


@LIVE
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])  # the replica sees committed rows
def test_a_page_reads_the_replica_and_a_writer_reads_the_primary(client_for, personas):
    client = client_for(personas["reviewer"])
    url = rad_url("reports:overview")
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert client.get(url).status_code == 200
    replica_sql = " ".join(q["sql"] for q in on_replica.captured_queries)
    primary_sql = " ".join(q["sql"] for q in on_primary.captured_queries)
    assert "indicators_indicator" in replica_sql and "django_session" not in replica_sql
    assert "django_session" in primary_sql and "indicators_indicator" not in primary_sql
    # she writes (here: her language); for PIN_SECONDS her pages read the primary
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(url).status_code == 200
    assert on_replica.captured_queries == []
