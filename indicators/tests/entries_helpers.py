"""Helpers for the progress-entry tests: an officer of the secretariat, and saved entries."""

import io
import zipfile

from django.contrib.auth.models import Group, User

from indicators.models import EntryStatus, Indicator, ProgressEntry
from indicators.roles import OFFICER
from programs.models import Agency, Region, StaffProfile
from programs.periods import Period


def secretariat_officer() -> User:
    """Coverage, percent, periodic and qualitative indicators all belong to the secretariat."""
    user = User.objects.create_user("officer_s", "officer_s@example.org", "x")
    user.groups.add(Group.objects.get(name=OFFICER))
    StaffProfile.objects.create(user=user, agency=Agency.objects.get(code="sekretariat"))
    return user


def make_entry(code: str, period: str, user: User, *, status: str = EntryStatus.DRAFT, kecamatan=None, **values):
    indicator = Indicator.objects.get(code=code)
    p = Period.parse(period)
    entry = ProgressEntry(
        indicator=indicator,
        agency=indicator.agency,
        year=p.year,
        semester=p.semester,
        date=values.pop("date", p.end),
        status=status,
        created_by=user,
        kecamatan=Region.objects.get(code=kecamatan) if kecamatan else None,
        **values,
    )
    if status == EntryStatus.RETURNED and not entry.return_reason:
        entry.return_reason = "Please attach the attendance list."
    entry.full_clean()
    entry.save()
    return entry


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
