"""The cockpit's parts of the annual summary: the completeness sheet and PDF section, the rules.

Hand-worked: Disnakertrans has 10 indicators due in 2021S2; 1.a.1.1 is received on time
(5 January 2022, deadline 15 January), 1.a.1.2 late (1 March): 20 %, 2 of 10, 1 on time.
"""

import datetime

import pytest

from indicators.models import ConsistencyRule, EntryStatus
from indicators.tests.factories import entry
from indicators.tests.test_completeness import dated
from reports.files import summary_pdf, summary_xlsx
from reports.files.summary import make_summary
from reports.tests.test_summary_files import read_xlsx
from reports.tests.test_summary_pdf import flat, pdf_pages

AS_OF = datetime.date(2026, 11, 30)


@pytest.fixture
def reported(plan):
    dated(entry("1.a.1.1", "2021S2", value=5, status=EntryStatus.SUBMITTED), "2022-01-05")
    dated(entry("1.a.1.2", "2021S2", value=5), "2022-03-01")
    ConsistencyRule.objects.create(plan=plan, left_code="2.a.1.3", right_code="3.c.1.1")
    entry("2.a.1.3", "2021S1", value=9)
    entry("3.c.1.1", "2021S1", value=4)
    return make_summary(plan, 2021, "en", AS_OF)


@pytest.mark.django_db
def test_xlsx_completeness_sheet(reported):
    book = read_xlsx(summary_xlsx.render(reported))
    rows = [[c.value for c in row] for row in book["Completeness"].iter_rows()]
    assert rows[0] == ["agency", "period", "expected", "received", "on_time", "rate_pct"]
    assert ["Disnakertrans", "2021S2", 10, 2, 1, 0.2] in rows


@pytest.mark.django_db
def test_pdf_completeness_and_rules(reported):
    text = flat(" ".join(pdf_pages(summary_pdf.render(reported))))
    section = text.split("Reporting completeness")[1]
    assert "2021S2 due 15.01.2022" in section
    disnakertrans = section.split("Disnakertrans")[1]
    assert disnakertrans.split()[:4] == ["0", "%", "0/10", "(0)"]  # 2021S1
    assert disnakertrans.split()[4:8] == ["20", "%", "2/10", "(1)"]  # 2021S2
    rules = text.split("Rules between indicators")[1]
    assert "2.a.1.3 ≤ 3.c.1.1" in rules and "2021S1 (9 > 4)" in rules


@pytest.mark.django_db
def test_agencies_without_a_report_agree_with_completeness(plan):
    """Bapelitbang's one milestone was achieved in 2019: it owes nothing in 2021, so it has no gap.

    Disnakertrans received 1.a.1.1 in 2021S2 only; Disdukcapil nothing in 2021.
    """
    entry("4.c.1.1", "2019S1", milestone_status="achieved")
    entry("1.a.1.1", "2021S2", value=5)
    summary = make_summary(plan, 2021, "en", AS_OF)
    gaps = {gap.agency: [str(p) for p in gap.periods] for gap in summary.quality.gaps}
    assert "Regional Planning, Research and Development Agency" not in gaps  # Bapelitbang
    assert gaps["Manpower and Transmigration Office"] == ["2021S1"]
    assert gaps["Population and Civil Registration Office"] == ["2021S1", "2021S2"]
