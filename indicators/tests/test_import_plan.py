"""`import_plan`: the exported RAD TTU 2018–2022 read back under another slug, and every bad input refused whole."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from indicators.models import Indicator, Target
from indicators.tests.plan_helpers import make_plan, make_regency
from programs.models import Activity, Pillar, Plan, Program

SLUG = "rad-belu-2018-2022"


def export(plan, tmp_path, suffix=".csv") -> Path:
    out = tmp_path / f"plan{suffix}"
    call_command("export_plan", "--rad", plan.code, "--output", str(out), stdout=io.StringIO())
    return out


def run(path, *, regency="53.04", years="2018-2022", slug=SLUG, dry_run=False) -> str:
    out = io.StringIO()
    args = [str(path), "--regency", regency, "--years", years, "--slug", slug, "--name", "RAD Belu"]
    with translation.override("en"):
        call_command("import_plan", *args, *(["--dry-run"] if dry_run else []), stdout=out)
    return out.getvalue()


def structure(plan):
    due = {i.code: i.milestone_due_year if i.kind == "milestone" else None for i in Indicator.objects.filter(plan=plan)}
    return {
        "due": due,
        "pillars": list(Pillar.objects.filter(plan=plan).values_list("number", "name_id", "name_en")),
        "programs": list(
            Program.objects.filter(pillar__plan=plan).values_list("pillar__number", "letter", "name_id", "name_en")
        ),
        "activities": list(
            Activity.objects.filter(program__pillar__plan=plan).values_list(
                "program__pillar__number", "program__letter", "number", "name_id", "name_en"
            )
        ),
        "indicators": list(
            Indicator.objects.filter(plan=plan).values_list(
                "code",
                "text_id",
                "text_en",
                "kind",
                "unit_id",
                "unit_en",
                "plan_target",
                "agency__code",
                "agency_inferred",
                "note_id",
                "note_en",
                "standard_tag",
            )
        ),
        "targets": sorted(Target.objects.filter(indicator__plan=plan).values_list("indicator__code", "year", "value")),
    }


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip(plan, tmp_path, suffix):
    make_regency()
    # an edited annual target (not the default split) travels in the target_YYYY columns
    target = Target.objects.get(indicator__plan=plan, indicator__code="1.a.1.1", year=2018)
    Target.objects.filter(indicator__plan=plan, indicator__code="1.a.1.1", year=2019).update(value=1400)
    target.value = 600  # 600 + 1400 + 1000 × 3 = 5,000, the plan target
    target.save()
    path = export(plan, tmp_path, suffix)
    assert "Created the draft plan" in run(path)
    new = Plan.objects.get(code=SLUG)
    assert (new.status, new.region.code, new.start_year, new.end_year) == (Plan.Status.DRAFT, "53.04", 2018, 2022)
    assert structure(new) == structure(plan)
    assert len(structure(new)["indicators"]) == Indicator.objects.filter(plan=plan).count() > 0
    assert list(
        Target.objects.filter(indicator__plan=new, indicator__code="1.a.1.1")
        .order_by("year")
        .values_list("value", flat=True)
    ) == [600, 1400, 1000, 1000, 1000]


def test_dry_run_creates_nothing(plan, tmp_path):
    make_regency()
    out = run(export(plan, tmp_path), dry_run=True)
    assert f"{Indicator.objects.filter(plan=plan).count()} indicators" in out
    assert not Plan.objects.filter(code=SLUG).exists()


def rows_of(path: Path) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")))
    return list(reader.fieldnames), list(reader)


def write(path: Path, header: list[str], rows: list[dict]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


def refused(path, *expected, **options):
    before = (Plan.objects.count(), Indicator.objects.count(), Pillar.objects.count())
    with pytest.raises(CommandError) as error:
        run(path, **options)
    for text in expected:
        assert text in str(error.value), str(error.value)
    assert (Plan.objects.count(), Indicator.objects.count(), Pillar.objects.count()) == before
    assert not Plan.objects.filter(code=options.get("slug", SLUG)).exclude(code="rad-ttu-2018-2022").exists()
    return str(error.value)


def edited(plan, tmp_path, change):
    header, rows = rows_of(export(plan, tmp_path))
    header = change(header, rows) or header
    return write(tmp_path / "bad.csv", header, rows)


def row_of(rows, code):
    return next(r for r in rows if r["code"] == code)


def test_missing_and_unknown_columns(plan, tmp_path):
    make_regency()

    def change(header, rows):
        for r in rows:
            r.pop("kind")
            r["colour"] = "red"
        return [h for h in header if h != "kind"] + ["colour"]

    refused(
        edited(plan, tmp_path, change), "Row 1, kind: The column “kind” is missing.", "Row 1, colour: Unknown column"
    )


def test_bad_values_all_named(plan, tmp_path):
    make_regency()

    def change(header, rows):
        row_of(rows, "1.a.1.1")["kind"] = "amount"
        row_of(rows, "1.a.1.2")["target"] = "-5"
        row_of(rows, "1.a.2.1")["target"] = "many"
        row_of(rows, "1.a.1.3").update(agency="nowhere", agency_name_id="", agency_short_name="", agency_name_en="")

    header, rows = rows_of(export(plan, tmp_path))
    change(header, rows)
    line = {r["code"]: n + 2 for n, r in enumerate(rows)}  # the header is row 1
    message = refused(
        write(tmp_path / "bad.csv", header, rows),
        f"Row {line['1.a.1.1']}, kind: Unknown kind “amount”",
        f"Row {line['1.a.1.2']}, target: A target cannot be negative.",
        f"Row {line['1.a.2.1']}, target: “many” is not a number.",
        f"Row {line['1.a.1.3']}, agency: Unknown agency code “nowhere”: give its name in agency_name_id",
    )
    assert message.count("\nRow ") == 4


def test_annual_targets_must_add_up(plan, tmp_path):
    make_regency()

    def change(header, rows):
        row_of(rows, "1.a.1.1")["target_2022"] = "999"  # 1,000 × 4 + 999 = 4,999, not 5,000

    refused(edited(plan, tmp_path, change), "target: The annual targets add up to 4999, not the plan target 5000.")


def test_duplicate_code(plan, tmp_path):
    make_regency()

    def change(header, rows):
        rows.append(dict(row_of(rows, "1.a.1.1")))

    header, rows = rows_of(export(plan, tmp_path))
    change(header, rows)
    refused(
        write(tmp_path / "bad.csv", header, rows),
        f"Row {len(rows) + 1}, code: Duplicate indicator code “1.a.1.1” (also in row",
    )


def test_milestone_due_year_inside_the_plan(plan, tmp_path):
    make_regency()
    milestones = list(Indicator.objects.filter(plan=plan, kind="milestone").values_list("code", flat=True))
    assert len(milestones) >= 2

    def change(header, rows):
        row_of(rows, milestones[0])["due_year"] = ""
        row_of(rows, milestones[1])["due_year"] = "2030"

    message = refused(
        edited(plan, tmp_path, change),
        "due_year: A milestone needs a due year",
        "due_year: The due year must be a year",
    )
    assert "“2030”" in message


def test_unknown_region_duplicate_slug_and_overlap(plan, tmp_path):
    path = export(plan, tmp_path)
    refused(path, "Unknown region code “53.99”", regency="53.99")
    refused(
        path,
        "A plan with the slug “rad-ttu-2018-2022” already exists.",
        regency="53.03",
        years="2023-2027",
        slug="rad-ttu-2018-2022",
    )
    # the same regency's plan of 2018–2022 is active: 2022–2026 overlaps it, and the message names it
    refused(
        path,
        "overlap the plan",
        "(rad-ttu-2018-2022, 2018–2022)",
        regency="53.03",
        years="2022-2026",
        slug="rad-ttu-2022-2026",
    )


def test_a_closed_plan_does_not_block(plan, tmp_path):
    path = export(plan, tmp_path)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CLOSED)
    run(path, regency="53.03", years="2018-2022", slug="rad-ttu-2018-2022-b")
    assert Plan.objects.get(code="rad-ttu-2018-2022-b").indicators.count() == plan.indicators.count()


def test_overlap_with_the_regencys_own_plan_is_refused_naming_it(plan, tmp_path):
    make_plan("rad-belu-2019-2023")  # Belu's own active plan 2019–2023 overlaps 2018–2022 in Belu
    refused(export(plan, tmp_path), "rad-belu-2019-2023")


def test_a_plan_of_other_years_from_an_export_moved_to_them(plan, tmp_path):
    """The README's new regency: TTU's 2018–2022 file written as if it began in 2023, imported for 2023–2027."""
    make_regency()
    milestone = Indicator.objects.filter(plan=plan, kind="milestone").order_by("code").first()
    Indicator.objects.filter(pk=milestone.pk).update(due_year=2020)  # the plan's third year
    Target.objects.filter(indicator__plan=plan, indicator__code="1.a.1.1", year=2019).update(value=1400)
    Target.objects.filter(indicator__plan=plan, indicator__code="1.a.1.1", year=2018).update(value=600)
    out = tmp_path / "belu.xlsx"
    call_command("export_plan", "--output", str(out), "--start-year", "2023", stdout=io.StringIO())
    run(out, years="2023-2027", slug="rad-belu-2023-2027")
    new = Plan.objects.get(code="rad-belu-2023-2027")
    assert list(
        Target.objects.filter(indicator__plan=new, indicator__code="1.a.1.1")
        .order_by("year")
        .values_list("year", "value")
    ) == [(2023, 600), (2024, 1400), (2025, 1000), (2026, 1000), (2027, 1000)]
    assert Indicator.objects.get(plan=new, code=milestone.code).milestone_due_year == 2025
    old, moved = structure(plan), structure(new)
    assert moved["indicators"] == old["indicators"]
    assert moved["targets"] == [(code, year + 5, value) for code, year, value in old["targets"]]


def test_a_start_year_that_is_no_year_is_refused(plan, tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="a year such as 2023: 23"):
        call_command("export_plan", "--output", str(tmp_path / "p.csv"), "--start-year", "23")
    assert not (tmp_path / "p.csv").exists()
