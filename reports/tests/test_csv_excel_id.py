"""Every CSV download in the "Excel (Indonesian settings)" style (`?style=excel-id`): `;` between
cells, `,` in decimals, UTF-8 with a byte-order mark; read back with pandas as Excel set to
Indonesian reads it (sep=";", decimal=","), it holds exactly the numbers of the standard file."""

import io
import re

import pandas as pd
import pytest

from conftest import RAD, rad_url
from indicators.tests.factories import entry
from tptto_monitor.lib import csv_style
from tptto_monitor.lib.cells import csv_value

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def decimals(plan):
    """2021: 700 people of 1,000 at Insana (70 %); 3 of 7 officers understood the referral
    mechanism: 42.857… % (42.86 in the files), against a target of 50 %."""
    entry("1.a.1.1", "2021S1", value=700, kecamatan="53.03.08")
    entry("2.b.1.3", "2021S1", numerator=3, denominator=7)
    return plan


def _both(client, url: str, **read) -> tuple[pd.DataFrame, pd.DataFrame, bytes]:
    standard = client.get(url)
    excel = client.get(url + ("&" if "?" in url else "?") + "style=excel-id")
    assert standard.status_code == excel.status_code == 200
    assert excel["Content-Type"] == "text/csv; charset=utf-8"
    assert excel.content.startswith(BOM)
    assert "-excel-id.csv" in excel["Content-Disposition"]
    plain = pd.read_csv(io.BytesIO(standard.content), encoding="utf-8-sig", **read)
    indonesian = pd.read_csv(io.BytesIO(excel.content), encoding="utf-8-sig", sep=";", decimal=",", **read)
    return plain, indonesian, excel.content


@pytest.mark.django_db
@pytest.mark.parametrize("address", [f"{RAD}/reports/2021/summary.csv", f"{RAD}/reports/plan/summary.csv"])
def test_summary_reads_back_with_indonesian_settings(client_for, personas, decimals, address):
    plain, indonesian, raw = _both(client_for(personas["executive"]), address, dtype={"code": str})
    pd.testing.assert_frame_equal(indonesian, plain)
    rows = indonesian.set_index("code")
    assert len(rows) == 47 and "1.a.1.1" in rows.index  # codes stay codes
    assert rows.loc["1.a.1.1", "plan_target"] == 5000
    percent = rows.loc["2.b.1.3", "to_date_actual"]
    assert percent == pytest.approx(42.86)  # a number, not the text "42,86"
    assert b"42,86" in raw and b"42.86" not in raw
    assert b";5000;" in raw and b"5000.0" not in raw


@pytest.mark.django_db
def test_dataset_reads_back_with_indonesian_settings(client_for, personas, decimals):
    plain, indonesian, raw = _both(
        client_for(personas["reviewer"]), rad_url("reports:dataset", "csv"), dtype={"area_code": str, "period": str}
    )
    pd.testing.assert_frame_equal(indonesian, plain)
    assert set(indonesian["area_code"]) >= {"53.03", "53.03.08"}  # the regency's code is not a decimal
    row = indonesian[
        (indonesian["indicator_code"] == "2.b.1.3") & (indonesian["period"] == "2021") & indonesian["official"]
    ].iloc[0]
    assert row["value"] == pytest.approx(42.8571) and row["target"] == 50
    assert b"5000.0" not in raw and b";5000;" in raw  # the plan target of 1.a.1.1, whole


@pytest.mark.django_db
def test_chart_numbers_read_back_with_indonesian_settings(client_for, personas, decimals):
    client = client_for(personas["reviewer"])
    client.cookies["django_language"] = "en"
    plain, indonesian, raw = _both(client, f"{RAD}/dashboard/?csv=pillar-years", comment="#")
    pd.testing.assert_frame_equal(indonesian, plain)
    # the lines that say what the numbers are stay as written (commas in them included)
    head = client.get(f"{RAD}/dashboard/?csv=pillar-years").content.decode().split("\r\n")[:4]
    assert raw.decode("utf-8-sig").split("\r\n")[:4] == head and head[1].startswith("# Plan: rad-ttu-2018-2022, ")
    achievement = indonesian["Achievement (%)"].dropna()
    assert (achievement % 1 != 0).any()  # a decimal among them, read as a number
    assert re.search(rb";\d+,\d+(;|\r\n)", raw)  # written with a decimal comma


@pytest.mark.django_db
def test_import_template_in_both_styles(client_for, personas):
    plain, indonesian, _raw = _both(client_for(personas["officer_a"]), rad_url("indicators:import_template", "csv"))
    pd.testing.assert_frame_equal(indonesian, plain)


@pytest.mark.django_db
def test_an_unknown_style_is_not_found(client_for, personas, plan):
    client = client_for(personas["executive"])
    assert client.get(f"{RAD}/reports/2021/summary.csv?style=excel-fr").status_code == 404
    assert client.get(rad_url("reports:dataset", "csv") + "?style=nope").status_code == 404


@pytest.mark.django_db
def test_the_pages_link_the_style_and_point_to_the_xlsx(client_for, personas, plan):
    page = client_for(personas["executive"]).get(f"{RAD}/reports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("?style=excel-id") == len(plan.years) + 2  # each year, the whole plan, the dataset
    assert "Excel (Indonesian settings)" in page and "Excel table (.xlsx)" in page
    dashboard = client_for(personas["reviewer"]).get(f"{RAD}/dashboard/").content.decode()
    assert "style=excel-id" in dashboard
    upload = client_for(personas["officer_a"]).get(rad_url("indicators:import")).content.decode()
    assert "style=excel-id" in upload


def test_comment_lines_stay_as_written():
    standard = b"# Plan: rad-x, Rencana 2.5\r\nyear,value\r\n2021,7.5\r\n"
    assert (
        csv_style.excel_id(standard, [1]).decode("utf-8-sig")
        == "# Plan: rad-x, Rencana 2.5\r\nyear;value\r\n2021;7,5\r\n"
    )


def test_the_conversion_touches_only_number_columns():
    standard = "code,area,value,text\r\n1.a.1.1,53.03,42.44,'=1.5\r\n2.b.1.3,53.03.08,5000,a;b\r\n".encode("utf-8-sig")
    converted = csv_style.excel_id(standard, ["value"]).decode("utf-8-sig")
    assert converted == 'code;area;value;text\r\n1.a.1.1;53.03;42,44;\'=1.5\r\n2.b.1.3;53.03.08;5000;"a;b"\r\n'


def test_whole_numbers_are_written_whole():
    assert [csv_value(v) for v in (5000.0, 2122.0, 42.44, 7, None, float("nan"), "=x")] == [
        *["5000", "2122", "42.44", "7", "", "", "'=x"]
    ]
