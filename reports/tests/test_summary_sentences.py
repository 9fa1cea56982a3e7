"""The summary's message in words (reports.files.sentences) and where page 2 of the PDF shows it."""

import pytest

from indicators.models import Indicator
from indicators.tests.factories import entry
from reports.files.summary import build, make_summary
from reports.tests.summary_fixtures import END
from reports.tests.test_summary_pdf import flat, pdf_pages

KEPT = ["1.a.1.1", "2.a.1.3", "3.a.1.1", "4.a.2.1"]  # one count indicator per pillar


@pytest.fixture
def four_counts(plan):
    """The plan cut down to one count indicator per pillar (annual targets 1,000 / 30 / 5 / 1):

    1.a.1.1: 1,000 + 1,000 + 600 (2020: 60 %) + 900 (2021: 90 %) = 3,500 of the 4,000 due by 2021: 87.5 % → on track;
             by 2020 2,600 of 3,000 = 86.7 % → on track.
    2.a.1.3: 30 + 30 + 30 (2020: 100 %) + 6 (2021: 20 %) = 96 of 120 = 80 % → behind; by 2020 90 of 90 → on track.
    3.a.1.1: 1 (2020: 20 %) + 1 (2021: 20 %) = 2 of 20 = 10 % → off track; by 2020 1 of 15 = 6.7 % → off track.
    4.a.2.1: 1 + 1 + 1 (2020: 100 %), nothing in 2021 (0 % in the pillar's mean) = 3 of 4 = 75 % → behind;
             by 2020 3 of 3 → on track.
    Each pillar has one indicator, so its achievement is that indicator's, capped at 100 %.
    """
    Indicator.objects.filter(plan=plan).exclude(code__in=KEPT).delete()
    for period, value in [("2018S1", 1000), ("2019S1", 1000), ("2020S2", 600), ("2021S2", 900)]:
        entry("1.a.1.1", period, value=value)
    for period, value in [("2018S1", 30), ("2019S1", 30), ("2020S1", 30), ("2021S1", 6)]:
        entry("2.a.1.3", period, value=value)
    for period in ["2020S1", "2021S1"]:
        entry("3.a.1.1", period, value=1)
    for period in ["2018S2", "2019S2", "2020S2"]:
        entry("4.a.2.1", period, value=1)
    return plan


@pytest.mark.django_db
def test_a_year_is_told_in_counts_extremes_and_changes(four_counts):
    summary = make_summary(four_counts, 2021, "en", END, with_highlights=False)
    assert summary.sentences == [
        "In 2021, 1 indicator is on track, 2 behind and 1 off track.",
        "Pillar 4 (Cooperation and Civil Documents) has the lowest achievement in 2021, 0 %; "
        "pillar 1 (Prevention, Trafficking Awareness and Labour Guidance) the highest, 90 %.",
        "Compared with 2020: pillar 1 rose from 60 % to 90 % (+30 points); pillar 2 fell from 100 % to 20 % "
        "(−80 points); pillar 3 stayed at 20 %; pillar 4 fell from 100 % to 0 % (−100 points).",
        "Indicators on track: 1 (2020: 3); off track: 1 (2020: 1).",
    ]
    assert [row.code for row in summary.off_track] == ["3.a.1.1"]


@pytest.mark.django_db
def test_the_first_year_has_nothing_to_compare_with(four_counts):
    """2018: 1.a.1.1 1,000 of 1,000 (100 %), 2.a.1.3 30 of 30, 4.a.2.1 1 of 1; 3.a.1.1 nothing yet (0 %)."""
    found = make_summary(four_counts, 2018, "en", END, with_highlights=False).sentences
    assert found[0] == (
        "In 2018, 3 indicators are on track, 0 behind and 0 off track. "
        "1 indicator that is due has no verified data yet."
    )
    assert found[1].startswith("Pillar 3 (Legal Development and Law Enforcement) has the lowest achievement in 2018")
    assert found[2] == "2018 is the plan's first year: there is no year before to compare with."


@pytest.mark.django_db
def test_the_whole_plan_is_told_to_date(four_counts):
    """To the end of 2022 (the plan is over on the cut-off day): 1.a.1.1 3,500 of 5,000 = 70 % → behind,
    2.a.1.3 96 of 150 = 64 % → behind, 3.a.1.1 2 of 25 = 8 % → off track, 4.a.2.1 3 of 4 = 75 % → behind."""
    found = make_summary(four_counts, None, "en", END, with_highlights=False).sentences
    assert found[0] == "Over the plan to date, 0 indicators are on track, 3 behind and 1 off track."
    assert found[1] == (
        "Pillar 3 (Legal Development and Law Enforcement) has the lowest achievement over the plan to date, 8 %; "
        "pillar 4 (Cooperation and Civil Documents) the highest, 75 %."
    )
    assert len(found) == 2  # no year before the whole plan


@pytest.mark.django_db
def test_a_plan_without_a_due_indicator_says_so(plan):
    Indicator.objects.filter(plan=plan).exclude(kind="qualitative").delete()
    found = make_summary(plan, 2021, "en", END, with_highlights=False).sentences
    assert found[1] == "No pillar has a targeted indicator due in 2021."


@pytest.mark.django_db
def test_page_two_opens_with_the_sentences_and_the_off_track_list(four_counts):
    pages = pdf_pages(build(four_counts, 2021, "pdf", "en", END))
    page = flat(pages[1])
    assert page.index("Executive summary") < page.index("In 2021, 1 indicator is on track, 2 behind and 1 off track.")
    assert "pillar 2 fell from 100 % to 20 % (−80 points)" in page
    assert "Indicators off track, 2021 (1)" in page
    off_track = page[page.index("Indicators off track") :]
    assert "3.a.1.1" in off_track.split("This report")[0]
    assert "1.a.1.1" not in off_track.split("This report")[0]


@pytest.mark.django_db
def test_page_two_in_indonesian(four_counts):
    page = flat(pdf_pages(build(four_counts, 2021, "pdf", "id", END))[1])
    assert "Pada 2021, 1 indikator sesuai target, 2 tertinggal dan 1 jauh tertinggal." in page
    assert "Indikator jauh tertinggal, 2021 (1)" in page
