"""send_reminders against a real SMTP server (aiosmtpd) started by the test; the delivered
messages are read back and parsed.

2021S2, judged on 30 November 2026 (deadline 15 January 2022, long past). Disnakertrans has
10 indicators due (7 counts, 2 milestones, 1 tracked); the test submits entries for the 7
counts and the tracked one, so 1.b.1.1 and 1.b.1.2 are missing; one of its entries of 2021S1
was returned with a reason. Those 8 submitted entries are the verification queue.
"""

import datetime
import email
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command

from conftest import RAD
from indicators.models import EntryStatus, SentReminder
from indicators.tests.entries_helpers import make_entry

PORT = 8163  # the cockpit's port range (8160-8169)
COUNTS = ["1.a.1.1", "1.a.1.2", "1.a.1.3", "1.a.2.1", "1.a.2.2", "1.a.3.1", "1.a.3.2"]
ARGS = ["--semester", "2021S2", "--date", "2026-11-30"]


class Mailbox:
    """An aiosmtpd handler that keeps what it receives and refuses the addresses in `refuse`."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def body(message, subtype: str) -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", PORT
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://tppo.example.org"
    return settings


@pytest.fixture
def mailbox(smtp_settings):
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=PORT)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def semester(personas):
    officer = personas["officer_a"]
    officer.staff_profile.language = "en"
    officer.staff_profile.save()
    for code in [*COUNTS, "2.d.1.1"]:
        make_entry(code, "2021S2", officer, status=EntryStatus.SUBMITTED, value=3, narrative="Korban bernama Maria")
    make_entry(
        "1.a.1.1",
        "2021S1",
        officer,
        status=EntryStatus.RETURNED,
        value=9,
        narrative="Korban bernama Maria",
        return_reason="Attach the attendance list.",
    )
    return personas


@pytest.mark.django_db
def test_officers_and_verifiers_get_their_messages_in_their_language(mailbox, semester, capsys):
    call_command("send_reminders", *ARGS)
    recipients = sorted(m["To"] for m in mailbox.messages)
    # Dinas Sosial's officer (2.b.2.1 missing), Disnakertrans's; the two who verify (verifier, admin)
    assert recipients == ["admin@example.org", "officer_a@example.org", "officer_b@example.org", "verifier@example.org"]

    (own,) = mailbox.to("officer_a@example.org")
    assert own["Subject"] == "TPPO Monitor, 2021S2: 2 indicators not reported, 1 entry returned to you"
    text = body(own, "plain")
    assert "The deadline for reporting on 2021S2 was 15 January 2022." in text
    assert "- 1.b.1.1 " in text and "- 1.b.1.2 " in text and "1.a.2.1" not in text
    assert "- 1.a.1.1, 2021S1: Attach the attendance list." in text
    assert f"https://tppo.example.org{RAD}/my-indicators/" in text
    html = body(own, "html")
    assert "<strong>1.b.1.1</strong>" in html and 'lang="en"' in html
    for part in (text, html):
        assert "Maria" not in part and "Korban" not in part  # no narrative, nothing about victims

    (other,) = mailbox.to("officer_b@example.org")
    assert other["Subject"].startswith("TPPO Monitor, 2021S2: ")
    assert "indikator belum dilaporkan" in other["Subject"]  # Indonesian: no language chosen
    assert "2.b.2.1" in body(other, "plain")

    (digest,) = mailbox.to("verifier@example.org")
    assert digest["Subject"] == "TPPO Monitor: 8 entri menunggu verifikasi"
    assert "Disnakertrans: 8" in body(digest, "plain")
    assert SentReminder.objects.count() == 4
    assert "4 sent, 0 already sent, 0 failed" in capsys.readouterr().out

    # again the same day: nothing is sent twice
    call_command("send_reminders", *ARGS)
    assert len(mailbox.messages) == 4
    assert "0 sent, 4 already sent, 0 failed" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_refused_message_is_reported_the_rest_sent_and_a_rerun_sends_only_it(mailbox, semester, capsys):
    mailbox.refuse.add("officer_b@example.org")
    with pytest.raises(CommandError, match="1 of 4 reminders could not be sent"):
        call_command("send_reminders", *ARGS)
    streams = capsys.readouterr()
    assert "FAILED officer to officer_b@example.org" in streams.err
    assert len(mailbox.messages) == 3
    mailbox.refuse.clear()
    call_command("send_reminders", *ARGS)
    assert [m["To"] for m in mailbox.messages[3:]] == ["officer_b@example.org"]


@pytest.mark.django_db
def test_server_down_sends_nothing_and_fails(smtp_settings, semester, capsys):
    with pytest.raises(CommandError, match="4 of 4 reminders could not be sent"):
        call_command("send_reminders", *ARGS)
    assert capsys.readouterr().err.count("FAILED") == 4
    assert not SentReminder.objects.exists()


@pytest.mark.django_db
def test_dry_run_prints_and_sends_nothing(mailbox, semester, capsys):
    call_command("send_reminders", *ARGS, "--dry-run")
    out = capsys.readouterr().out
    assert (
        "would send officer to officer_a@example.org (en): missing 2 (1.b.1.1, 1.b.1.2); returned 1 (1.a.1.1 2021S1)"
        in out
    )
    assert "would send digest to verifier@example.org (id): queue 8 waiting, 0 flagged" in out
    assert mailbox.messages == [] and not SentReminder.objects.exists()


@pytest.mark.django_db
def test_bad_semester(plan):
    with pytest.raises(CommandError, match="outside the plan"):
        call_command("send_reminders", "--semester", "2031S1", "--dry-run")
    with pytest.raises(CommandError, match="like 2021S1"):
        call_command("send_reminders", "--semester", "2021", "--dry-run")


def test_default_semester_is_the_last_one_ended():
    from indicators.workflow.reminders import default_semester

    class FakePlan:
        start_year, end_year = 2018, 2022

    assert str(default_semester(FakePlan, datetime.date(2021, 8, 3))) == "2021S1"
    assert str(default_semester(FakePlan, datetime.date(2021, 3, 3))) == "2020S2"
    assert str(default_semester(FakePlan, datetime.date(2026, 11, 30))) == "2022S2"
    assert str(default_semester(FakePlan, datetime.date(2017, 3, 3))) == "2018S1"


@pytest.mark.django_db
def test_a_regencys_reminders_go_to_its_own_people_only(personas):
    """Two regencies with the same agencies' codes and a submitted entry each: Belu's reminders go to Belu's
    officer and verifier, its digest counts Belu's queue (one entry), and nobody of TTU hears of Belu."""
    from conftest import make_user
    from indicators.models.roles import OFFICER, VERIFIER
    from indicators.tests.factories import entry
    from indicators.tests.plan_helpers import make_plan
    from indicators.workflow.reminders import reminders_for
    from programs.models import Agency, Plan
    from programs.periods import Period

    belu = make_plan("rad-belu-2019-2023")
    belu_agency = Agency.objects.get(code="disnakertrans", region__code="53.04")
    make_user("officer_belu", OFFICER, belu_agency, region="53.04")
    make_user("verifier_belu", VERIFIER, Agency.objects.get(code="sekretariat", region__code="53.04"), region="53.04")
    entry("1.a.1.1", "2021S2", rad=belu.code, status=EntryStatus.SUBMITTED, value=4)
    entry("1.a.1.1", "2021S2", status=EntryStatus.SUBMITTED, value=5)
    entry("1.a.1.2", "2021S2", status=EntryStatus.SUBMITTED, value=6)
    today = datetime.date(2026, 11, 30)
    found = reminders_for(belu, Period(2021, 2), today)
    expected = [("officer_belu", "officer"), ("verifier_belu", "digest")]
    assert sorted((r.user.username, r.kind) for r in found) == expected
    digest = next(r for r in found if r.kind == "digest")
    listed = [e.indicator.plan_id for e in digest.context["oldest_entries"]]
    assert (digest.context["waiting"], listed) == (1, [belu.pk])
    ttu = reminders_for(Plan.objects.get(code="rad-ttu-2018-2022"), Period(2021, 2), today)
    assert not {r.user.username for r in ttu} & {"officer_belu", "verifier_belu"}
    assert {r.context["waiting"] for r in ttu if r.kind == "digest"} == {2}
