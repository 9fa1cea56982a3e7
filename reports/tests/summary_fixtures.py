"""A small set of entries for the summary tests, with the numbers worked out by hand."""

import datetime

import pytest

from indicators.models import EntryStatus
from indicators.tests.factories import entry

INJECTIONS = ["=1+2", "+SUM(A1:A2)", "-2+3", "@SUM(A1)"]
END = datetime.date(2026, 11, 30)  # the day the summaries are made: after the plan (2018–2022)


@pytest.fixture
def entries(plan):
    """2021 of the RAD 2018–2022 (annual targets: the plan target ÷ 5):

    1.a.1.1 count, 1,000 a year: 300 + 400 verified = 700 (70 %); the 999 submitted does not count.
        To date 700 of 5,000 = 14 %. Pace at the end of 2021: 700 of 4,000 due = 17.5 % → off track.
    2.b.1.3 percent, 50 % a year: (3 + 1) ÷ (4 + 16) = 20 %, i.e. 40 % of the target → off track.
    1.b.2.1 coverage, 24 kecamatan in whole places a year (5, 5, 5, 5, 4): Insana twice and Noemuti
        = 2 places, against 5 × 4 = 20 due by the end of 2021: 2 ÷ 20 = 10 % → off track.
    4.a.1.1 milestone (the RAD drafted), due in 2018: achieved in 2021S1 → in 2021 "Achieved", 100 %,
        but not in the 2021 pillar mean; pace 100 of the 100 due since 2018 → on track.
    2.b.1.2 qualitative: four verified narratives that look like spreadsheet formulas → no target.
    """
    entry("1.a.1.1", "2021S1", value=300, narrative="Sosialisasi di Kefamenanu, café & “aman”.")
    entry("1.a.1.1", "2021S2", value=400, male=150, female=250, kecamatan="53.03.08")
    entry("1.a.1.1", "2021S2", value=999, status=EntryStatus.SUBMITTED)
    entry("2.b.1.3", "2021S1", numerator=3, denominator=4)
    entry("2.b.1.3", "2021S2", numerator=1, denominator=16)
    entry("1.b.2.1", "2021S1", kecamatan="53.03.08")  # Insana
    entry("1.b.2.1", "2021S2", kecamatan="53.03.08")  # Insana again: not a new place
    entry("1.b.2.1", "2021S2", kecamatan="53.03.04")  # Noemuti
    entry("4.a.1.1", "2021S1", milestone_status="achieved")
    for text in INJECTIONS:
        entry("2.b.1.2", "2021S1", narrative=text)
    return plan
