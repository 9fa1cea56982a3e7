"""Reading the plan file (docs/plan-format.md) into a new draft plan: all or nothing, every bad row and column named.

The file is read as the progress import reads its files (`importing.read_table`: the office-file budget, the
sheet sniffing); the tree it gives is what `plan_loader.load_plan_data` takes, so there is one loader.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.intake.progress import ImportFileError, read_table
from indicators.models import Indicator, Kind, Target
from indicators.models.plan import NEEDS_TARGET
from indicators.plans.loader import load_plan_data
from indicators.plans.plan_file import COLUMNS
from programs.models import Activity, Agency, Pillar, Plan, Program, Region
from tptto_monitor.lib.cells import FORMULA_STARTS

REQUIRED = [
    "pillar",
    "pillar_name_id",
    "program",
    "program_name_id",
    "activity",
    "activity_name_id",
    "code",
    "text_id",
    "kind",
    "agency",
]
ANNUAL = re.compile(r"target_(\d{4})")
YES = {"yes", "ya", "true", "1"}
NO = {"", "no", "tidak", "false", "0"}


@dataclass
class ParsedPlan:
    pillars: list = field(default_factory=list)  # the tree `load_plan_data` takes
    annual: dict = field(default_factory=dict)  # indicator code → {year: Decimal}, where the file gives them
    errors: list = field(default_factory=list)  # (row, column, message); row 0: the file as a whole
    count: int = 0
    new_agencies: dict = field(default_factory=dict)  # code → names, for agencies the regency does not have yet


def _unguard(value: str) -> str:
    """The export writes a text starting like a formula with a leading ' (docs/plan-format.md): taken off."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _number(value: str) -> Decimal | None:
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _whole(value: str) -> int | None:
    return int(value) if re.fullmatch(r"\d+", value) and int(value) >= 1 else None


def parse_plan_file(data: bytes, *, years: tuple[int, int], region: Region | None) -> ParsedPlan:
    """The file read for a plan of `region` (None: the regency was not found, so no agency is known)."""
    parsed = ParsedPlan()
    try:
        table = read_table(data)
    except ImportFileError as error:
        parsed.errors.append((0, "", str(error)))
        return parsed
    table = [(n, cells) for n, cells in table if any(cells)]
    if not table:
        parsed.errors.append((0, "", _("The file is empty.")))
        return parsed
    header_row, header = table[0]
    plan_years = list(range(years[0], years[1] + 1))
    columns: dict[str, int] = {}
    outside: list[int] = []  # the years of annual target columns outside the plan's
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        if not name:
            continue
        match = ANNUAL.fullmatch(name)
        if name in columns:
            parsed.errors.append((header_row, name, _("The column “%(name)s” appears twice.") % {"name": name}))
        elif match and int(match.group(1)) not in plan_years:
            outside.append(int(match.group(1)))
        elif name not in COLUMNS and not match:
            parsed.errors.append((header_row, raw.strip(), _("Unknown column “%(name)s”.") % {"name": raw.strip()}))
        else:
            columns[name] = index
    if outside:
        parsed.errors.append((header_row, "target_YYYY", _other_years(sorted(outside), years)))
    for name in REQUIRED:
        if name not in columns:
            parsed.errors.append((header_row, name, _("The column “%(name)s” is missing.") % {"name": name}))
    if parsed.errors:
        return parsed
    agencies = set(Agency.objects.by_code(region))
    annual_columns = [(int(ANNUAL.fullmatch(n).group(1)), n) for n in columns if ANNUAL.fullmatch(n)]
    named = set(columns.values())
    pillars: dict[int, dict] = {}
    seen_codes: dict[str, int] = {}
    for number, cells in table[1:]:
        stray = [i for i, cell in enumerate(cells) if cell and i not in named]
        if stray:
            parsed.errors.append(
                (number, "", _("A value in column %(col)s, which has no name in the header.") % {"col": stray[0] + 1})
            )
            continue
        row = {name: _unguard(cells[i].strip()) if i < len(cells) else "" for name, i in columns.items()}
        errors = _check_row(row, plan_years, agencies, annual_columns)
        code = row["code"]
        if code in seen_codes:
            errors.append(
                (
                    "code",
                    _("Duplicate indicator code “%(code)s” (also in row %(row)s).")
                    % {"code": code, "row": seen_codes[code]},
                )
            )
        elif code:
            seen_codes[code] = number
        if not errors:
            errors += _new_agency(row, agencies, parsed)
        if not errors:
            errors += _place(pillars, row, parsed)
        parsed.errors += [(number, column, message) for column, message in errors]
        parsed.count += 1
    parsed.pillars = _tree(pillars)
    return parsed


def _check_row(row: dict, plan_years: list[int], agencies: set, annual_columns) -> list[tuple[str, str]]:
    errors = []
    for name in REQUIRED:
        if not row.get(name):
            errors.append((name, _("This column must not be empty.")))
    for name in ("pillar", "activity"):
        if row.get(name) and _whole(row[name]) is None:
            errors.append((name, _("A whole number of 1 or more is needed, not “%(value)s”.") % {"value": row[name]}))
    kind = row["kind"]
    if kind and kind not in Kind.values:
        errors.append(
            (
                "kind",
                _("Unknown kind “%(kind)s”; the kinds are: %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(Kind.values)},
            )
        )
    expected_prefix = f"{row['pillar']}.{row['program']}.{row['activity']}."
    code = row["code"]
    if code and (not code.startswith(expected_prefix) or _whole(code[len(expected_prefix) :]) is None):
        errors.append(
            (
                "code",
                _("The code “%(code)s” does not match its pillar, program and activity (%(prefix)sN).")
                % {"code": code, "prefix": expected_prefix},
            )
        )
    target = None
    value = row.get("target", "")
    if value:
        target = _number(value)
        if target is None:
            errors.append(("target", _("“%(value)s” is not a number.") % {"value": value}))
        elif target < 0:
            errors.append(("target", _("A target cannot be negative.")))
    elif kind in Kind.values and Kind(kind).is_targeted:
        errors.append(("target", NEEDS_TARGET % {"kind": kind}))
    annual = {}
    for year, name in annual_columns:
        if row.get(name):
            amount = _number(row[name])
            if amount is None:
                errors.append((name, _("“%(value)s” is not a number.") % {"value": row[name]}))
            elif amount < 0:
                errors.append((name, _("A target cannot be negative.")))
            else:
                annual[year] = amount
    if annual and not errors:
        missing = [y for y in plan_years if y not in annual]
        if missing or target is None or kind == Kind.MILESTONE:
            errors.append(("target", _("Annual targets need a plan target and a number for every year of the plan.")))
        elif Kind(kind).is_split and sum(annual.values()) != target:
            errors.append(
                (
                    "target",
                    _("The annual targets add up to %(sum)s, not the plan target %(target)s.")
                    % {"sum": sum(annual.values()), "target": target},
                )
            )
    row["_annual"] = annual
    row["_target"] = target
    due = row.get("due_year", "")
    if due and (not due.isdigit() or int(due) not in plan_years):
        errors.append(
            (
                "due_year",
                _("The due year must be a year of the plan (%(start)s–%(end)s), not “%(value)s”.")
                % {"start": plan_years[0], "end": plan_years[-1], "value": due},
            )
        )
    elif not due and kind == Kind.MILESTONE:
        errors.append(("due_year", _("A milestone needs a due year inside the plan's years.")))
    if row["agency"] and row["agency"] not in agencies and not row.get("agency_name_id"):
        errors.append(
            (
                "agency",
                _("Unknown agency code “%(code)s”: give its name in agency_name_id to create it for the regency.")
                % {"code": row["agency"]},
            )
        )
    if row.get("agency_inferred", "").lower() not in YES | NO:
        errors.append(("agency_inferred", _("Write yes or leave it empty.")))
    if not errors:
        errors += _indicator_rules(row, target)
    return errors


# Indicator fields the row gives as they are; the rest are the plan's, the tree's, or checked above.
ROW_FIELDS = ("kind", "code", "text_id", "text_en", "unit_id", "unit_en", "note_id", "note_en", "standard_tag")


def _indicator_rules(row: dict, target: Decimal | None) -> list[tuple[str, str]]:
    """The indicator's own rules (Indicator.clean_fields and clean: lengths, a percentage over 100, a target
    on a kind without one), so that the file's check finds what the saving would refuse halfway."""
    indicator = Indicator(plan_target=target, **{name: row.get(name, "") for name in ROW_FIELDS})
    exclude = [f.name for f in Indicator._meta.fields if f.name not in (*ROW_FIELDS, "plan_target")]
    try:
        indicator.clean_fields(exclude=exclude)
        indicator.clean()
    except ValidationError as error:
        return [
            ("target" if name == "plan_target" else name, message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _other_years(found: list[int], years: tuple[int, int]) -> str:
    """The refusal of a file written for other years, with the two ways to move it to the plan's."""
    return _(
        "The file's annual targets are for %(found)s, not for the plan's years %(start)s–%(end)s: it was written "
        "for another plan. Move it to %(start)s and upload it again: on this page, under “Start from an existing "
        "plan”, download that plan with “First year of the new plan” %(start)s, or from the shell "
        "`manage.py export_plan --rad SLUG --start-year %(start)s --output FILE.xlsx`."
    ) % {
        "found": ", ".join(str(year) for year in found),
        "start": years[0],
        "end": years[1],
    }


def other_regencies_named(names: dict[str, dict], region: Region | None) -> dict[str, list[Region]]:
    """Agency code → the other regencies its names mention (by name, "Timor Tengah Utara", or initials, "TTU").

    A plan file copied from another regency's plan keeps that regency in its agencies' names ("Polres TTU"):
    the preview flags them, so that the administrator renames them in the file or confirms them.
    """
    if region is None or not names:
        return {}
    others = Region.objects.filter(level=Region.Level.KABUPATEN).exclude(pk=region.pk).only("code", "name")
    patterns = []
    for other in others:
        bare = re.sub(r"^(kabupaten|kab\.|kota)\s+", "", other.name.strip(), flags=re.IGNORECASE)
        words = bare.split()
        found = [re.compile(rf"\b{re.escape(bare)}\b", re.IGNORECASE)]
        if len(words) > 1:  # the initials, as the province writes them: TTU, TTS
            found.append(re.compile(rf"\b{''.join(w[0] for w in words).upper()}\b"))
        patterns.append((other, found))
    flagged: dict[str, list[Region]] = {}
    for code, agency in names.items():
        text = " ".join(str(value) for value in agency.values())
        hits = [other for other, found in patterns if any(p.search(text) for p in found)]
        if hits:
            flagged[code] = hits
    return flagged


def _new_agency(row: dict, agencies: set, parsed: ParsedPlan) -> list[tuple[str, str]]:
    """An agency the regency does not have yet, named on the row: made with the plan (same names on every row)."""
    code = row["agency"]
    if code in agencies:
        return []
    names = {
        "short_name": row.get("agency_short_name") or row["agency_name_id"],
        "name_id": row["agency_name_id"],
        "name_en": row.get("agency_name_en", ""),
    }
    if len(names["short_name"]) > 50 or len(names["name_id"]) > 200 or len(names["name_en"]) > 200:
        return [("agency_name_id", _("An agency's short name has at most 50 characters, its names 200."))]
    if parsed.new_agencies.setdefault(code, names) != names:
        return [("agency_name_id", _("The agency “%(code)s” has other names on an earlier row.") % {"code": code})]
    return []


def _place(pillars: dict, row: dict, parsed: ParsedPlan) -> list[tuple[str, str]]:
    """The row's indicator in the tree; a pillar, program or activity named differently on two rows is an error."""
    errors = []
    pillar = pillars.setdefault(
        int(row["pillar"]), {"name_id": row["pillar_name_id"], "name_en": row.get("pillar_name_en", ""), "programs": {}}
    )
    program = pillar["programs"].setdefault(
        row["program"], {"name_id": row["program_name_id"], "name_en": row.get("program_name_en", ""), "activities": {}}
    )
    activity = program["activities"].setdefault(
        int(row["activity"]),
        {"name_id": row["activity_name_id"], "name_en": row.get("activity_name_en", ""), "indicators": []},
    )
    for level, node, prefix in (
        ("pillar", pillar, "pillar"),
        ("program", program, "program"),
        ("activity", activity, "activity"),
    ):
        for lang in ("id", "en"):
            column = f"{prefix}_name_{lang}"
            if node[f"name_{lang}"] != row.get(column, ""):
                errors.append((column, _("The %(level)s has another name on an earlier row.") % {"level": level}))
    if errors:
        return errors
    target = row["_target"]
    activity["indicators"].append(
        {
            "number": int(row["code"].rsplit(".", 1)[1]),
            "kind": row["kind"],
            "target": None if target is None else str(target),
            "unit_id": row.get("unit_id", ""),
            "unit_en": row.get("unit_en", ""),
            "agency": row["agency"],
            "agency_inferred": row.get("agency_inferred", "").lower() in YES,
            "text_id": row["text_id"],
            "text_en": row.get("text_en", ""),
            "note_id": row.get("note_id", ""),
            "note_en": row.get("note_en", ""),
            "standard_tag": row.get("standard_tag", ""),
            "due_year": int(row["due_year"]) if row.get("due_year") else None,
        }
    )
    if row["_annual"]:
        parsed.annual[row["code"]] = row["_annual"]
    return []


def _tree(pillars: dict) -> list:
    return [
        {
            "number": p_number,
            "name_id": p["name_id"],
            "name_en": p["name_en"],
            "programs": [
                {
                    "letter": letter,
                    "name_id": g["name_id"],
                    "name_en": g["name_en"],
                    "activities": [{"number": a_number, **a} for a_number, a in sorted(g["activities"].items())],
                }
                for letter, g in sorted(p["programs"].items())
            ],
        }
        for p_number, p in sorted(pillars.items())
    ]


def plan_problems(
    *, region_code: str, code: str, name: str, years: tuple[int, int]
) -> tuple[Region | None, dict[str, list[str]]]:
    """The plan's own checks, all of them at once, by what they concern: "regency", "slug" or "years"."""
    problems: dict[str, list[str]] = {}
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        problems["regency"] = [
            _("Unknown region code “%(code)s”; load it with `manage.py load_regions` first.") % {"code": region_code}
        ]
    if Plan.objects.filter(code=code).exists():
        problems["slug"] = [_("A plan with the slug “%(code)s” already exists.") % {"code": code}]
    if region is not None:
        plan = Plan(
            code=code, name_id=name, region=region, start_year=years[0], end_year=years[1], status=Plan.Status.DRAFT
        )
        try:
            plan.clean()
        except ValidationError as error:
            problems["years"] = error.messages
    return region, problems


def check_plan(*, region_code: str, code: str, name: str, years: tuple[int, int]) -> tuple[Region | None, list[str]]:
    """The plan's own checks (region, slug, overlap), all of them at once."""
    region, problems = plan_problems(region_code=region_code, code=code, name=name, years=years)
    return region, [message for messages in problems.values() for message in messages]


def planned_tree(parsed: ParsedPlan, *, years: tuple[int, int], region: Region) -> list[Pillar]:
    """The plan a file without errors would create, as unsaved objects, for a preview.

    Each pillar carries `planned_programs`, each program `planned_activities`, each activity
    `planned_indicators`, each indicator `annual_targets` ((year, value) pairs): the file's, else the
    defaults the new plan will get (Indicator.default_annual_targets).
    """
    plan = Plan(region=region, start_year=years[0], end_year=years[1])
    agencies = Agency.objects.by_code(region)
    agencies.update({code: Agency(code=code, region=region, **names) for code, names in parsed.new_agencies.items()})
    pillars = []
    for p in parsed.pillars:
        pillar = Pillar(plan=plan, number=p["number"], name_id=p["name_id"], name_en=p["name_en"])
        pillar.planned_programs = []
        for g in p["programs"]:
            program = Program(pillar=pillar, letter=g["letter"], name_id=g["name_id"], name_en=g["name_en"])
            program.planned_activities = []
            for a in g["activities"]:
                activity = Activity(program=program, number=a["number"], name_id=a["name_id"], name_en=a["name_en"])
                activity.planned_indicators = [
                    _planned(plan, activity, spec, agencies, parsed) for spec in a["indicators"]
                ]
                program.planned_activities.append(activity)
            pillar.planned_programs.append(program)
        pillars.append(pillar)
    return pillars


def _planned(plan: Plan, activity: Activity, spec: dict, agencies: dict, parsed: ParsedPlan) -> Indicator:
    fields = ("kind", "text_id", "text_en", "unit_id", "unit_en", "note_id", "note_en", "due_year", "standard_tag")
    indicator = Indicator(
        plan=plan,
        activity=activity,
        number=spec["number"],
        code=f"{activity.code}.{spec['number']}",
        plan_target=None if spec["target"] is None else Decimal(spec["target"]),
        agency=agencies[spec["agency"]],
        agency_inferred=spec["agency_inferred"],
        **{name: spec[name] for name in fields},
    )
    annual = parsed.annual.get(indicator.code) or indicator.default_annual_targets()
    indicator.annual_targets = sorted(annual.items())
    return indicator


@transaction.atomic
def create_plan(parsed: ParsedPlan, *, region: Region, code: str, name: str, years: tuple[int, int]) -> Plan:
    """The new draft plan from a file without errors, in one transaction."""
    data = {
        "plan": {
            "code": code,
            "name_id": name,
            "name_en": name,
            "start_year": years[0],
            "end_year": years[1],
            "source": "",
        },
        "pillars": parsed.pillars,
    }
    for code, names in parsed.new_agencies.items():
        agency = Agency(code=code, region=region, **names)
        agency.full_clean()
        agency.save()
    plan = load_plan_data(data, region=region, status=Plan.Status.DRAFT)
    for indicator in Indicator.objects.filter(plan=plan, code__in=list(parsed.annual)):
        for year, value in parsed.annual[indicator.code].items():
            Target.objects.filter(indicator=indicator, year=year).update(value=value)
    return plan
