"""Every CSV download in two styles: the standard one (`,` between cells, `.` in decimals, UTF-8
with a byte-order mark), which pandas, R and LibreOffice read as they are, and "Excel (Indonesian
settings)" (`?style=excel-id`): `;` between cells and `,` in decimals, as Excel reads a CSV it is
given by a double-click on a computer set to Indonesian (its list separator is `;`, its decimal
separator `,`). A standard CSV opened that way lands each row in one column, and `42.44` turns
into text. The XLSX needs no such care, so the pages point spreadsheet users to it first.

The Excel style is made from the standard file, so both carry the same cells: only the separator
changes, and the decimal point in the columns the file names as numbers (never in codes such as
`53.03` or `1.a.1.1`, which stay as written).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from django.http import Http404

PARAM = "style"
EXCEL_ID = "excel-id"
DECIMAL = re.compile(r"^-?\d+\.\d+$")


def excel_id_requested(request) -> bool:
    """True for `?style=excel-id`; an unknown style is a 404, like an unknown format."""
    style = request.GET.get(PARAM, "")
    if style not in ("", EXCEL_ID):
        raise Http404("Unknown CSV style")
    return style == EXCEL_ID


def excel_id(content: bytes, number_columns: Iterable[str | int]) -> bytes:
    """The standard CSV `content` in the Excel (Indonesian settings) style.

    `number_columns` names (header text) or positions of the columns whose cells are numbers:
    their decimal point becomes a comma. Text cells are kept as they are (already defused of
    formulas by tptto_monitor.lib.cells); the csv module quotes any that hold a `;`. Comment lines
    at the top (`# …`, a chart's plan, filters and day) are kept as they are."""
    body = content.decode("utf-8-sig")
    preamble = []
    while body.startswith("#"):
        line, newline, body = body.partition("\n")
        preamble.append(line + newline)
    rows = list(csv.reader(io.StringIO(body, newline="")))
    header = rows[0] if rows else []
    wanted = set(number_columns)
    numeric = {i for i, name in enumerate(header) if name in wanted or i in wanted}
    out = io.StringIO("".join(preamble))
    out.seek(0, io.SEEK_END)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for n, row in enumerate(rows):
        if n == 0:
            writer.writerow(row)
            continue
        writer.writerow(
            [cell.replace(".", ",") if i in numeric and DECIMAL.match(cell) else cell for i, cell in enumerate(row)]
        )
    return out.getvalue().encode("utf-8-sig")


def excel_id_filename(filename: str) -> str:
    """rad-ttu-2021.csv → rad-ttu-2021-excel-id.csv: both styles can sit in one folder."""
    stem, dot, extension = filename.rpartition(".")
    return f"{stem}-{EXCEL_ID}{dot}{extension}" if dot else f"{filename}-{EXCEL_ID}"
