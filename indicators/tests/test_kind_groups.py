"""Each rule of a kind is stated once, on `Kind`, and every reader follows it: the plan file's check of a
missing target (Kind.is_targeted) and of annual targets that must add up (Kind.is_split). The kinds each
rule covers are listed here by hand from DESIGN.md, so changing a group on `Kind` fails a test."""

import csv
import io

import pytest
from django.utils import translation

from indicators.models import Kind
from indicators.plans.plan_file import COLUMNS
from indicators.plans.plan_import import parse_plan_file
from indicators.tests.plan_helpers import make_regency

NEEDS_A_TARGET = {"count", "coverage", "percent", "milestone", "periodic", "level"}
ANNUAL_TARGETS_ADD_UP = {"count", "coverage", "periodic"}  # things, places, deliverables: whole units per year
YEARS = (2023, 2024)


def plan_file(kind: str, target: str, annual: tuple[str, str] = ("", "")) -> bytes:
    header = [
        *COLUMNS[: COLUMNS.index("target") + 1],
        "target_2023",
        "target_2024",
        *COLUMNS[COLUMNS.index("target") + 1 :],
    ]
    row = dict.fromkeys(header, "")
    row.update(
        pillar="1", pillar_name_id="Pencegahan", program="a", program_name_id="Sosialisasi", activity="1",
        activity_name_id="Sosialisasi", code="1.a.1.1", text_id="Indikator", kind=kind, unit_id="orang",
        target=target, target_2023=annual[0], target_2024=annual[1], agency="dinsos",
        agency_name_id="Dinas Sosial", due_year="2024" if kind == "milestone" else "",
    )  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue().encode()


def messages(data: bytes, region) -> list[str]:
    with translation.override("en"):
        return [
            f"{column}: {message}" for _row, column, message in parse_plan_file(data, years=YEARS, region=region).errors
        ]


@pytest.fixture
def regency(db):
    return make_regency("53.04", "Belu")


@pytest.mark.parametrize("kind", Kind.values)
def test_a_missing_target_is_refused_for_exactly_the_kinds_with_a_target(regency, kind):
    found = [m for m in messages(plan_file(kind, ""), regency) if "needs a plan target" in m]
    assert bool(found) is (kind in NEEDS_A_TARGET)


@pytest.mark.parametrize("kind", ["count", "coverage", "periodic", "percent", "level"])
def test_annual_targets_must_add_up_for_exactly_the_split_kinds(regency, kind):
    # 40 + 50 = 90 against a plan target of 100: wrong for things counted, right for a rate or a level to hold
    found = [m for m in messages(plan_file(kind, "100", ("40", "50")), regency) if "add up to 90" in m]
    assert bool(found) is (kind in ANNUAL_TARGETS_ADD_UP)
