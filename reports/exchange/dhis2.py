"""A year of official figures as a DHIS2 dataValueSet (JSON or CSV), from indicators.figures.rollup.

The values are `rollup.data_values()` (verified entries only) written in DHIS2's terms
(indicators.models.exchange explains the mapping; reports.exchange.dhis2_metadata writes the
metadata package that creates every object they name). The shapes are dhis2-core's own
(docs/dhis2.md cites the classes):

- json: a DataValueSet: `dataSet` (the plan's data set), `completeDate` (the day of the export)
  and `dataValues`;
- json-values: `{"dataValues": [...]}` alone, the one-key payload that dhis2.py's
  `post_partitioned` requires (it refuses any other key beside the list it splits);
- csv: DHIS2's columns, by position, under a header in DHIS2's current names.

The id schemes are never in the payload: DHIS2 takes them as the import's query parameters
(`import_path`), e.g. `POST /api/dataValueSets?idScheme=CODE`.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.figures.rollup import DataValue, data_values
from indicators.models import MILESTONE_SCORE, Kind
from indicators.models.exchange import (
    AGE,
    DEFAULT_COMBO,
    DEFAULT_COMBO_UID,
    SCORE_STATUS,
    SEX,
    data_set_code,
    element_codes,
    stable_uid,
    uid_maps,
)
from programs.models import Plan, Region

FORMATS = ("json", "json-values", "csv")
SCHEMES = ("code", "uid")
# DHIS2's CSV columns in its current names (dhis2-core reads them by position and skips the header)
CSV_HEADER = [
    *["dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo"],
    *["value", "storedBy", "lastUpdated", "comment", "followUp"],
]
assert set(SCORE_STATUS.values()) == set(MILESTONE_SCORE)


class UnmappedError(ValueError):
    """An export by uid needs a uid for every identifier it uses."""


@dataclass
class Row:
    element: str
    period: str
    org_unit: str
    combo: str
    value: str


def _rows(plan: Plan, value: DataValue, places: dict[int, str]) -> list[Row]:
    indicator = value.indicator
    codes = element_codes(indicator.code, indicator.kind)
    period = str(value.period)
    org_unit = places[value.kecamatan_id] if value.kecamatan_id else plan.region.code
    rows = []

    def add(element: str, number, combo: str = DEFAULT_COMBO) -> None:
        if number is not None and number != "":
            rows.append(Row(element, period, org_unit, combo, str(number)))

    kind = indicator.kind
    if kind == Kind.PERCENT:
        add(codes["numerator"], value.numerator)
        add(codes["denominator"], value.denominator)
    elif kind == Kind.COVERAGE:
        add(codes["value"], 1)
    elif kind == Kind.MILESTONE:
        add(codes["value"], MILESTONE_SCORE.get(value.milestone_status))
    elif kind == Kind.QUALITATIVE:
        add(codes["value"], value.narrative)
    else:
        add(codes["value"], value.value)
        for part, combo in SEX.items():
            if "sex" in codes:
                add(codes["sex"], getattr(value, part), combo)
        for part, combo in AGE.items():
            if "age" in codes:
                add(codes["age"], getattr(value, part), combo)
    return rows


def data_value_rows(plan: Plan, year: int, scheme: str = "code") -> list[Row]:
    """The year's data values; with scheme "uid", every identifier replaced by its mapped uid."""
    places = dict(Region.objects.filter(parent=plan.region).values_list("id", "code"))
    rows = [row for value in data_values(plan, year) for row in _rows(plan, value, places)]
    if scheme == "uid":
        rows = _to_uids(rows)
    return rows


def _to_uids(rows: list[Row]) -> list[Row]:
    maps = uid_maps()
    maps["categoryOptionCombo"].setdefault(DEFAULT_COMBO, DEFAULT_COMBO_UID)
    missing: dict[str, set[str]] = {"dataElement": set(), "orgUnit": set(), "categoryOptionCombo": set()}

    def uid(kind: str, code: str) -> str:
        if code not in maps[kind]:
            missing[kind].add(code)
        return maps[kind].get(code, code)

    converted = [
        Row(
            uid("dataElement", r.element),
            r.period,
            uid("orgUnit", r.org_unit),
            uid("categoryOptionCombo", r.combo),
            r.value,
        )
        for r in rows
    ]
    unmapped = [f"{kind}: {', '.join(sorted(codes))}" for kind, codes in missing.items() if codes]
    if unmapped:
        raise UnmappedError(
            _("No DHIS2 uid is mapped for %(codes)s. Map them in the admin (DHIS2 mappings) or export by code.")
            % {"codes": "; ".join(unmapped)}
        )
    return converted


def data_set_id(plan: Plan, scheme: str) -> str:
    """The plan's data set by code, or by uid: the mapped one, else the metadata package's."""
    code = data_set_code(plan)
    if scheme == "code":
        return code
    return uid_maps()["dataSet"].get(code) or stable_uid("dataSet", code)


def import_path(scheme: str, fmt: str = "json") -> str:
    """Where and how DHIS2 takes the file: the id scheme as the import's query parameter."""
    content_type = "application/csv" if fmt == "csv" else "application/json"
    return f"POST /api/dataValueSets?idScheme={scheme.upper()} (Content-Type: {content_type})"


def build(
    plan: Plan, year: int, fmt: str = "json", scheme: str = "code", complete_date: datetime.date | None = None
) -> bytes:
    """The dataValueSet as bytes; ValueError for a year outside the plan or an unknown format.

    `complete_date` (default: today) is the DataValueSet's completeDate: the day the figures were
    taken as complete, the day of the export."""
    if fmt not in FORMATS:
        raise ValueError(_("Unknown format “%(format)s”: choose json, json-values or csv.") % {"format": fmt})
    if not plan.contains_year(year):
        raise ValueError(
            _("The year %(year)s is outside the plan (%(start)s–%(end)s).")
            % {"year": year, "start": plan.start_year, "end": plan.end_year}
        )
    rows = data_value_rows(plan, year, scheme)
    attribute = DEFAULT_COMBO if scheme == "code" else DEFAULT_COMBO_UID
    if fmt in ("json", "json-values"):
        payload = {}
        if fmt == "json":
            payload["dataSet"] = data_set_id(plan, scheme)
            payload["completeDate"] = (complete_date or timezone.localdate()).isoformat()
        payload["dataValues"] = [
            {
                "dataElement": r.element,
                "period": r.period,
                "orgUnit": r.org_unit,
                "categoryOptionCombo": r.combo,
                "attributeOptionCombo": attribute,
                "value": r.value,
            }
            for r in rows
        ]
        return (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow([r.element, r.period, r.org_unit, r.combo, attribute, r.value, "", "", "", ""])
    return out.getvalue().encode()
