"""The progress-entry workflow: draft → submitted → verified, or → returned → resubmitted.

Every function here is a write path: it runs in one transaction, checks who is
acting, calls `full_clean()` and saves through the model so that
django-simple-history records who changed what. Forms only validate; views
only call these.

Concurrency: every change moves `ProgressEntry.version` on with a conditional
UPDATE (`… WHERE version = N`), so of two people who loaded the same version
only the first save goes through; the second gets `StaleEntry` with the
current row, and nothing is overwritten.
"""

import logging
import uuid
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.documents import evidence as evidence_types
from indicators.documents.thumbnails import thumbnail_of
from indicators.models import Comment, EntryStatus, Evidence, Indicator, ProgressEntry
from indicators.models.kinds import NUMBER_FIELDS
from indicators.models.roles import COMMENT, can_enter, can_verify, user_agency
from indicators.workflow import checks
from programs.access import check_acts_in

workflow_logger = logging.getLogger("tptto.workflow")

# The fields an officer may set on an entry; everything else belongs to the workflow.
ENTRY_FIELDS = (
    "year",
    "semester",
    "date",
    "kecamatan",
    "place",
    *NUMBER_FIELDS,
    "milestone_status",
    "narrative",
)


class WorkflowError(Exception):
    """A state change that the entry's status does not allow."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PlanNotOpen(PermissionDenied):
    """The entry's plan is a draft or closed; a view shows the message as a 403."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleEntry(WorkflowError):
    """Someone else saved the entry after this user loaded it."""

    def __init__(self, current: ProgressEntry):
        super().__init__(
            _(
                "Someone else changed this entry while you were working on it, so your changes were not saved. "
                "It now reads: %(values)s."
            )
            % {"values": describe(current)}
        )
        self.current = current


def describe(entry: ProgressEntry) -> str:
    """The entry's current values in one line, for messages."""
    parts = [_("status %(status)s") % {"status": entry.get_status_display()}, str(entry.period)]
    if entry.kecamatan_id:
        parts.append(entry.kecamatan.name)
    labels = {
        "value": _("number"),
        "male": _("men / boys"),
        "female": _("women / girls"),
        "child": _("children"),
        "adult": _("adults"),
        "numerator": _("numerator"),
        "denominator": _("denominator"),
    }
    for field, label in labels.items():
        value = getattr(entry, field)
        if value is not None:
            parts.append(f"{label} {value}")
    if entry.milestone_status:
        parts.append(entry.get_milestone_status_display())
    if entry.place:
        parts.append(entry.place)
    return ", ".join(parts)


def check_plan_open(indicator: Indicator) -> None:
    """A draft plan takes no entries yet and a closed one is read-only: every write path asks."""
    refused = indicator.plan.entries_refused()
    if refused:
        raise PlanNotOpen(refused)


def _check_officer(user, indicator: Indicator) -> None:
    check_plan_open(indicator)
    check_acts_in(user, indicator.plan)
    agency = user_agency(user)
    if not can_enter(user) or agency is None or agency.pk != indicator.agency_id:
        raise PermissionDenied(_("You can only log progress for your own agency's indicators."))


def _check_verifier(user, entry: ProgressEntry) -> None:
    check_plan_open(entry.indicator)
    check_acts_in(user, entry.indicator.plan)
    if not can_verify(user):
        raise PermissionDenied(_("Only the secretariat's verifiers and administrators can do this."))


def _claim(entry: ProgressEntry, version: int | None) -> ProgressEntry:
    """Lock the entry's row and move its version on; a stale version is refused.

    The conditional UPDATE is what guarantees it on every database: of two
    transactions holding the same version only one matches `version = N`.
    """
    current = (
        ProgressEntry.objects.select_for_update(of=("self",))
        .select_related("indicator__plan__region", "kecamatan")
        .get(pk=entry.pk)
    )
    expected = current.version if version is None else version
    claimed = ProgressEntry.objects.filter(pk=current.pk, version=expected).update(version=F("version") + 1)
    if not claimed:
        raise StaleEntry(current)
    current.version = expected + 1
    return current


# What a status change takes from the row it just locked (_claim) or from the acting user.
TRANSITION_RESOLVED = ("indicator", "agency", "kecamatan", "created_by", "submitted_by", "verified_by")


def _save(entry: ProgressEntry, user, reason: str = "", *, transition: bool = False) -> ProgressEntry:
    """Check and save through the model, so that simple_history writes the entry's history line.

    A `transition` (submit, verify, return, reopen) moves the status, who and when; the model's own rules
    (clean_fields, clean) still run on the whole entry, but the query per foreign key and per constraint
    that full_clean adds (about 30 for an entry) are skipped: the keys come from the row just locked and
    the acting user, and the database's constraints still guard the UPDATE. A batch of 50 verifications
    would otherwise spend 1,500 queries proving that rows just read exist.
    """
    if transition:
        entry.full_clean(exclude=TRANSITION_RESOLVED, validate_unique=False, validate_constraints=False)
    else:
        entry.full_clean()
    entry._history_user = user
    if reason:
        entry._change_reason = reason
    entry.save()
    return entry


def log_action(action: str, entry: ProgressEntry, user, previous: str) -> None:
    """One `tptto.workflow` log line once the transaction commits: ids and states, never text.

    The narrative and the reason are left out: people write what they like in them.
    """
    fields = {
        "action": action,
        "entry_id": entry.pk,
        "indicator": entry.indicator.code,
        "agency_id": entry.agency_id,
        "from_status": previous,
        "status": entry.status,
        "version": entry.version,
        "user_id": user.pk,
    }
    transaction.on_commit(lambda: workflow_logger.info(action, extra=fields))


def _check_duplicates(entry: ProgressEntry, allow_duplicate: bool) -> None:
    if not allow_duplicate and entry.duplicates().exists():
        raise ValidationError({"confirm_duplicate": duplicate_message()})


def duplicate_message() -> str:
    return _(
        "An entry with the same period, kecamatan, date and numbers already exists. "
        "If this really is another piece of work, tick the box to confirm."
    )


class AlreadyCreated(Exception):
    """The form's one-time key was used already: `entry` is what that first POST created."""

    def __init__(self, entry: ProgressEntry):
        super().__init__(entry.pk)
        self.entry = entry


def entry_made_with(form_key, user) -> ProgressEntry | None:
    """The entry this user already created with the form that carries `form_key`, if any."""
    try:
        key = uuid.UUID(str(form_key))
    except ValueError:
        return None
    return ProgressEntry.objects.filter(form_key=key, created_by=user).first()


def _made_with(form_key: uuid.UUID, user) -> ProgressEntry | None:
    made = ProgressEntry.objects.filter(form_key=form_key).first()
    if made is not None and made.created_by_id != user.pk:
        # a key is drawn at random for one form; someone else's means a replayed or forged form
        raise ValidationError(_("This form was already used. Open a new one."))
    return made


def _check_data(entry: ProgressEntry, comment: str) -> list[checks.DataWarning]:
    """The data checks' warnings; refused unless the person explains them (indicators.workflow.checks)."""
    if entry.year is None or entry.semester is None:
        return []  # full_clean() names what is missing
    (warnings,) = checks.check_entries([entry])
    if warnings and not (comment or "").strip():
        raise ValidationError({"warning_comment": [w.message for w in warnings] + [warning_message()]})
    return warnings


def warning_message() -> str:
    return _("If the value is right, explain why in this box; the verifier will see your explanation.")


def _keep_warnings(entry: ProgressEntry, warnings: list, comment: str, user) -> None:
    checks.record_warnings(entry, warnings, comment=(comment or "").strip(), user=user)


@transaction.atomic
def create_entry(
    *,
    user,
    indicator: Indicator,
    values: dict,
    allow_duplicate: bool = False,
    form_key: uuid.UUID | None = None,
    warning_comment: str = "",
) -> ProgressEntry:
    """A new draft entry for one of the user's agency's indicators.

    `form_key` is the one-time key rendered with the form. The entry stores it under a unique
    constraint, so of several POSTs of one form (even at the same instant) exactly one creates an
    entry; the others raise AlreadyCreated with it. Data-check warnings need `warning_comment`.
    """
    _check_officer(user, indicator)
    if form_key is not None and (made := _made_with(form_key, user)) is not None:
        raise AlreadyCreated(made)
    entry = ProgressEntry(indicator=indicator, agency_id=indicator.agency_id, created_by=user, form_key=form_key)
    for field in ENTRY_FIELDS:
        if field in values:
            setattr(entry, field, values[field])
    _check_duplicates(entry, allow_duplicate)
    warnings = _check_data(entry, warning_comment)
    try:
        with transaction.atomic():  # a savepoint: the transaction stays usable when the key was taken meanwhile
            entry = _save(entry, user)
    except IntegrityError:
        made = _made_with(form_key, user) if form_key is not None else None
        if made is None:
            raise
        raise AlreadyCreated(made) from None
    _keep_warnings(entry, warnings, warning_comment, user)
    return entry


@transaction.atomic
def update_entry(
    *,
    user,
    entry: ProgressEntry,
    version: int,
    values: dict,
    allow_duplicate: bool = False,
    warning_comment: str = "",
) -> ProgressEntry:
    """Edit a draft or returned entry; `version` is the one the user loaded."""
    _check_officer(user, entry.indicator)
    current = _claim(entry, version)
    if not current.is_editable:
        raise WorkflowError(_("A %(status)s entry cannot be edited.") % {"status": current.get_status_display()})
    for field in ENTRY_FIELDS:
        if field in values:
            setattr(current, field, values[field])
    _check_duplicates(current, allow_duplicate)
    warnings = _check_data(current, warning_comment)
    current = _save(current, user)
    _keep_warnings(current, warnings, warning_comment, user)
    return current


def _submit(user, entry: ProgressEntry, version: int | None, allowed: EntryStatus, answer: str = "") -> ProgressEntry:
    _check_officer(user, entry.indicator)
    current = _claim(entry, version)
    if current.status != allowed:
        raise WorkflowError(_("A %(status)s entry cannot be submitted.") % {"status": current.get_status_display()})
    if allowed == EntryStatus.RETURNED:
        answer = (answer or "").strip()
        if not answer and not changed_since_return(current):
            raise WorkflowError(unanswered_message())
        current.return_answer = answer
    current.status = EntryStatus.SUBMITTED
    current.submitted_by = user
    current.submitted_at = timezone.now()
    current.return_reason = ""  # the reason stays in the history
    _save(current, user, transition=True)
    log_action("submit", current, user, allowed)
    return current


@transaction.atomic
def submit_entry(*, user, entry: ProgressEntry, version: int | None = None) -> ProgressEntry:
    """Draft → submitted, for the verifier's queue."""
    return _submit(user, entry, version, EntryStatus.DRAFT)


@transaction.atomic
def resubmit_entry(*, user, entry: ProgressEntry, version: int | None = None, answer: str = "") -> ProgressEntry:
    """Returned → submitted again, once the officer changed something or answered the reason.

    A returned entry sent back untouched and unanswered would only bounce between the officer and the
    verifier, so it is refused. Her answer is kept on the entry (and so in its history) for the verifier.
    """
    return _submit(user, entry, version, EntryStatus.RETURNED, answer)


def unanswered_message() -> str:
    return _(
        "The verifier returned this entry with a reason. Change the entry, attach evidence, or answer the "
        "reason before you submit it again."
    )


def changed_since_return(entry: ProgressEntry) -> bool:
    """Whether the officer changed the entry's values or attached evidence since it was last returned.

    The return is read from the history: the oldest record of the latest unbroken run of records in
    the returned status holds the values as the verifier returned them.
    """
    returned = None
    for record in entry.history.order_by("-history_date", "-history_id"):
        if record.status != EntryStatus.RETURNED:
            break
        returned = record
    if returned is None:
        return True  # no record of the return (not made through the workflow): nothing to hold it to
    if any(getattr(entry, _attname(field)) != getattr(returned, _attname(field)) for field in ENTRY_FIELDS):
        return True
    return entry.evidence.filter(uploaded_at__gt=returned.history_date).exists()


def _attname(field: str) -> str:
    return ProgressEntry._meta.get_field(field).attname


@transaction.atomic
def verify_entry(*, user, entry: ProgressEntry, version: int | None = None) -> ProgressEntry:
    """Submitted → verified (locked). Never by the person who created the entry."""
    _check_verifier(user, entry)
    if user.pk in (entry.created_by_id, entry.submitted_by_id):
        raise PermissionDenied(_("You cannot verify an entry you created or submitted yourself."))
    current = _claim(entry, version)
    if current.status != EntryStatus.SUBMITTED:
        raise WorkflowError(_("Only a submitted entry can be verified."))
    current.status = EntryStatus.VERIFIED
    current.verified_by = user
    current.verified_at = timezone.now()
    _save(current, user, transition=True)
    log_action("verify", current, user, EntryStatus.SUBMITTED)
    return current


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason, so that the officer knows what to correct.")})
    return reason


def _send_back(
    user, entry: ProgressEntry, reason: str, version: int | None, from_status: str, refusal
) -> ProgressEntry:
    """`from_status` → returned to the officer with the reason she will see (her earlier answer stays in the
    history); the verification, if any, is undone."""
    _check_verifier(user, entry)
    reason = _required_reason(reason)
    current = _claim(entry, version)
    if current.status != from_status:
        raise WorkflowError(refusal)
    current.status = EntryStatus.RETURNED
    current.return_reason = reason
    current.return_answer = ""
    current.verified_by = None
    current.verified_at = None
    _save(current, user, reason, transition=True)
    return current


@transaction.atomic
def return_entry(*, user, entry: ProgressEntry, reason: str, version: int | None = None) -> ProgressEntry:
    """Submitted → returned to the officer, with the reason they will see."""
    current = _send_back(
        user, entry, reason, version, EntryStatus.SUBMITTED, _("Only a submitted entry can be returned.")
    )
    log_action("return", current, user, EntryStatus.SUBMITTED)
    return current


@transaction.atomic
def reopen_entry(*, user, entry: ProgressEntry, reason: str, version: int | None = None) -> ProgressEntry:
    """Verified → returned, so that it can be corrected. Audited with the reason."""
    current = _send_back(
        user, entry, reason, version, EntryStatus.VERIFIED, _("Only a verified entry can be reopened.")
    )
    log_action("reopen", current, user, EntryStatus.VERIFIED)
    return current


@transaction.atomic
def add_evidence(*, user, entry: ProgressEntry, upload) -> Evidence:
    """Attach a file to a draft or returned entry; its type is checked by content."""
    _check_officer(user, entry.indicator)
    current = ProgressEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    if not current.is_editable:
        raise WorkflowError(
            _("Evidence can only be added to a draft or returned entry; this one is %(status)s.")
            % {"status": current.get_status_display()}
        )
    content_type = evidence_types.check_upload(upload)
    item = Evidence(
        entry=current,
        file=upload,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
    thumbnail = thumbnail_of(upload, content_type)
    if thumbnail is not None:
        item.thumbnail.save(f"{PurePath(upload.name).stem[:80]}.jpg", thumbnail, save=False)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def add_comment(*, user, entry: ProgressEntry, text: str) -> Comment:
    """A remark on an entry by a reviewer, verifier or administrator; it changes no data."""
    check_plan_open(entry.indicator)
    check_acts_in(user, entry.indicator.plan)
    if not user.has_perm(COMMENT):
        raise PermissionDenied(_("You cannot comment on entries."))
    comment = Comment(entry=entry, author=user, text=(text or "").strip())
    comment.full_clean()
    comment.save()
    return comment
