"""Helpers for the progress-entry tests: an officer of the secretariat, and saved entries."""

import io
import zipfile

from django.contrib.auth.models import Group, User

from indicators.models import EntryStatus
from indicators.models.roles import OFFICER
from indicators.tests.factories import entry
from programs.models import Agency, Region, StaffProfile


def secretariat_officer() -> User:
    """Coverage, percent, periodic and qualitative indicators all belong to the secretariat."""
    user = User.objects.create_user("officer_s", "officer_s@example.org", "x")
    user.groups.add(Group.objects.get(name=OFFICER))
    StaffProfile.objects.create(
        user=user,
        agency=Agency.objects.get(code="sekretariat", region__code="53.03"),
        region=Region.objects.get(code="53.03"),
    )
    return user


def make_entry(code: str, period: str, user: User, *, status: str = EntryStatus.DRAFT, kecamatan=None, **values):
    """A saved entry by `user`, a draft unless told otherwise; a returned one gets a reason."""
    if status == EntryStatus.RETURNED:
        values.setdefault("return_reason", "Please attach the attendance list.")
    return entry(code, period, status=status, kecamatan=kecamatan, user=user, **values)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office_bytes(folder: str) -> bytes:
    """A minimal Office Open XML package: [Content_Types].xml plus `xl/` or `word/`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
    return buffer.getvalue()
