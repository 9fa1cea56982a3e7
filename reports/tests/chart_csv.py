"""Reading a dashboard chart's CSV as a spreadsheet or pandas (comment="#") would: its comment lines skipped."""

import csv
import io


def chart_rows(body: bytes | str) -> list[list[str]]:
    """The header row and the rows of a chart's CSV, without the comment lines that name what it holds."""
    text = body.decode() if isinstance(body, bytes) else body
    return list(csv.reader(line for line in io.StringIO(text) if not line.startswith("#")))


def chart_comments(body: bytes | str) -> list[str]:
    """The comment lines at the top of a chart's CSV, without their "# "."""
    text = body.decode() if isinstance(body, bytes) else body
    return [line[2:].rstrip("\r\n") for line in io.StringIO(text) if line.startswith("# ")]
