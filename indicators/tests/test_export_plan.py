"""`export_plan`: the plan file (docs/plan-format.md) read back as a spreadsheet would, against the fixture."""

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from indicators.models import Indicator

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "plan_rad_ttu_2018_2022.json"


def fixture_indicators() -> dict[str, dict]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    out = {}
    for pillar in data["pillars"]:
        for program in pillar["programs"]:
            for activity in program["activities"]:
                for spec in activity["indicators"]:
                    code = f"{pillar['number']}.{program['letter']}.{activity['number']}.{spec['number']}"
                    out[code] = {**spec, "pillar": pillar, "program": program, "activity": activity}
    return out


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def read_xlsx(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path).active
    values = list(ws.iter_rows(values_only=True))
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape"
    return [{h: ("" if v is None else str(v)) for h, v in zip(values[0], row, strict=True)} for row in values[1:]]


@pytest.mark.parametrize("suffix, read", [(".csv", read_csv), (".xlsx", read_xlsx)])
def test_export_matches_the_fixture(plan, tmp_path, suffix, read):
    out = tmp_path / f"plan{suffix}"
    call_command("export_plan", "--rad", plan.code, "--output", str(out), stdout=io.StringIO())
    rows = read(out)
    expected = fixture_indicators()
    assert [r["code"] for r in rows] == [i.code for i in Indicator.objects.filter(plan=plan)]
    assert sorted(r["code"] for r in rows) == sorted(expected)
    assert {f"target_{y}" for y in range(2018, 2023)} <= set(rows[0])
    for row in rows:
        spec = expected[row["code"]]
        assert row["pillar"] == str(spec["pillar"]["number"])
        assert row["pillar_name_id"] == spec["pillar"]["name_id"]
        assert row["program"] == spec["program"]["letter"]
        assert row["program_name_en"] == spec["program"]["name_en"]
        assert row["activity"] == str(spec["activity"]["number"])
        assert row["activity_name_id"] == spec["activity"]["name_id"]
        assert (row["text_id"], row["text_en"]) == (spec["text_id"], spec["text_en"])
        assert (row["kind"], row["unit_id"], row["unit_en"]) == (spec["kind"], spec["unit_id"], spec["unit_en"])
        assert row["target"] == ("" if spec["target"] is None else str(spec["target"]))
        # a milestone without a due year falls due in the plan's last year, and the file says so
        due = spec.get("due_year") or (2022 if spec["kind"] == "milestone" else "")
        assert row["due_year"] == str(due)
        assert row["agency"] == spec["agency"]
        assert row["standard_tag"] == spec.get("standard_tag", "")
    first = next(r for r in rows if r["code"] == "1.a.1.1")
    # 5,000 people over 2018–2022 in whole units: 1,000 a year
    assert [first[f"target_{y}"] for y in range(2018, 2023)] == ["1000"] * 5
    assert first["agency_inferred"] == "yes"


def test_csv_guards_formulas(plan, tmp_path):
    Indicator.objects.filter(plan=plan, code="1.a.1.1").update(text_en="=HYPERLINK(1)", unit_en="-x")
    out = tmp_path / "plan.csv"
    call_command("export_plan", "--rad", plan.code, "--output", str(out), stdout=io.StringIO())
    row = next(r for r in read_csv(out) if r["code"] == "1.a.1.1")
    assert (row["text_en"], row["unit_en"]) == ("'=HYPERLINK(1)", "'-x")


def test_unknown_extension_is_refused(plan, tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match=r"\.csv or \.xlsx"):
        call_command("export_plan", "--output", str(tmp_path / "plan.ods"))
    assert not (tmp_path / "plan.ods").exists()
