"""`manage.py export_summary`: the same files for the office's scheduled jobs."""

import io

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_command_writes_each_format(entries, tmp_path):
    for fmt, magic in [
        ("pdf", b"%PDF"),
        ("xlsx", b"PK\x03\x04"),
        ("csv", b"\xef\xbb\xbfcode,"),
        ("docx", b"PK\x03\x04"),
    ]:
        output = tmp_path / f"summary.{fmt}"
        call_command("export_summary", "--year", "2021", "--format", fmt, "--output", str(output), stdout=io.StringIO())
        assert output.read_bytes().startswith(magic)
    output = tmp_path / "plan.csv"
    call_command("export_summary", "--plan", "--format", "csv", "--language", "en", "--output", str(output))
    assert "5,000 officials" in output.read_text(encoding="utf-8-sig")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2030", "--format", "pdf"], "outside the plan"),
        (["--year", "2021", "--format", "doc"], "Unknown format"),
        (["--plan", "--format", "csv", "--language", "fr"], "Unknown language"),
    ],
)
def test_command_refuses_bad_input(plan, tmp_path, args, message):
    output = tmp_path / "out"
    with pytest.raises(CommandError, match=message):
        call_command("export_summary", *args, "--output", str(output))
    assert not output.exists()
