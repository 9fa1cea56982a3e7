"""A budget for Office files (XLSX, DOCX), checked before anything parses them.

An Office file is a ZIP archive of XML parts, and a few hundred kilobytes of
ZIP can hold a hundred megabytes of XML: a sheet of millions of cells that
exhausts the server's memory while a reader builds it. So, before a workbook
is opened:

1. the ZIP's central directory (a list at the end of the file, read without
   unpacking anything) gives each part's unpacked size: the number of parts,
   their total size and each part's expansion ratio must stay in the budget.
   Python's zipfile never yields more bytes than that declared size (a part
   that claims less than it holds fails its checksum), so the figures bind;
2. for a workbook, every part is then streamed through in small chunks,
   counting rows, cells and shared strings and the furthest column any cell
   names, and stopping as soon as a count passes its cap. A reader fills the
   gaps of a sparse sheet, so one cell in column XFD makes every row 16,384
   cells wide: the column counts as much as the cells do.

Counting is done on the raw bytes (a regular expression, at C speed), so the
XML must be what Excel and LibreOffice write: UTF-8 (or another encoding in
which "<" is the byte "<") and no document type declaration, whose entities
could expand behind the counter's back.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
# Tiny parts (styles, relationships) legitimately pack very tightly; only big parts are judged on their ratio.
RATIO_FLOOR = 1024 * 1024
TAIL = 64  # bytes kept between chunks, so that a tag cut in two is still seen whole

ROW = re.compile(rb"<(?:[^\s<>/:!?]+:)?row[\s/>]")
CELL = re.compile(rb"<(?:[^\s<>/:!?]+:)?c[\s/>]")
SHARED_STRING = re.compile(rb"<(?:[^\s<>/:!?]+:)?si[\s/>]")
CELL_REF = re.compile(rb"<(?:[^\s<>/:!?]+:)?c\s[^>]*?\br\s*=\s*[\"']\$?([A-Za-z]{1,4})\$?\d")
DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# Encodings in which every ASCII character is its own byte, so counting the raw bytes is counting the XML.
ASCII_SAFE = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252"}


@dataclass(frozen=True)
class ZipBudget:
    unpacked_bytes: int  # all parts together, unpacked
    ratio: int  # unpacked ÷ packed size of a part bigger than RATIO_FLOOR
    parts: int
    rows: int | None = None  # workbooks: <row> elements of all sheets; None for a document
    cells: int | None = None  # workbooks: <c> elements, and shared strings separately
    columns: int | None = None  # workbooks: the furthest column a cell names (A = 1)


class OverBudget(Exception):
    """The file is refused before it is parsed; str() is the reason, translated, for the uploader."""


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def check_zip(source: bytes | BinaryIO, budget: ZipBudget) -> None:
    """Raise OverBudget when the archive is over `budget`; a file that is not a ZIP is left to the caller."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    position = stream.tell()
    try:
        try:
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError):
            return
        with archive:
            parts = archive.infolist()
            _check_directory(parts, budget)
            if budget.cells is not None:
                _count_sheet_content(archive, parts, budget)
    finally:
        stream.seek(position)


def _check_directory(parts: list[zipfile.ZipInfo], budget: ZipBudget) -> None:
    if len(parts) > budget.parts:
        raise OverBudget(
            _("The file holds %(count)s parts; at most %(limit)s are accepted.")
            % {"count": len(parts), "limit": budget.parts}
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > budget.unpacked_bytes:
        raise OverBudget(
            _("The file expands to %(size)s when opened, more than the %(limit)s accepted. Save a smaller file.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(budget.unpacked_bytes)}
        )
    for part in parts:
        if part.file_size > RATIO_FLOOR and part.file_size > budget.ratio * max(part.compress_size, 1):
            raise OverBudget(
                _(
                    "Part “%(part)s” of the file expands %(ratio)s times when opened; real office files do not, "
                    "so the file is refused."
                )
                % {"part": part.filename[:100], "ratio": part.file_size // max(part.compress_size, 1)}
            )


def _count_sheet_content(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], budget: ZipBudget) -> None:
    """Stream every part (a sheet can hide under any name the workbook's relationships give it)."""
    rows = cells = strings = 0
    for part in parts:
        if part.is_dir():
            continue
        with archive.open(part) as handle:
            tail = b""
            first = True
            while chunk := handle.read(CHUNK):
                if first:
                    _check_encoding(chunk)
                    first = False
                # Matches that end in the carried tail were counted with the previous chunk.
                window = tail + chunk
                skip = len(tail)
                if DOCTYPE.search(window):
                    raise OverBudget(_unusual_xml())
                rows += _count(ROW, window, skip)
                cells += _count(CELL, window, skip)
                strings += _count(SHARED_STRING, window, skip)
                if budget.rows is not None and rows > budget.rows:
                    raise OverBudget(_("The file has more than %(count)s rows; split it.") % {"count": budget.rows})
                if cells > budget.cells or strings > budget.cells:
                    raise OverBudget(
                        _("The workbook has more than %(count)s cells; split it.") % {"count": budget.cells}
                    )
                if budget.columns is not None:
                    _check_columns(window, skip, budget.columns)
                tail = window[-TAIL:]


def _count(pattern: re.Pattern, window: bytes, skip: int) -> int:
    """Matches that end after the first `skip` bytes (the tail already searched)."""
    return sum(1 for match in pattern.finditer(window) if match.end() > skip)


def _check_columns(window: bytes, skip: int, limit: int) -> None:
    for match in CELL_REF.finditer(window):
        if match.end() > skip and column_number(match.group(1).decode()) > limit:
            raise OverBudget(
                _("The sheet uses column %(column)s; only the first %(count)s columns are read. Delete the others.")
                % {"column": match.group(1).decode().upper(), "count": limit}
            )


def _check_encoding(head: bytes) -> None:
    if head.startswith((b"\xfe\xff", b"\xff\xfe", b"\x00<", b"<\x00")):
        raise OverBudget(_unusual_xml())
    declared = DECLARED_ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).decode().lower() not in ASCII_SAFE:
        raise OverBudget(_unusual_xml())


def _unusual_xml() -> str:
    return _(
        "The file holds XML that office programs do not write (a document type or an unusual encoding). "
        "Save it again from Excel or LibreOffice."
    )
