"""Spreadsheet import of progress entries (the file format is a contract: docs/import-format.md).

A file is read into rows of text, each row becomes an unsaved ProgressEntry
and is checked with ProgressEntry.clean() and its fields' own rules (the rules
live there, nowhere else) and against existing and earlier rows for double
entries. Nothing is saved unless every row is good: one bad row means the whole
file is refused, with every bad row and column named.

At the speed of the database: the references (indicators, kecamatan, the
entries a row could repeat) are looked up once per file, every rule is checked
in Python, and the rows and their audit records are written with one bulk
insert each. A file of 5,000 rows costs the same dozen queries as a file of 5
(on SQLite, one insert per batch of rows that fits its 999 parameters). The
database's constraints stay as the backstop: a row they refuse rolls the whole
file back.
"""

import csv
import datetime
import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators.documents.zipbudget import OverBudget, ZipBudget, check_zip
from indicators.models import KIND_FIELDS, EntryStatus, ImportReceipt, Indicator, Kind, ProgressEntry
from indicators.models.roles import can_enter, can_verify
from indicators.tallies import entry_totals
from indicators.workflow.checks import DataWarning, check_entries, record_import_warnings
from programs.access import acts_in
from programs.models import Agency, Plan, Region
from programs.periods import Period

COLUMNS = (
    "code",
    "period",
    "kecamatan",
    "value",
    "male",
    "female",
    "child",
    "adult",
    "numerator",
    "denominator",
    "status",
    "date",
    "narrative",
)
REQUIRED_COLUMNS = ("code", "period")
# The column the file of refused rows adds (indicators.intake.refused); read back, it is ignored, so the
# file can be fixed and uploaded again as it is.
ERROR_COLUMN = "error"
NUMBER_COLUMNS = ("value", "male", "female", "child", "adult", "numerator", "denominator")
COMMON_COLUMNS = {"code", "period", "kecamatan", "date", "narrative"}
# Model field → spreadsheet column where the names differ.
FIELD_COLUMN = {"milestone_status": "status"}
# Columns each kind uses beyond the common ones, from the one list of the fields each kind uses
# (indicators.models.KIND_FIELDS); anything else must be left empty.
KIND_COLUMNS: dict[str, set[str]] = {
    kind: {FIELD_COLUMN.get(name, name) for name in fields} & set(COLUMNS) - COMMON_COLUMNS
    for kind, fields in KIND_FIELDS.items()
}
assert set(KIND_COLUMNS) == set(Kind.values)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# What a workbook may unpack to before openpyxl reads it (indicators.documents.zipbudget): room for 5,000 rows with
# long narratives and a few other sheets, while a file that would take the server's memory is refused first.
XLSX_BUDGET = ZipBudget(
    unpacked_bytes=32 * 1024 * 1024, ratio=100, parts=500, rows=4 * MAX_ROWS, cells=200_000, columns=100
)
IMPORT_STATUSES = (EntryStatus.DRAFT, EntryStatus.SUBMITTED, EntryStatus.VERIFIED)

# Set from objects looked up once per file, so never checked again row by row.
RESOLVED_FIELDS = ("indicator", "agency", "kecamatan", "created_by", "submitted_by", "verified_by")

# Model field → spreadsheet column, for naming the column of a model error.
FIELD_COLUMNS = {
    "indicator": "code",
    "agency": "code",
    "year": "period",
    "semester": "period",
    "milestone_status": "status",
    "place": "kecamatan",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, bad header, too big)."""


@dataclass
class RowOutcome:
    row: int  # as in the spreadsheet: the header is row 1
    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column or "", message)
    entry: ProgressEntry | None = None
    warnings: list[DataWarning] = field(default_factory=list)  # data checks to explain (indicators.workflow.checks)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, column: str, message: str) -> None:
        self.errors.append((column, str(message)))


class RowSelections:
    """The rows of a checked file by what became of them (`self.rows`: each with `ok`, `errors`, `warnings`):
    the import's result and the rows as checked and kept beside a pending upload (intake.checked) read them alike."""

    @property
    def warned_rows(self) -> list:
        return [row for row in self.rows if row.warnings]

    @property
    def ok(self) -> bool:
        """Every row is good: the whole file can be saved."""
        return bool(self.rows) and all(row.ok for row in self.rows)

    @property
    def bad_rows(self) -> list:
        return [row for row in self.rows if not row.ok]

    @property
    def good_rows(self) -> list:
        return [row for row in self.rows if row.ok]

    @property
    def problem_rows(self) -> list:
        """The rows a person has to look at: with errors, or flagged by a data check."""
        return [row for row in self.rows if row.errors or row.warnings]


@dataclass
class ImportResult(RowSelections):
    rows: list[RowOutcome]
    saved: int = 0
    needs_comment: bool = False  # good rows, but flagged by data checks and not explained: nothing saved
    valid_only: bool = False  # the importer chose to save the good rows and leave the bad ones out

    @property
    def savable(self) -> bool:
        """All or nothing unless the importer chose `valid_only`: then any good row is saved without the bad."""
        return self.ok or (self.valid_only and any(row.ok for row in self.rows))


# --- reading -----------------------------------------------------------------


def sniff_format(data: bytes) -> str:
    """'xlsx' or 'csv', judged by content, never by the file's name."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            raise ImportFileError(_("The file is damaged: it looks like an Excel file but cannot be opened.")) from None
        if "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names):
            try:
                check_zip(data, XLSX_BUDGET)
            except OverBudget as error:
                raise ImportFileError(str(error)) from None
            return "xlsx"
        raise ImportFileError(_("The file is a ZIP archive but not an Excel workbook (.xlsx)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8 text.")
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8 text."))
    return "csv"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells as text) for every row, the header first (row 1)."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    if sniff_format(data) == "xlsx":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of errors on a broken workbook
            raise ImportFileError(_("The Excel file cannot be read; save it again as .xlsx and retry.")) from None
        try:
            sheet = workbook.worksheets[0]
            # Files from other tools may state a wrong size: read what is there.
            sheet.reset_dimensions()
            rows = []
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                rows.append((number, [_cell_text(value) for value in cells]))
                if len(rows) > MAX_ROWS + 1:
                    break
        except Exception:  # a broken sheet fails while it is read, not when the workbook opens
            raise ImportFileError(_("The Excel file cannot be read; save it again as .xlsx and retry.")) from None
        finally:
            workbook.close()
    else:
        text = data.decode("utf-8-sig")
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        for number, cells in enumerate(reader, start=1):
            rows.append((number, [cell.strip() for cell in cells]))
            if len(rows) > MAX_ROWS + 1:
                break
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(_("The file has more than %(count)s rows; split it.") % {"count": MAX_ROWS})
    return rows


def parse_header(cells: list[str]) -> dict[str, int]:
    """Column name → index. Unknown, repeated or missing required columns are an error."""
    columns: dict[str, int] = {}
    problems = []
    for index, raw in enumerate(cells):
        name = raw.strip().lower()
        if not name or name == ERROR_COLUMN:
            continue
        if name not in COLUMNS:
            problems.append(_("Unknown column “%(name)s”.") % {"name": raw.strip()})
        elif name in columns:
            problems.append(_("The column “%(name)s” appears twice.") % {"name": name})
        else:
            columns[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            problems.append(_("The column “%(name)s” is missing.") % {"name": name})
    if problems:
        allowed = ", ".join(COLUMNS)
        problems.append(_("The allowed columns are: %(columns)s.") % {"columns": allowed})
        raise ImportFileError(" ".join(problems))
    return columns


def read_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The data rows as {column: text}, skipping blank rows."""
    table = read_table(data)
    if not table:
        raise ImportFileError(_("The file is empty."))
    # The header is the first row that is not blank (normally row 1).
    while table and not any(table[0][1]):
        table = table[1:]
    if not table:
        raise ImportFileError(_("The file is empty."))
    columns = parse_header(table[0][1])
    ignored = {i for i, raw in enumerate(table[0][1]) if raw.strip().lower() == ERROR_COLUMN}
    named = set(columns.values())
    rows = []
    for number, cells in table[1:]:
        if not any(cell for i, cell in enumerate(cells) if i not in ignored):
            continue
        stray = [i for i, cell in enumerate(cells) if cell and i not in named | ignored]
        if stray:
            raise ImportFileError(
                _("Row %(row)s has a value in column %(col)s, which has no name in the header.")
                % {"row": number, "col": stray[0] + 1}
            )
        values = {name: (cells[index] if index < len(cells) else "") for name, index in columns.items()}
        rows.append((number, values))
    if not rows:
        raise ImportFileError(_("The file has a header but no rows to import."))
    return rows


# --- checking ----------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


class Lookups:
    """The plan's indicators and kecamatan, fetched once per file."""

    def __init__(self, plan: Plan):
        self.plan = plan
        indicators = Indicator.objects.filter(plan=plan).select_related("plan__region", "agency")
        self.indicators = {indicator.code.lower(): indicator for indicator in indicators}
        kecamatan = list(Region.objects.filter(parent=plan.region, level=Region.Level.KECAMATAN))
        self.kecamatan = {place.code: place for place in kecamatan}
        self.kecamatan.update({_squash(place.name): place for place in kecamatan})

    def find_kecamatan(self, text: str) -> Region | None:
        squashed = _squash(text)
        if squashed.startswith("kecamatan"):
            squashed = squashed.removeprefix("kecamatan")
        return self.kecamatan.get(text.strip()) or self.kecamatan.get(squashed)


def _whole_number(text: str) -> int:
    cleaned = text.strip().replace(" ", "")
    if not re.fullmatch(r"[+-]?\d+", cleaned):
        raise ValueError
    return int(cleaned)


def _default_date(period: Period) -> datetime.date:
    return min(period.end, timezone.localdate())


def build_entry(
    outcome: RowOutcome,
    lookups: Lookups,
    *,
    user,
    status: str,
    agency: Agency | None,
    agency_must_match: bool,
) -> ProgressEntry | None:
    """An unsaved entry for the row, or None with the row's errors recorded."""
    values = outcome.values
    code = values.get("code", "")
    indicator = lookups.indicators.get(code.strip().lower()) if code else None
    if not code:
        outcome.add("code", _("Enter the indicator code."))
    elif indicator is None:
        outcome.add(
            "code",
            _("Unknown indicator code “%(code)s” in %(plan)s.") % {"code": code, "plan": lookups.plan.name},
        )
    elif agency_must_match and agency is not None and indicator.agency_id != agency.pk:
        outcome.add(
            "code",
            _("Indicator %(code)s is reported by %(owner)s; you can import only for %(agency)s.")
            % {"code": indicator.code, "owner": indicator.agency.short_name, "agency": agency.short_name},
        )

    period = None
    if not values.get("period"):
        outcome.add("period", _("Enter the period, like 2021S1."))
    else:
        try:
            period = Period.parse(values["period"])
        except ValueError as error:
            outcome.add("period", str(error))
        else:
            if period.semester is None:
                outcome.add("period", _("Give a semester, like %(year)sS1 or %(year)sS2.") % {"year": period.year})
                period = None

    kecamatan = None
    if values.get("kecamatan"):
        kecamatan = lookups.find_kecamatan(values["kecamatan"])
        if kecamatan is None:
            outcome.add(
                "kecamatan",
                _("Unknown kecamatan “%(value)s”: use a Kemendagri code (like 53.03.08) or a name of %(region)s.")
                % {"value": values["kecamatan"], "region": lookups.plan.region.name},
            )

    numbers: dict[str, int | None] = {}
    for column in NUMBER_COLUMNS:
        text = values.get(column, "")
        numbers[column] = None
        if text:
            try:
                numbers[column] = _whole_number(text)
            except ValueError:
                outcome.add(column, _("“%(value)s” is not a whole number.") % {"value": text})

    day = None
    if values.get("date"):
        try:
            day = datetime.date.fromisoformat(values["date"].strip())
        except ValueError:
            outcome.add("date", _("“%(value)s” is not a date like 2021-03-31.") % {"value": values["date"]})
    elif period is not None:
        day = _default_date(period)

    if indicator is not None:
        used = COMMON_COLUMNS | KIND_COLUMNS[indicator.kind]
        for column in COLUMNS:
            if column not in used and values.get(column):
                outcome.add(
                    column,
                    _("Leave this column empty: a %(kind)s indicator does not use it.")
                    % {"kind": indicator.get_kind_display().lower()},
                )

    if indicator is None or period is None or not outcome.ok:
        return None

    now = timezone.now()
    entry = ProgressEntry(
        indicator=indicator,
        agency=agency or indicator.agency,
        year=period.year,
        semester=period.semester,
        date=day,
        kecamatan=kecamatan,
        milestone_status=values.get("status", "").strip().lower(),
        narrative=values.get("narrative", "").strip(),
        status=status,
        created_by=user,
        created_at=now,
        **numbers,
    )
    if status in (EntryStatus.SUBMITTED, EntryStatus.VERIFIED):
        entry.submitted_by, entry.submitted_at = user, now
    if status == EntryStatus.VERIFIED:
        entry.verified_by, entry.verified_at = user, now
    try:
        # The foreign keys point at objects just looked up, so their per-row existence queries are
        # skipped; so are the database checks of unique fields and constraints (a query each per
        # row): ProgressEntry.clean() states those rules in Python, duplicates are found per file
        # below, and the constraints still guard the insert.
        entry.full_clean(exclude=RESOLVED_FIELDS, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = "" if name == NON_FIELD_ERRORS else FIELD_COLUMNS.get(name, name)
            for message in messages:
                outcome.add(column, message)
        return None
    return entry


# The fields ProgressEntry.duplicates() compares.
FINGERPRINT = (
    "indicator_id",
    "year",
    "semester",
    "kecamatan_id",
    "date",
    "value",
    "numerator",
    "denominator",
    "milestone_status",
)


def _fingerprint(entry: ProgressEntry) -> tuple:
    return tuple(getattr(entry, name) for name in FINGERPRINT)


def existing_fingerprints(entries: list[ProgressEntry]) -> set[tuple]:
    """The fingerprints of saved entries of the same indicators and years, in one query."""
    if not entries:
        return set()
    saved = ProgressEntry.objects.filter(
        indicator_id__in={entry.indicator_id for entry in entries}, year__in={entry.year for entry in entries}
    )
    return set(saved.values_list(*FINGERPRINT).order_by())


def check_rows(
    rows: list[tuple[int, dict[str, str]]],
    *,
    plan: Plan,
    user,
    status: str = EntryStatus.DRAFT,
    agency: Agency | None = None,
    agency_must_match: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Every row's outcome; good rows carry their unsaved entry. `progress(rows checked, rows)` as it goes."""
    lookups = Lookups(plan)
    built = []
    for number, values in rows:
        if progress:
            progress(len(built), len(rows))
        outcome = RowOutcome(number, values)
        entry = build_entry(
            outcome, lookups, user=user, status=status, agency=agency, agency_must_match=agency_must_match
        )
        built.append((outcome, entry))
    existing = existing_fingerprints([entry for _outcome, entry in built if entry is not None])
    seen: dict[tuple, int] = {}
    for outcome, entry in built:
        if entry is None:
            continue
        key = _fingerprint(entry)
        if key in seen:
            outcome.add("", _("This row repeats row %(row)s of the file.") % {"row": seen[key]})
        elif key in existing:
            outcome.add("", _("An identical entry already exists (same indicator, period, place, date and numbers)."))
        else:
            seen[key] = outcome.row
            outcome.entry = entry
    outcomes = [outcome for outcome, _entry in built]
    attach_warnings(outcomes)
    return ImportResult(outcomes)


def attach_warnings(outcomes: list[RowOutcome]) -> None:
    """The data checks on the good rows, all at once (a fixed few queries, none per row)."""
    good = [outcome for outcome in outcomes if outcome.entry is not None]
    for outcome, warnings in zip(good, check_entries([o.entry for o in good]), strict=True):
        outcome.warnings = warnings


def log_import(rows: int, *, plan: Plan, user, status: str, agency: Agency | None) -> None:
    """One `tptto.workflow` log line once the import commits: how many rows, as what, by whom (ids only)."""
    fields = {
        "action": "import",
        "rows": rows,
        "status": status,
        "plan_id": plan.pk,
        "agency_id": agency.pk if agency else None,
        "user_id": user.pk,
    }
    transaction.on_commit(lambda: logging.getLogger("tptto.workflow").info("import", extra=fields))


def refuse_import(plan: Plan, user, status: str, *, statuses, error: type[Exception]) -> None:
    """Before an import reads its file: ValueError for a status the import never writes (a programming error),
    `error` with `import_refused`'s reason when the user may not import into the plan as `status`."""
    if status not in statuses:
        raise ValueError(f"cannot import entries as {status!r}")
    if refused := import_refused(plan, user, status):
        raise error(refused)


def import_refused(plan: Plan, user, status: str) -> str | None:
    """Why `user` may not import into `plan` as `status` (a draft or closed plan, another regency's, someone who
    neither enters nor verifies, verified entries from someone who does not verify); None if she may."""
    refused = plan.entries_refused()
    if refused is None and not acts_in(user, plan):
        refused = _("%(user)s cannot import into the plan “%(plan)s”: it belongs to another regency.") % {
            "user": user.get_username(),
            "plan": plan.code,
        }
    if refused is None and not (can_enter(user) or can_verify(user)):
        refused = _("%(user)s cannot enter or verify entries (a reviewer or an executive only reads).") % {
            "user": user.get_username()
        }
    if refused is None and status == EntryStatus.VERIFIED and not can_verify(user):
        refused = _("%(user)s cannot verify entries: import them as submitted, for a verifier to verify.") % {
            "user": user.get_username()
        }
    return refused


def import_file(
    data: bytes,
    *,
    plan: Plan,
    user,
    status: str = EntryStatus.DRAFT,
    agency: Agency | None = None,
    agency_must_match: bool = False,
    dry_run: bool = False,
    warning_comment: str = "",
    valid_only: bool = False,
    receipt: ImportReceipt | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportResult:
    """Check the file and, unless `dry_run` or any row is bad, save every row in one transaction.

    All or nothing by default. With `valid_only` (the importer's explicit choice) the good rows are saved
    and the bad ones left out (`result.bad_rows`; indicators.intake.refused writes them back as a file).

    Rows flagged by the data checks are saved only with `warning_comment`, the importer's
    explanation, which is kept with each flagged entry.

    `agency`: the agency every entry gets (None: each indicator's responsible
    agency). `agency_must_match`: refuse rows whose indicator belongs to
    another agency (an officer imports only for her own agency).
    Raises ImportFileError when the file itself cannot be read, or when the database refuses a
    row that passed every check (its constraints are the backstop): then nothing is saved.
    `receipt`: the confirmed import every saved entry remembers (undone with it). `progress(done,
    total, message)`: told the rows checked as the check goes, and when the rows are being saved.
    """
    refuse_import(plan, user, status, statuses=IMPORT_STATUSES, error=ImportFileError)
    rows = read_rows(data)
    try:
        with transaction.atomic():
            checked = (lambda done, total: progress(done, total, _("Checking the rows"))) if progress else None
            result = check_rows(
                rows,
                plan=plan,
                user=user,
                status=status,
                agency=agency,
                agency_must_match=agency_must_match,
                progress=checked,
            )
            result.valid_only = valid_only
            if result.savable and not dry_run and result.warned_rows and not warning_comment.strip():
                result.needs_comment = True
            elif result.savable and not dry_run:
                entries = [row.entry for row in result.good_rows]
                if progress:
                    progress(len(rows), len(rows), _("Saving the entries"))
                for entry in entries:
                    entry.import_receipt = receipt
                saved = bulk_create_with_history(
                    entries, ProgressEntry, default_user=user, default_change_reason=_("Spreadsheet import")
                )
                result.saved = len(saved)
                record_import_warnings(result.warned_rows, comment=warning_comment.strip(), user=user)
                Plan.bump_data_version(plan.pk)  # a bulk insert sends no signal
                entry_totals.refresh({entry.indicator_id for entry in entries})
                log_import(result.saved, plan=plan, user=user, status=status, agency=agency)
    except IntegrityError:
        raise ImportFileError(
            _("The database refused a row of the file, so nothing was saved. Check the numbers and try again.")
        ) from None
    return result
