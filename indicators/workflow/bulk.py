"""Actions on many entries at once: an officer submits her drafts, a verifier verifies or returns a selection.

Each entry goes through the one-entry service of `indicators.workflow.services` (submit_entry, verify_entry,
return_entry), which checks who acts, the plan, the entry's status and its version, saves through the model
and so writes the entry's own history line. Nothing here restates a rule: a batch is a loop over the
services that collects what each one refused, and why.

One transaction per entry, not per batch. The entries of a batch are independent decisions: an entry
refused (another agency's, already verified by a colleague a second ago, the verifier's own) must not undo
the others, and the person is told which were refused and why. Each service runs in its own transaction
(they are atomic and called outside any), so a row lock is held for one entry at a time: an officer or a
second verifier working on another entry of the batch never waits for the whole batch, and a worker that
dies midway leaves each entry either fully done (status, history line, log line) or untouched.

Queries: the batch's entries are read once, with what the services read from them (indicator, plan,
region), and the user's permissions and profile are cached on the user after the first entry; what
remains per entry is the service's own work (lock and version, the save, its history row, the plan's data
version, the model's checks).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from indicators.models import ProgressEntry
from indicators.workflow import services
from programs.models import Plan

MAX_BATCH = 500  # a form of 500 checked boxes is already far past what a person reviews on one screen
# Batches of more entries than this run as a job of the task queue (indicators.jobs.bulk_entries), with its page
# and progress; smaller ones in the request (200 entries take a few seconds).
IN_REQUEST = 200


@dataclass
class Refusal:
    entry_id: int
    label: str  # "1.a.1.1 · 2021S1 (#42)" when she may read the entry, else "#42"
    reason: str


@dataclass
class BatchOutcome:
    done: list[ProgressEntry] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def parse_ids(values) -> list[int]:
    """The entry ids of a form's checkboxes, in the order given, each once; anything not a number is dropped."""
    ids: dict[int, None] = {}
    for value in values:
        text = str(value).strip()
        if text.isdigit():
            ids.setdefault(int(text))
    return list(ids)[:MAX_BATCH]


def _label(entry: ProgressEntry) -> str:
    return f"{entry.indicator.code} · {entry.period} (#{entry.pk})"


Progress = Callable[[int, int], None]


def _run(*, user, plan: Plan, ids: list[int], action, progress: Progress | None = None) -> BatchOutcome:
    """`action(entry)` for each entry of `plan` among `ids`; ids outside the plan are refused without a word on
    what they are (another regency's entry does not exist for her), and entries she may not read are named by
    their number only. `progress(entries done or refused, entries)` as it goes."""
    entries = ProgressEntry.objects.filter(pk__in=ids, indicator__plan=plan).select_related(
        "indicator__plan__region", "agency"
    )
    found = {entry.pk: entry for entry in entries}
    readable = set(ProgressEntry.objects.filter(pk__in=found).visible_to(user).values_list("pk", flat=True))
    outcome = BatchOutcome()
    for number, pk in enumerate(ids):
        if progress:
            progress(number, len(ids))
        entry = found.get(pk)
        if entry is None:
            outcome.refused.append(Refusal(pk, f"#{pk}", _("There is no such entry in this plan.")))
            continue
        label = _label(entry) if pk in readable else f"#{pk}"
        try:
            outcome.done.append(action(entry))
        except services.WorkflowError as error:  # a stale version included
            outcome.refused.append(Refusal(pk, label, error.message))
        except PermissionDenied as error:
            outcome.refused.append(Refusal(pk, label, str(error)))
        except ValidationError as error:
            outcome.refused.append(Refusal(pk, label, " ".join(error.messages)))
    return outcome


def submit_entries(*, user, plan: Plan, ids: list[int], progress: Progress | None = None) -> BatchOutcome:
    """Draft → submitted for each entry (services.submit_entry); a returned entry needs its own answer first."""
    return _run(
        user=user,
        plan=plan,
        ids=ids,
        action=lambda entry: services.submit_entry(user=user, entry=entry),
        progress=progress,
    )


def verify_entries(*, user, plan: Plan, ids: list[int], progress: Progress | None = None) -> BatchOutcome:
    """Submitted → verified for each entry (services.verify_entry)."""
    return _run(
        user=user,
        plan=plan,
        ids=ids,
        action=lambda entry: services.verify_entry(user=user, entry=entry),
        progress=progress,
    )


def return_entries(*, user, plan: Plan, ids: list[int], reason: str, progress: Progress | None = None) -> BatchOutcome:
    """Submitted → returned for each entry, each with the one reason (services.return_entry keeps it on each
    entry and in each history line)."""
    return _run(
        user=user,
        plan=plan,
        ids=ids,
        action=lambda entry: services.return_entry(user=user, entry=entry, reason=reason),
        progress=progress,
    )


ACTIONS = {"submit": submit_entries, "verify": verify_entries, "return": return_entries}
