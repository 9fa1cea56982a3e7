"""Reading a DHIS2 dataValueSet (JSON or CSV, as export_dhis2 writes it) back into entries.

All or nothing, like the spreadsheet import: every value is checked, every bad one is
named (its position in the file, the field, what is wrong), and nothing is saved unless
all are good. Identifiers may be our codes or uids mapped in the admin (indicators.models.exchange).

DHIS2 values are sums, so one data value becomes one entry per indicator × semester ×
place, except where a number's sex and age splits cannot sit on one entry (the model
allows a split only when its parts add up to the number): then the number is cut into
a few entries whose values, sexes and ages add up to exactly the imported sums.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators.intake.progress import refuse_import
from indicators.models import KIND_FIELDS, EntryStatus, Indicator, Kind, ProgressEntry
from indicators.models.exchange import AGE, DEFAULT_COMBO, DEFAULT_COMBO_UID, SCORE_STATUS, SEX, element_codes, uid_maps
from indicators.tallies import entry_totals
from programs.models import Plan, Region
from programs.periods import Period

MAX_BYTES = 10 * 1024 * 1024
MAX_VALUES = 50_000
STATUSES = (EntryStatus.SUBMITTED, EntryStatus.VERIFIED)
COMBO_PART = {combo: part for part, combo in {**SEX, **AGE}.items()}


class Dhis2FileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class DataValueRow:
    where: str  # "value 3" (JSON) or "line 4" (CSV)
    element: str
    period: str
    org_unit: str
    combo: str
    attribute: str
    value: str


@dataclass
class Problem:
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}" if self.field else f"{self.where}: {self.message}"


@dataclass
class Dhis2ImportResult:
    values: int
    entries: list[ProgressEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    saved: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading -------------------------------------------------------------------------------------------------


def read_values(data: bytes) -> list[DataValueRow]:
    if len(data) > MAX_BYTES:
        raise Dhis2FileError(_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Dhis2FileError(_("The file is not UTF-8 text (DHIS2 JSON or CSV).")) from None
    rows = _read_json(text) if text.lstrip().startswith("{") else _read_csv(text)
    if not rows:
        raise Dhis2FileError(_("The file holds no data values."))
    if len(rows) > MAX_VALUES:
        raise Dhis2FileError(_("The file has more than %(count)s data values; split it.") % {"count": MAX_VALUES})
    return rows


def _read_json(text: str) -> list[DataValueRow]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise Dhis2FileError(_("The JSON cannot be read: %(error)s.") % {"error": error}) from None
    except RecursionError:  # [[[[…]]]] 100,000 deep: Python's parser gives up
        raise Dhis2FileError(_("The JSON is nested too deeply to be a DHIS2 file.")) from None
    values = payload.get("dataValues") if isinstance(payload, dict) else None
    if not isinstance(values, list):
        raise Dhis2FileError(_("A DHIS2 JSON file needs a “dataValues” list."))
    rows = []
    for number, item in enumerate(values, start=1):
        if not isinstance(item, dict):
            item = {}
        rows.append(
            DataValueRow(
                _("value %(n)s") % {"n": number},
                *(
                    str(item.get(key) or "").strip()
                    for key in ("dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo")
                ),
                "" if item.get("value") is None else str(item["value"]),
            )
        )
    return rows


def _read_csv(text: str) -> list[DataValueRow]:
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if number == 1 and cells[0].strip().lower() in ("dataelement", "data element", "de"):
            continue  # DHIS2 skips the header row; so do we
        cells = [*cells, *[""] * 6][:6]
        element, period, org_unit, combo, attribute, value = cells
        rows.append(
            DataValueRow(
                _("line %(n)s") % {"n": number},
                element.strip(),
                period.strip(),
                org_unit.strip(),
                combo.strip(),
                attribute.strip(),
                value,
            )
        )
    return rows


# --- checking ------------------------------------------------------------------------------------------------


class Lookups:
    """Our identifiers (codes) and the mapped uids, resolved to indicators, places and parts."""

    def __init__(self, plan: Plan):
        self.plan = plan
        maps = uid_maps()
        self.elements: dict[str, tuple[Indicator, str]] = {}
        for indicator in Indicator.objects.filter(plan=plan).select_related("plan__region", "agency"):
            for carries, code in element_codes(indicator.code, indicator.kind).items():
                self.elements[code] = (indicator, carries)
        for code, uid in maps["dataElement"].items():
            if code in self.elements:
                self.elements.setdefault(uid, self.elements[code])
        self.places: dict[str, Region | None] = {plan.region.code: None}
        for place in Region.objects.filter(parent=plan.region, level=Region.Level.KECAMATAN):
            self.places[place.code] = place
        for code, uid in maps["orgUnit"].items():
            if code in self.places:
                self.places.setdefault(uid, self.places[code])
        self.combos: dict[str, str] = {"": "", DEFAULT_COMBO: "", DEFAULT_COMBO_UID: "", **COMBO_PART}
        for code, uid in maps["categoryOptionCombo"].items():
            if code in self.combos:
                self.combos.setdefault(uid, self.combos[code])


@dataclass
class Group:
    """The values of one indicator in one semester at one place."""

    indicator: Indicator
    period: Period
    kecamatan: Region | None
    rows: list[DataValueRow] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)  # value, male, …, numerator, denominator
    text: str = ""
    bad: bool = False  # a value of it is already named as bad: no entry is built from it

    @property
    def where(self) -> str:
        return ", ".join(row.where for row in self.rows)


def _whole(text: str) -> int | None:
    text = text.strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() and len(text) <= 10 else None


def check_values(rows: list[DataValueRow], plan: Plan) -> tuple[list[Group], list[Problem]]:
    lookups = Lookups(plan)
    groups: dict[tuple, Group] = {}
    seen: dict[tuple, str] = {}
    problems: list[Problem] = []
    for row in rows:
        bad = len(problems)

        def problem(field_name: str, message: str, row=row) -> None:
            problems.append(Problem(row.where, field_name, message))

        element = lookups.elements.get(row.element)
        if element is None:
            problem(
                "dataElement", _("Unknown data element “%(id)s” in %(plan)s.") % {"id": row.element, "plan": plan.code}
            )
        period = None
        try:
            period = Period.parse(row.period)
        except ValueError:
            problem("period", _("“%(value)s” is not a six-monthly period like 2021S1.") % {"value": row.period})
        else:
            if period.semester is None:
                problem(
                    "period", _("“%(value)s” is a year; give a semester, like %(value)sS1.") % {"value": row.period}
                )
            elif not plan.contains_year(period.year):
                problem(
                    "period",
                    _("%(period)s is outside the plan (%(start)s–%(end)s).")
                    % {"period": period, "start": plan.start_year, "end": plan.end_year},
                )
        if row.org_unit not in lookups.places:
            problem(
                "orgUnit",
                _("Unknown org unit “%(id)s”: use the Kemendagri code of %(region)s or of one of its kecamatan.")
                % {"id": row.org_unit, "region": plan.region.name},
            )
        if row.combo not in lookups.combos:
            problem("categoryOptionCombo", _("Unknown category option combo “%(id)s”.") % {"id": row.combo})
        if row.attribute not in ("", DEFAULT_COMBO, DEFAULT_COMBO_UID):
            problem("attributeOptionCombo", _("Only the default attribute option combo is used here."))
        if len(problems) > bad:
            continue
        indicator, carries = element
        place = lookups.places[row.org_unit]
        part = lookups.combos[row.combo]
        key = (row.element, str(period), row.org_unit, row.combo)
        if key in seen:
            problem("", _("This value repeats %(where)s.") % {"where": seen[key]})
            continue
        seen[key] = row.where
        group = groups.setdefault((indicator.id, period, place.id if place else None), Group(indicator, period, place))
        group.rows.append(row)
        _read_value(group, carries, part, row, problem)
        group.bad = group.bad or len(problems) > bad
    return list(groups.values()), problems


def _read_value(group: Group, carries: str, part: str, row: DataValueRow, problem) -> None:
    kind = group.indicator.kind
    expected = {"sex": set(SEX), "age": set(AGE)}.get(carries, {""})
    if part not in expected:
        problem("categoryOptionCombo", _("This data element does not take the combo “%(id)s”.") % {"id": row.combo})
        return
    if "kecamatan" not in KIND_FIELDS[kind] and group.kecamatan is not None:
        problem(
            "orgUnit", _("A %(kind)s is reported for the whole regency.") % {"kind": group.indicator.get_kind_display()}
        )
        return
    if kind == Kind.QUALITATIVE:
        if not row.value.strip():
            problem("value", _("The narrative is empty."))
        group.text = row.value.strip()
        return
    number = _whole(row.value)
    if number is None:
        problem("value", _("“%(value)s” is not a whole number of 0 or more.") % {"value": row.value})
        return
    if kind == Kind.MILESTONE and number not in SCORE_STATUS:
        problem("value", _("A milestone is 0, 50 or 100 (not started, in progress, achieved)."))
        return
    if kind == Kind.COVERAGE:
        if group.kecamatan is None:
            problem("orgUnit", _("Coverage is counted per kecamatan: give a kecamatan's code."))
            return
        if number != 1:
            problem("value", _("Coverage is 1 for a kecamatan reached."))
            return
    group.numbers[part or carries] = number


# --- building entries ----------------------------------------------------------------------------------------


def _pieces(numbers: dict[str, int]) -> list[dict[str, int]]:
    """Entries whose values and sex and age parts add up to the group's sums (see the module's docstring).

    Sexes are rows, ages columns, both padded with an "unknown" share so that each adds up to
    the number; the north-west corner rule fills the table, and every non-empty cell is an
    entry carrying one sex and one age. A split that fits the number as it is stays one entry.
    """
    total = numbers.get("value", 0)
    sexes = {p: numbers[p] for p in SEX if p in numbers}
    ages = {p: numbers[p] for p in AGE if p in numbers}
    fits_sex = not sexes or (len(sexes) == 2 and sum(sexes.values()) == total) or len(sexes) == 1
    fits_age = not ages or (len(ages) == 2 and sum(ages.values()) == total) or len(ages) == 1
    if fits_sex and fits_age and not (len(sexes) == 2 and len(ages) == 2) or total == 0:
        return [numbers]
    rows = [*sexes.items(), (None, total - sum(sexes.values()))]
    cols = [*ages.items(), (None, total - sum(ages.values()))]
    rows = [[name, left] for name, left in rows if left > 0]
    cols = [[name, left] for name, left in cols if left > 0]
    pieces, i, j = [], 0, 0
    while i < len(rows) and j < len(cols):
        amount = min(rows[i][1], cols[j][1])
        piece = {"value": amount}
        if rows[i][0]:
            piece[rows[i][0]] = amount
        if cols[j][0]:
            piece[cols[j][0]] = amount
        pieces.append(piece)
        rows[i][1] -= amount
        cols[j][1] -= amount
        i += rows[i][1] == 0
        j += cols[j][1] == 0
    return pieces


def _group_problems(group: Group) -> list[Problem]:
    numbers, total = group.numbers, group.numbers.get("value")
    problems = []
    kind = group.indicator.kind
    if Kind(kind).takes_number and total is None:
        problems.append(Problem(group.where, "value", _("The split comes without the number it splits.")))
    for pair, label in ((SEX, _("men and women")), (AGE, _("children and adults"))):
        parts = sum(numbers.get(p, 0) for p in pair)
        if total is not None and parts > total:
            problems.append(
                Problem(
                    group.where,
                    "value",
                    _("The %(parts)s (%(sum)s) exceed the number (%(value)s).")
                    % {"parts": label, "sum": parts, "value": total},
                )
            )
    if kind == Kind.PERCENT and ("numerator" in numbers) != ("denominator" in numbers):
        problems.append(Problem(group.where, "dataElement", _("A percentage needs both its NUM and DEN values.")))
    return problems


def build_entries(groups: list[Group], *, user, status: str) -> tuple[list[ProgressEntry], list[Problem]]:
    entries, problems = [], []
    now = timezone.now()
    today = timezone.localdate()
    for group in groups:
        if group.bad:
            continue
        found = _group_problems(group)
        if found:
            problems += found
            continue
        kind = group.indicator.kind
        if kind == Kind.MILESTONE:
            pieces = [{"milestone_status": SCORE_STATUS[group.numbers["value"]]}]
        elif kind == Kind.QUALITATIVE:
            pieces = [{"narrative": group.text}]
        elif kind == Kind.COVERAGE:
            pieces = [{}]
        elif kind == Kind.PERCENT:
            pieces = [group.numbers]
        else:
            pieces = _pieces(group.numbers)
        for piece in pieces:
            entry = ProgressEntry(
                indicator=group.indicator,
                agency_id=group.indicator.agency_id,
                year=group.period.year,
                semester=group.period.semester,
                date=min(group.period.end, today),
                kecamatan=group.kecamatan,
                status=status,
                created_by=user,
                created_at=now,
                submitted_by=user,
                submitted_at=now,
                **piece,
            )
            if status == EntryStatus.VERIFIED:
                entry.verified_by, entry.verified_at = user, now
            try:
                entry.full_clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    for message in messages:
                        problems.append(Problem(group.where, "" if name == NON_FIELD_ERRORS else name, message))
                break
            if entry.duplicates().exists():
                problems.append(
                    Problem(group.where, "", _("An identical entry already exists: was this file imported before?"))
                )
                break
            entries.append(entry)
    return entries, problems


def import_values(
    data: bytes, *, plan: Plan, user, status: str = EntryStatus.SUBMITTED, dry_run: bool = False
) -> Dhis2ImportResult:
    """Check the file and, unless `dry_run` or anything is wrong, save every entry in one transaction."""
    refuse_import(plan, user, status, statuses=STATUSES, error=Dhis2FileError)
    rows = read_values(data)
    with transaction.atomic():
        groups, problems = check_values(rows, plan)
        entries, more = build_entries(groups, user=user, status=status)
        result = Dhis2ImportResult(len(rows), entries, problems + more)
        if result.ok and not dry_run:
            saved = bulk_create_with_history(
                entries, ProgressEntry, default_user=user, default_change_reason=_("DHIS2 import")
            )
            result.saved = len(saved)
            Plan.bump_data_version(plan.pk)  # a bulk insert sends no signal
            entry_totals.refresh({entry.indicator_id for entry in entries})
    return result
