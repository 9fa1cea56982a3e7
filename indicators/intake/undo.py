"""Undoing a spreadsheet import: its entries removed, as long as none of them has been verified.

Only the person who imported the file undoes it (the import was hers; an administrator sees every import
but undoes none of another's), once. A verified entry is official: the undo is refused, counting them,
until they are reopened through the workflow. Each removed entry keeps a last line in its history (who
removed it, and why), as a deletion through the admin would; the data version moves on, so every figure
is computed afresh.
"""

from django.db import transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.models import EntryStatus, ImportReceipt
from indicators.tallies import entry_totals
from programs.models import Plan

UNDONE_STATUSES = (EntryStatus.DRAFT, EntryStatus.SUBMITTED, EntryStatus.RETURNED)


class UndoRefused(Exception):
    pass


def import_undo(*, receipt: ImportReceipt, user) -> int:
    """Remove the import's entries (draft, submitted or returned) in one transaction; how many. UndoRefused."""
    with transaction.atomic():
        receipt = ImportReceipt.objects.select_for_update().get(pk=receipt.pk)
        if receipt.undone_at is not None:
            raise UndoRefused(_("This import was already undone."))
        if receipt.imported_by_id != user.pk:
            raise UndoRefused(_("Only the person who imported the file can undo the import."))
        verified = receipt.entries.filter(status=EntryStatus.VERIFIED).count()
        if verified:
            raise UndoRefused(
                ngettext(
                    "Nothing was undone: %(count)s entry of this import is verified. Reopen it first.",
                    "Nothing was undone: %(count)s entries of this import are verified. Reopen them first.",
                    verified,
                )
                % {"count": verified}
            )
        entries = list(receipt.entries.filter(status__in=UNDONE_STATUSES))
        for entry in entries:  # read by simple_history for the deletion's line in each entry's history
            entry._history_user = user
            entry._change_reason = _("Import undone")
        collector = Collector(using=receipt._state.db, origin=receipt)
        collector.collect(entries)
        with entry_totals.batch():  # each deletion's signal names its indicator; each is refreshed once
            collector.delete()
        receipt.undone_at = timezone.now()
        receipt.undone_by = user
        receipt.save(update_fields=["undone_at", "undone_by"])
        if receipt.plan_id:
            Plan.bump_data_version(receipt.plan_id)
    return len(entries)
