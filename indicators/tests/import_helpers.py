"""Spreadsheets written the way users write them, for the import tests."""

import io

import openpyxl

from indicators.intake.progress import COLUMNS


def xlsx(rows: list[dict], header: list[str] | None = None) -> bytes:
    """An XLSX file whose first sheet has the header and one row per dict (missing keys are empty)."""
    header = header or list(COLUMNS)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name.strip().lower()) for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], header: list[str] | None = None, bom: bool = True) -> bytes:
    header = header or list(COLUMNS)
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(str(row.get(name.strip().lower(), "")) for name in header))
    text = "\r\n".join(lines) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")
