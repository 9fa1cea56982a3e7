"""The long lists of entries: the verifier's queue and an indicator's entries, 50 a page, filtered by
agency, indicator, period, kecamatan, status and the data checks' flag (indicators/views/entry_lists.py)."""

import re

import pytest

from conftest import rad_url
from indicators.models import EntryStatus, EntryWarning
from indicators.models.cockpit import CheckKind
from indicators.tests.entries_helpers import make_entry, secretariat_officer

pytestmark = pytest.mark.django_db
SUBMITTED = EntryStatus.SUBMITTED


def shown(body: str) -> list[str]:
    """The entry addresses a page links to, in order."""
    return re.findall(r'href="(/rad/[^"]+/entries/\d+/)"', body)


@pytest.fixture
def queue(personas):
    """Four submitted entries: Disnakertrans 1.a.1.1 in 2021S1 (Insana) and 2021S2 (flagged by a data
    check), Disnakertrans 1.a.2.1 in 2020S1, the secretariat's coverage 1.b.2.1 in 2021S1 (Insana)."""
    officer = personas["officer_a"]
    entries = {
        "insana": make_entry("1.a.1.1", "2021S1", officer, status=SUBMITTED, value=10, kecamatan="53.03.08"),
        "flagged": make_entry("1.a.1.1", "2021S2", officer, status=SUBMITTED, value=900),
        "old": make_entry("1.a.2.1", "2020S1", officer, status=SUBMITTED, value=2),
        "secretariat": make_entry(
            "1.b.2.1", "2021S1", secretariat_officer(), status=SUBMITTED, kecamatan="53.03.08", place="Desa Oelami"
        ),
    }
    EntryWarning.objects.create(
        entry=entries["flagged"], kind=CheckKind.OUTLIER, comment="Sosialisasi besar.", confirmed_by=officer
    )
    return entries


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", ["insana", "flagged", "old", "secretariat"]),
        ("?agency=disnakertrans", ["insana", "flagged", "old"]),
        ("?agency=sekretariat", ["secretariat"]),
        ("?indicator=1.a.1.1", ["insana", "flagged"]),
        ("?period=2021", ["insana", "flagged", "secretariat"]),  # a year keeps both semesters
        ("?period=2021S1", ["insana", "secretariat"]),
        ("?kecamatan=53.03.08", ["insana", "secretariat"]),
        ("?flagged=yes", ["flagged"]),
        ("?flagged=no", ["insana", "old", "secretariat"]),
        ("?agency=disnakertrans&period=2021S1&kecamatan=53.03.08", ["insana"]),
        # what the form does not know is left out, never an error page
        ("?period=1999S1&agency=nobody&flagged=maybe", ["insana", "flagged", "old", "secretariat"]),
    ],
)
def test_queue_filters(client_for, personas, queue, query, expected):
    response = client_for(personas["verifier"]).get(rad_url("indicators:review_queue") + query)
    assert response.status_code == 200
    assert set(shown(response.content.decode())) == {queue[name].get_absolute_url() for name in expected}


def test_an_indicators_entries_filter_by_status(client_for, personas):
    officer = personas["officer_a"]
    draft = make_entry("1.a.1.1", "2021S1", officer, value=1)
    returned = make_entry("1.a.1.1", "2021S2", officer, value=2, status=EntryStatus.RETURNED)
    client = client_for(officer)
    url = rad_url("indicators:indicator_entries", "1.a.1.1")
    assert shown(client.get(url + "?status=returned").content.decode()) == [returned.get_absolute_url()]
    assert shown(client.get(url + "?status=draft").content.decode()) == [draft.get_absolute_url()]
    assert len(shown(client.get(url).content.decode())) == 2


def test_an_indicators_entries_fifty_a_page(client_for, personas):
    """120 entries: pages of 50, 50 and 20; the filters stay in the page links."""
    from indicators.models import Indicator, ProgressEntry

    officer = personas["officer_a"]
    indicator = Indicator.objects.get(code="1.a.1.1")
    ProgressEntry.objects.bulk_create(
        ProgressEntry(
            indicator=indicator,
            agency=indicator.agency,
            year=2021,
            semester=1,
            date=f"2021-03-{1 + n % 28:02d}",
            value=n,
            status=EntryStatus.DRAFT,
            created_by=officer,
        )
        for n in range(120)
    )
    client = client_for(officer)
    url = rad_url("indicators:indicator_entries", "1.a.1.1") + "?status=draft"
    first = client.get(url).content.decode()
    assert len(shown(first)) == 50
    assert "?status=draft&amp;page=2" in first
    assert len(shown(client.get(url + "&page=2").content.decode())) == 50
    assert len(shown(client.get(url + "&page=3").content.decode())) == 20
    assert len(shown(client.get(url + "&page=99").content.decode())) == 20  # past the end: the last page
