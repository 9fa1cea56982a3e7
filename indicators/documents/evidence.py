"""What an evidence file really is, judged by its content rather than its name.

Only PDF, JPEG, PNG, XLSX and DOCX are accepted. The first bytes decide the
type; an Office file is a ZIP holding `[Content_Types].xml` plus an `xl/`
(workbook) or `word/` (document) folder. The name's extension must agree
with what the content is, so a renamed executable or a `.pdf` that is really
a spreadsheet is refused.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from indicators.documents.zipbudget import OverBudget, ZipBudget, check_zip

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str
    extensions: tuple[str, ...]


TYPES = {
    PDF: FileType(PDF, "PDF", (".pdf",)),
    JPEG: FileType(JPEG, "JPEG", (".jpg", ".jpeg")),
    PNG: FileType(PNG, "PNG", (".png",)),
    XLSX: FileType(XLSX, "XLSX", (".xlsx",)),
    DOCX: FileType(DOCX, "DOCX", (".docx",)),
}
BY_EXTENSION = {ext: kind for kind in TYPES.values() for ext in kind.extensions}
ACCEPT = ",".join(BY_EXTENSION)  # for <input accept=…>

ZIP_MAGIC = b"PK\x03\x04"

# Evidence is stored, never parsed here, but whoever opens it should get a document, not a zip bomb:
# what an Office file may unpack to (indicators.documents.zipbudget). Attendance lists can be long, so a sheet's
# rows and cells are counted against generous caps.
DOCX_BUDGET = ZipBudget(unpacked_bytes=100 * 1024 * 1024, ratio=100, parts=2000)
XLSX_BUDGET = ZipBudget(
    unpacked_bytes=100 * 1024 * 1024, ratio=100, parts=2000, rows=200_000, cells=2_000_000, columns=16384
)
BUDGETS = {XLSX: XLSX_BUDGET, DOCX: DOCX_BUDGET}


def sniff(upload) -> str | None:
    """The content type the file's bytes show, or None when it is none of ours."""
    upload.seek(0)
    head = upload.read(8)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(ZIP_MAGIC):
            return _office_type(upload)
        return None
    finally:
        upload.seek(0)


def _office_type(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("xl/") for name in names):
        return XLSX
    if any(name.startswith("word/") for name in names):
        return DOCX
    return None


def check_upload(upload) -> str:
    """Return the file's content type, or refuse it with a message the uploader understands."""
    limit = settings.EVIDENCE_MAX_BYTES
    name = upload.name or ""
    if upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is too big (%(size)s); the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    expected = BY_EXTENSION.get(PurePath(name).suffix.lower())
    if expected is None:
        raise ValidationError(
            _("The file “%(name)s” is not an accepted type. Attach a PDF, JPEG, PNG, XLSX or DOCX file.")
            % {"name": name},
            code="bad_extension",
        )
    found = sniff(upload)
    if found != expected.content_type:
        raise ValidationError(
            _("The file “%(name)s” is not a real %(type)s file: its content does not match its name.")
            % {"name": name, "type": expected.label},
            code="content_mismatch",
        )
    if found in BUDGETS:
        try:
            check_zip(upload, BUDGETS[found])
        except OverBudget as error:
            raise ValidationError(
                _("The file “%(name)s” cannot be accepted: %(reason)s") % {"name": name, "reason": error},
                code="over_budget",
            ) from None
    return found
