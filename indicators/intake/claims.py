"""An import is confirmed once: the upload's token is claimed by a receipt under a unique constraint.

Kept apart from the row-writing code (indicators.intake.progress): the confirm view claims the token and
writes the rows in one transaction, so the claim holds only if the rows were saved, and of two
confirms at the same instant the second waits for the first and then finds its receipt.
"""

import uuid

from django.db import IntegrityError, transaction

from indicators.models import ImportReceipt


class AlreadyImported(Exception):
    def __init__(self, receipt: ImportReceipt):
        super().__init__(receipt.token)
        self.receipt = receipt


def receipt_for(token: uuid.UUID, user) -> ImportReceipt | None:
    """The receipt of this user's import of the upload `token`, if it was confirmed."""
    return ImportReceipt.objects.filter(token=token, imported_by=user).first()


def claim(*, token: uuid.UUID, user, file_name: str) -> ImportReceipt:
    """Insert the upload's receipt inside the caller's transaction; AlreadyImported if one is there."""
    try:
        with transaction.atomic():  # a savepoint, so the caller's transaction survives a lost race
            return ImportReceipt.objects.create(token=token, imported_by=user, file_name=file_name[:200])
    except IntegrityError:
        receipt = ImportReceipt.objects.filter(token=token).first()
        if receipt is None:
            raise
        raise AlreadyImported(receipt) from None
