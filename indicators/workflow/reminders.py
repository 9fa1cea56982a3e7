"""Reminder emails: each agency's officers get what is missing for a semester and what was
returned to them; verifiers get a digest of the verification queue.

Messages carry indicator codes and texts, periods, deadlines, counts and the verifiers' return
reasons, never a narrative (nothing about victims). Each is written in the recipient's own
language (`StaffProfile.language`). A delivered reminder is recorded (`SentReminder`), so that
running the command again the same day sends only what failed.
"""

from __future__ import annotations

import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Count, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.figures.completeness import completeness
from indicators.models import EntryStatus, FollowUp, ProgressEntry, SentReminder
from indicators.models.roles import ENTER, VERIFY
from programs.models import Plan
from programs.periods import Period

QUEUE_LISTED = 20  # the digest lists the oldest waiting entries; the rest are counted


@dataclass
class Reminder:
    user: User
    kind: str  # SentReminder.Kind
    period: Period
    language: str
    context: dict = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """One line for --dry-run and the command's report."""
        if self.kind == SentReminder.Kind.OFFICER:
            missing, returned = self.context["missing"], self.context["returned"]
            codes = ", ".join(i.code for i in missing) or "-"
            entries = ", ".join(f"{e.indicator.code} {e.period}" for e in returned) or "-"
            return f"missing {len(missing)} ({codes}); returned {len(returned)} ({entries})"
        return f"queue {self.context['waiting']} waiting, {self.context['flagged']} flagged"


def language_of(user: User) -> str:
    profile = getattr(user, "staff_profile", None)
    return (profile.language if profile and profile.language else "") or settings.LANGUAGE_CODE


def _people(permission: str, plan: Plan):
    """Active people with an email address and the permission, working in the plan's regency."""
    app_label, codename = permission.split(".")
    perm = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    return (
        User.objects.filter(perm, is_active=True, staff_profile__region=plan.region_id)
        .exclude(email="")
        .select_related("staff_profile__agency")
        .distinct()
        .order_by("username")
    )


def default_semester(plan: Plan, today: datetime.date) -> Period:
    """The last semester that has ended by `today`, within the plan (its first one before that)."""
    current = Period.of_date(today)
    previous = Period(current.year, 1) if current.semester == 2 else Period(current.year - 1, 2)
    first, last = Period(plan.start_year, 1), Period(plan.end_year, 2)
    return min(max(previous, first), last)


def officer_reminders(plan: Plan, period: Period, today: datetime.date) -> list[Reminder]:
    """One reminder per officer whose agency has something missing for the semester or returned."""
    result = completeness(plan, as_of=today, periods=[period])
    returned: dict[int, list[ProgressEntry]] = {}
    for entry in (
        ProgressEntry.objects.filter(indicator__plan=plan, status=EntryStatus.RETURNED)
        .select_related("indicator__plan")
        .order_by("indicator__code", "year", "semester", "id")
    ):
        returned.setdefault(entry.agency_id, []).append(entry)
    reminders = []
    # administrators hold every entry permission through the admin site's; they verify, they are not officers
    officers = _people(ENTER, plan).exclude(groups__permissions__codename=VERIFY.split(".")[1])
    for user in officers:
        agency = user.staff_profile.agency if hasattr(user, "staff_profile") else None
        if agency is None:
            continue
        cell = result.cells.get((agency.pk, period))
        missing = cell.missing if cell else []
        own_returned = returned.get(agency.pk, [])
        if not missing and not own_returned:
            continue
        context = {
            "plan": plan,
            "agency": agency,
            "missing": missing,
            "returned": own_returned,
            "deadline": result.deadlines[period],
            "overdue": bool(cell and cell.overdue),
        }
        reminders.append(Reminder(user, SentReminder.Kind.OFFICER, period, language_of(user), context))
    return reminders


def digest_reminders(plan: Plan, period: Period) -> list[Reminder]:
    """One digest per verifier, when entries wait for verification."""
    queue = ProgressEntry.objects.filter(indicator__plan=plan, status=EntryStatus.SUBMITTED)
    totals = queue.aggregate(
        waiting=Count("id"),
        flagged=Count("id", filter=Q(warnings__isnull=False), distinct=True),
        oldest=Min("submitted_at"),
    )
    if not totals["waiting"]:
        return []
    by_agency = list(queue.values("agency__short_name").annotate(n=Count("id")).order_by("-n", "agency__short_name"))
    oldest = list(
        queue.select_related("indicator", "agency")
        .annotate(flags=Count("warnings"))
        .order_by("submitted_at", "id")[:QUEUE_LISTED]
    )
    follow_ups = FollowUp.objects.filter(entry__indicator__plan=plan, resolved_at__isnull=True).count()
    context = {**totals, "plan": plan, "by_agency": by_agency, "oldest_entries": oldest, "follow_ups": follow_ups}
    return [
        Reminder(user, SentReminder.Kind.DIGEST, period, language_of(user), context) for user in _people(VERIFY, plan)
    ]


def reminders_for(plan: Plan, period: Period, today: datetime.date) -> list[Reminder]:
    return officer_reminders(plan, period, today) + digest_reminders(plan, period)


def render(reminder: Reminder, site_url: str) -> EmailMultiAlternatives:
    """The message in the recipient's language: plain text with an HTML alternative."""
    with translation.override(reminder.language):
        context = {
            **reminder.context,
            "user": reminder.user,
            "name": reminder.user.get_full_name() or reminder.user.username,
            "period": reminder.period,
            "site_url": site_url,
            "LANGUAGE_CODE": reminder.language,
            "my_indicators_url": site_url + reverse("indicators:my_indicators", args=[reminder.context["plan"].code]),
            "queue_url": site_url + reverse("indicators:review_queue", args=[reminder.context["plan"].code]),
        }
        if reminder.kind == SentReminder.Kind.OFFICER:
            missing, returned = len(context["missing"]), len(context["returned"])
            parts = []
            if missing:
                parts.append(
                    ngettext("%(n)s indicator not reported", "%(n)s indicators not reported", missing) % {"n": missing}
                )
            if returned:
                parts.append(
                    ngettext("%(n)s entry returned to you", "%(n)s entries returned to you", returned) % {"n": returned}
                )
            subject = _("TPPO Monitor, %(period)s: %(what)s") % {"period": reminder.period, "what": ", ".join(parts)}
            template = "indicators/email/reminder_officer"
        else:
            subject = ngettext(
                "TPPO Monitor: %(n)s entry waits for verification",
                "TPPO Monitor: %(n)s entries wait for verification",
                context["waiting"],
            ) % {"n": context["waiting"]}
            template = "indicators/email/digest"
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[reminder.user.email])
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class Outcome:
    sent: list[Reminder] = field(default_factory=list)
    skipped: list[Reminder] = field(default_factory=list)  # already delivered today
    failed: list[tuple[Reminder, str]] = field(default_factory=list)


def send(reminders: list[Reminder], *, today: datetime.date, site_url: str) -> Outcome:
    """Send each reminder not yet delivered today; a failure is noted and the others still go.

    Each message goes over its own connection, so that one refused recipient or a dropped
    connection cannot take the next messages with it.
    """
    outcome = Outcome()
    done = set(
        SentReminder.objects.filter(day=today, user__in=[r.user for r in reminders]).values_list(
            "user_id", "kind", "period"
        )
    )
    for reminder in reminders:
        if (reminder.user.pk, reminder.kind, str(reminder.period)) in done:
            outcome.skipped.append(reminder)
            continue
        message = render(reminder, site_url)
        try:
            message.connection = get_connection(fail_silently=False)
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            outcome.failed.append((reminder, str(error) or error.__class__.__name__))
            continue
        SentReminder.objects.create(
            user=reminder.user, kind=reminder.kind, period=str(reminder.period), day=today, email=reminder.user.email
        )
        outcome.sent.append(reminder)
    return outcome
