"""`--rad SLUG` on every command that reads a plan: the only plan by default, an error listing them otherwise."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.tests.plan_helpers import make_plan


@pytest.mark.django_db
def test_the_only_plan_is_the_default(plan, tmp_path):
    out = tmp_path / "s.csv"
    call_command("export_summary", "--year", "2021", "--format", "csv", "--output", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a summary was written


@pytest.mark.django_db
def test_with_several_plans_the_commands_ask_which_one(plan, tmp_path):
    make_plan()
    out = tmp_path / "s.csv"
    with pytest.raises(CommandError) as error:
        call_command("export_summary", "--year", "2021", "--format", "csv", "--output", str(out))
    assert "--rad" in str(error.value)
    assert "rad-belu-2019-2023" in str(error.value) and "rad-ttu-2018-2022" in str(error.value)
    backlog = tmp_path / "b.csv"
    backlog.write_text("code\n", encoding="utf-8")
    with pytest.raises(CommandError, match="rad-belu-2019-2023, rad-ttu-2018-2022"):
        call_command("import_progress", str(backlog), "--dry-run")
    call_command(
        "export_summary", "--year", "2021", "--format", "csv", "--output", str(out), "--rad", "rad-belu-2019-2023"
    )
    assert "Belu" in out.read_text(encoding="utf-8-sig")


@pytest.mark.django_db
def test_an_unknown_slug_is_refused_naming_the_plans(plan, tmp_path):
    with pytest.raises(CommandError, match="“rad-nowhere”.*rad-ttu-2018-2022"):
        call_command(
            "export_summary", "--plan", "--format", "csv", "--output", str(tmp_path / "x"), "--rad", "rad-nowhere"
        )
