"""A batch of entries as a job: submit every draft of an import, verify or return a large selection.

The batch is `indicators.workflow.bulk` as in the request: each entry goes through its one-entry service,
which checks who acts and the workflow's rules, writes the entry's own history line and commits on its own.
So this is the one kind of job that is not one transaction: an entry refused does not undo the others, and a
worker killed midway leaves each entry either done or untouched (the job is then failed by the runner's
reaper; started again, the entries already done are refused as no longer in the status the action needs).

The job's params: the action ("submit", "verify" or "return"), the entry ids (in the order the list showed
them) and, for a return, the reason. The outcome names the refused entries and why, up to REFUSALS_KEPT.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.jobs.progress import Progress
from indicators.jobs.runner import JobFailed, complete
from indicators.models import Job
from indicators.workflow import bulk

REFUSALS_KEPT = 500


def run(job: Job, progress: Progress) -> None:
    action = job.params.get("action")
    if action not in bulk.ACTIONS:
        raise JobFailed(_("Unknown action."))
    ids = [int(pk) for pk in job.params.get("ids", [])]
    extra = {"reason": job.params.get("reason", "")} if action == "return" else {}

    def step(done: int, total: int) -> None:
        progress(done, total, _("Working through the entries"))

    outcome = bulk.ACTIONS[action](user=job.user, plan=job.plan, ids=ids, progress=step, **extra)
    complete(
        job,
        done=len(ids),
        total=len(ids),
        message=done_message(action, len(outcome.done), len(outcome.refused)),
        outcome={
            "action": action,
            "done": len(outcome.done),
            "refused_count": len(outcome.refused),
            "refused": [
                {"id": refusal.entry_id, "label": refusal.label, "reason": refusal.reason}
                for refusal in outcome.refused[:REFUSALS_KEPT]
            ],
        },
    )


def done_message(action: str, done: int, refused: int) -> str:
    """What the batch did, in the reader's language."""
    if action == "submit":
        message = ngettext(
            "%(count)s entry was submitted for verification.",
            "%(count)s entries were submitted for verification.",
            done,
        )
    elif action == "verify":
        message = ngettext("%(count)s entry was verified.", "%(count)s entries were verified.", done)
    else:
        message = ngettext(
            "%(count)s entry was returned with your reason.", "%(count)s entries were returned with your reason.", done
        )
    message %= {"count": done}
    if refused:
        message += " " + ngettext(
            "%(count)s entry was refused and is unchanged (see why below).",
            "%(count)s entries were refused and are unchanged (see why below).",
            refused,
        ) % {"count": refused}
    return message
