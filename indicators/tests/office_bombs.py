"""Office files that expand when read, built with zipfile for the budget tests.

`workbook(sheet_xml)` is a minimal XLSX that Excel and openpyxl open: the
content types, the relationships, a workbook and one sheet whose XML is given
(bytes, or an iterable of chunks so that a sheet of 100 MB is never held whole).
"""

import io
import zipfile
from collections.abc import Iterable

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Entries" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)
SHEET_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_CLOSE = b"</sheetData></worksheet>"


def inline_cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def header_row() -> bytes:
    return b'<row r="1">' + inline_cell("A1", "code") + inline_cell("B1", "period") + b"</row>"


def workbook(sheet: bytes | Iterable[bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for chunk in [sheet] if isinstance(sheet, bytes) else sheet:
                part.write(chunk)
    return buffer.getvalue()


def sheet_of(*rows: bytes) -> bytes:
    return SHEET_OPEN + b"".join(rows) + SHEET_CLOSE


def one_wide_row(cells: int) -> Iterable[bytes]:
    """The attack of issue 8: a header, then one row of `cells` inline-string cells (38 bytes each)."""
    yield SHEET_OPEN + header_row() + b'<row r="2">'
    block = b'<c t="inlineStr"><is><t>x</t></is></c>' * 10_000
    for _ in range(cells // 10_000):
        yield block
    yield b"</row>" + SHEET_CLOSE


def document(body: bytes | Iterable[bytes]) -> bytes:
    """A DOCX-shaped package whose word/document.xml is `body`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for chunk in [body] if isinstance(body, bytes) else body:
                part.write(chunk)
    return buffer.getvalue()


def zeros(megabytes: int) -> Iterable[bytes]:
    block = b"\0" * (1024 * 1024)
    for _ in range(megabytes):
        yield block
