"""The rows an import refused, as a file to fix and upload again.

The file is in the import format (docs/import-format.md): the same columns, in the same order, with the
values as the importer typed them, plus an `error` column that names the original row, each bad column
and its message. The reader ignores that column (indicators.intake.progress.ERROR_COLUMN), so the file
goes back in as it is once the rows are fixed.

XLSX, every cell written as text: a narrative that starts with "=" stays text (no formula runs when the
file is opened), and codes like 53.03.08 or periods like 2021S1 stay as typed.

An import confirmed with its good rows only keeps the file of the rows it left out (`keep`, written by its
job in the same transaction's span, before the job is marked done), so it can still be downloaded from the
job page and the imports after the upload itself is gone.
"""

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from indicators.intake.progress import COLUMNS, ERROR_COLUMN, RowOutcome

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FOLDER = "imports-refused"


def _path(token: uuid.UUID | str) -> str:
    return f"{FOLDER}/{token}.xlsx"


def keep(token: uuid.UUID | str, content: bytes) -> None:
    """Keep the refused rows' file of the import of upload `token` (replacing one of an earlier attempt)."""
    default_storage.delete(_path(token))
    default_storage.save(_path(token), ContentFile(content))


def kept(token: uuid.UUID | str) -> bytes | None:
    try:
        with default_storage.open(_path(token), "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def row_errors(outcome: RowOutcome) -> str:
    """'Row 200: column value: “x” is not a whole number; whole row: …', in the person's language."""
    parts = []
    for column, message in outcome.errors:
        where = _("column %(column)s") % {"column": column} if column else _("whole row")
        parts.append(f"{where}: {message}")
    return _("Row %(row)s: %(errors)s") % {"row": outcome.row, "errors": "; ".join(parts)}


def refused_rows_xlsx(rows: list[RowOutcome]) -> bytes:
    """An XLSX of the refused rows: the import's columns and `error`, one row per refused row, in file order."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Refused rows")[:31])
    for index, width in enumerate([14] * len(COLUMNS) + [80], start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"

    def text(value: str, bold: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never a formula, never a number
        if bold:
            cell.font = Font(bold=True)
        return cell

    sheet.append([text(name, bold=True) for name in (*COLUMNS, ERROR_COLUMN)])
    for outcome in rows:
        values = [outcome.values.get(name, "") for name in COLUMNS]
        sheet.append([text(value) for value in values] + [text(row_errors(outcome))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
