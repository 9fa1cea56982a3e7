"""An upload's rows as the preview checked them, kept beside the pending upload so its pages read them.

The first look at the preview checks every row (indicators.intake.progress.import_file, a dry run); what the
preview shows of each row (its number, code, period, kecamatan, errors and the data checks' warnings, and
every value of a refused row, for the refused-rows file) is then stored in the uploads' storage as JSON
(`SessionUploads.keep_checked`), in the language it was checked in, and every further page of the preview
(the next hundred rows, all the rows, the refused rows' file) reads it instead of checking 5,000 rows again.
The confirmation still checks every row again in its job: the data may have changed since.
"""

import json
from dataclasses import dataclass, field

from indicators.intake.progress import ImportResult, RowOutcome, RowSelections


@dataclass
class CheckedRow:
    row: int
    code: str
    period: str
    kecamatan: str  # the kecamatan's name when it was found, else as typed
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)  # {"message": …}, as the template reads a DataWarning
    values: dict[str, str] = field(default_factory=dict)  # a refused row's values, for the refused-rows file

    @property
    def ok(self) -> bool:
        return not self.errors

    def outcome(self) -> RowOutcome:
        """The refused row as indicators.intake.refused writes it back."""
        return RowOutcome(self.row, self.values, list(self.errors))


@dataclass
class CheckedRows(RowSelections):  # what the preview shows, as ImportResult names it
    rows: list[CheckedRow]

    @classmethod
    def from_result(cls, result: ImportResult) -> "CheckedRows":
        rows = []
        for outcome in result.rows:
            kecamatan = outcome.entry.kecamatan if outcome.entry is not None else None
            rows.append(
                CheckedRow(
                    row=outcome.row,
                    code=outcome.values.get("code", ""),
                    period=outcome.values.get("period", ""),
                    kecamatan=kecamatan.name if kecamatan is not None else outcome.values.get("kecamatan", ""),
                    errors=[(column, str(message)) for column, message in outcome.errors],
                    warnings=[{"message": str(warning.message)} for warning in outcome.warnings],
                    values=dict(outcome.values) if outcome.errors else {},
                )
            )
        return cls(rows)

    def dumps(self) -> bytes:
        return json.dumps([row.__dict__ for row in self.rows], ensure_ascii=False).encode()

    @classmethod
    def loads(cls, data: bytes) -> "CheckedRows":
        rows = []
        for item in json.loads(data):
            item["errors"] = [tuple(error) for error in item["errors"]]
            rows.append(CheckedRow(**item))
        return cls(rows)
