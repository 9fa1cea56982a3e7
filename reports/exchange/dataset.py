"""The analysis dataset: every figure the rollup publishes, in tidy long format (docs/dataset.md).

One row per indicator × period × area × disaggregation × basis, built with pandas from
`indicators.figures.rollup` (compute() for the regency's figures and their sex and age splits,
kecamatan_table() for the kecamatan's): nothing is added up here. `official` true rows
count verified entries only; false rows count submitted entries too (not official).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pandas as pd
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font

from indicators.figures.rollup import Figure, Filters, IndicatorRollup, compute, kecamatan_table
from indicators.models import SPLIT_FIELDS
from programs.models import Plan, Region
from tptto_monitor.lib import cells

BOLD = Font(bold=True)

COLUMNS = [
    "plan",
    "indicator_code",
    "indicator",
    "pillar",
    "program",
    "activity",
    "kind",
    "unit",
    "agency",
    "period",
    "period_type",
    "area_code",
    "area",
    "area_level",
    "disaggregation",
    "official",
    "target",
    "value",
    "text",
    "entries",
]
NUMBER_COLUMNS = ["pillar", "target", "value", "entries"]
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _number(value: Decimal | int | None) -> float | None:
    return None if value is None else float(round(Decimal(value), 4))


def _text(figure: Figure) -> str:
    return figure.state_label or figure.text


class _Rows:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.rows: list[dict] = []

    def add(self, row: IndicatorRollup, period: str, period_type: str, area: Region, **values) -> None:
        indicator = row.indicator
        self.rows.append(
            {
                "plan": self.plan.code,
                "indicator_code": indicator.code,
                "indicator": indicator.text,
                "pillar": indicator.activity.program.pillar.number,
                "program": indicator.activity.program.code,
                "activity": indicator.activity.code,
                "kind": indicator.kind,
                "unit": indicator.unit,
                "agency": indicator.agency.short_name,
                "period": period,
                "period_type": period_type,
                "area_code": area.code,
                "area": area.name,
                "area_level": area.level,
                "disaggregation": "total",
                "target": None,
                "value": None,
                "text": "",
                "entries": None,
                **values,
            }
        )


def _regency_rows(out: _Rows, rollup, official: bool) -> None:
    plan = out.plan
    whole = f"{plan.start_year}-{plan.end_year}"
    for row in rollup.indicators:
        periods = [(whole, "plan", row.to_date, row.sex)]
        for year in plan.years:
            periods.append((str(year), "year", row.years[year], row.sex_years.get(year, {})))
            for period, figure in row.semesters.items():
                if period.year == year:
                    periods.append((str(period), "semester", figure, {}))
        for label, period_type, figure, split in periods:
            out.add(
                row,
                label,
                period_type,
                plan.region,
                official=official,
                target=_number(figure.target),
                value=_number(figure.actual),
                text=_text(figure),
                entries=figure.entries,
            )
            for part in SPLIT_FIELDS:
                if part in split:
                    out.add(
                        row, label, period_type, plan.region, official=official, disaggregation=part, value=split[part]
                    )


def _kecamatan_rows(out: _Rows, rollup, official: bool, as_of: datetime.date) -> None:
    plan = out.plan
    places = {r.id: r for r in Region.objects.filter(parent=plan.region, level=Region.Level.KECAMATAN)}
    by_id = {row.indicator.id: row for row in rollup.indicators}
    kinds = {iid: row.indicator.kind for iid, row in by_id.items()}
    spans = [(f"{plan.start_year}-{plan.end_year}", "plan", None)] + [(str(y), "year", y) for y in plan.years]
    for label, period_type, year in spans:
        table = kecamatan_table(plan, Filters(include_unverified=not official, year=year), kinds=kinds)
        for (indicator_id, kecamatan_id), figure in sorted(table.items(), key=lambda item: places[item[0][1]].code):
            out.add(
                by_id[indicator_id],
                label,
                period_type,
                places[kecamatan_id],
                official=official,
                value=_number(figure.value),
                entries=figure.entries,
            )


def dataframe(plan: Plan, as_of: datetime.date, language: str = "id") -> pd.DataFrame:
    """The dataset as a pandas DataFrame, sorted by indicator, period, area, disaggregation, basis."""
    out = _Rows(plan)
    with translation.override(language):
        for official in (True, False):
            rollup = compute(plan, Filters(include_unverified=not official), as_of=as_of)
            _regency_rows(out, rollup, official)
            _kecamatan_rows(out, rollup, official, as_of)
    frame = pd.DataFrame(out.rows, columns=COLUMNS)
    order = {row.indicator.code: n for n, row in enumerate(rollup.indicators)}
    period_rank = {"plan": 0, "year": 1, "semester": 1}
    frame["_i"] = frame["indicator_code"].map(order)
    frame["_p"] = frame["period_type"].map(period_rank)
    frame["_a"] = (frame["area_level"] != "kabupaten").astype(int)
    frame["_d"] = frame["disaggregation"].map({"total": 0, **{p: n for n, p in enumerate(SPLIT_FIELDS, 1)}})
    frame["_o"] = (~frame["official"]).astype(int)
    frame = frame.sort_values(["_i", "_p", "period", "_a", "area_code", "_d", "_o"], kind="stable")
    frame = frame.drop(columns=["_i", "_p", "_a", "_d", "_o"]).reset_index(drop=True)
    frame["entries"] = frame["entries"].astype("Int64")
    return frame


def build(plan: Plan, fmt: str, as_of: datetime.date, language: str = "id") -> bytes:
    """The dataset as CSV (UTF-8 with a byte-order mark, for Excel) or XLSX."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}: choose csv or xlsx.")
    frame = dataframe(plan, as_of, language)
    if fmt == "csv":
        # the names people typed (indicator, unit, agency, area, narrative) through the one CSV cell writer
        for column in frame.select_dtypes(include="object").columns:
            frame[column] = frame[column].map(lambda value: cells.text(value) if isinstance(value, str) else value)
        # whole numbers as whole numbers (5000, not pandas' 5000.0), decimals exactly
        for column in ("target", "value"):
            frame[column] = frame[column].map(cells.csv_value).astype(object)
        return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "dataset"
    cells.append_row(sheet, COLUMNS)
    for cell in sheet[1]:
        cell.font = BOLD
    for record in frame.astype(object).itertuples(index=False):
        cells.append_row(sheet, [_plain(value) for value in record])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain(value):
    """A pandas/numpy value as the Python value openpyxl writes (missing: an empty cell; a whole
    number as an integer, so the sheet holds 5000, not 5000.0)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def filename(plan: Plan, fmt: str) -> str:
    return f"{plan.code}-dataset.{fmt}"
