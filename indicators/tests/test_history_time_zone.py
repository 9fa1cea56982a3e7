"""Times in an entry's history are shown in the regency's own time zone, never as stored (UTC)."""

import datetime

import pytest

from conftest import rad_url
from indicators.models import ProgressEntry
from indicators.tests.entries_helpers import make_entry
from indicators.workflow import services
from programs.timezones import zone_name

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("53.03", "Asia/Makassar"),  # NTT, TTU: WITA
        ("51.71", "Asia/Makassar"),  # Bali
        ("64", "Asia/Makassar"),  # Kalimantan Timur
        ("73.71", "Asia/Makassar"),  # Sulawesi Selatan
        ("31.71", "Asia/Jakarta"),  # DKI Jakarta: WIB
        ("12.71", "Asia/Jakarta"),  # Sumatera Utara
        ("61.71", "Asia/Jakarta"),  # Kalimantan Barat
        ("81.71", "Asia/Jayapura"),  # Maluku: WIT
        ("94.01", "Asia/Jayapura"),  # Papua Tengah
    ],
)
def test_each_province_has_its_time_zone(code, zone):
    assert zone_name(code) == zone


@pytest.mark.django_db
def test_the_history_shows_a_submission_time_in_wita(client_for, personas):
    entry = make_entry("1.a.1.1", "2021S1", personas["officer_a"], value=320)
    entry = services.submit_entry(user=personas["officer_a"], entry=entry)
    # stored at 16:51:13 UTC: 00:51 the next day in Kefamenanu (UTC+8)
    stored = datetime.datetime(2026, 12, 5, 16, 51, 13, 378454, tzinfo=UTC)
    ProgressEntry.history.filter(id=entry.pk, status="submitted").update(submitted_at=stored)
    body = (
        client_for(personas["reviewer"])
        .get(rad_url("indicators:entry_history", entry.pk), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "+00:00" not in body
    assert "<ins>Dec. 6, 2026, 12:51 a.m.</ins>" in body
