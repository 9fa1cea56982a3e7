"""Downloads built in the request (the dataset, the summaries, the province workbook) are held per user to
DOWNLOADS_PER_MINUTE and to DOWNLOADS_AT_ONCE running together: beyond, 429 with Retry-After and a page
saying when to try again, in the reader's language."""

import pytest
from django.test import Client

from conftest import RAD, make_user
from indicators.models.roles import REVIEWER
from reports.exchange import dataset
from tptto_monitor.lib import limits


class Clock:
    def __init__(self):
        self.now = 1_800_000_015.0  # 15 s into a minute: 45 s are left of it

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(limits, "time", fake)
    return fake


@pytest.mark.django_db
def test_downloads_beyond_the_rate_answer_429(client_for, personas, settings, clock):
    settings.DOWNLOADS_PER_MINUTE = 3
    client = client_for(personas["executive"])
    client.cookies["django_language"] = "id"
    for url in ["reports/dataset.csv", "reports/2021/summary.csv", "reports/plan/summary.xlsx"]:
        assert client.get(f"{RAD}/{url}").status_code == 200, url
    refused = client.get(f"{RAD}/reports/dataset.xlsx")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"
    assert "Terlalu banyak unduhan dalam waktu singkat. Silakan coba lagi dalam 45 detik." in refused.content.decode()
    # another reader is not held back by this one; pages are not downloads
    assert client_for(personas["reviewer"]).get(f"{RAD}/reports/dataset.csv").status_code == 200
    assert client_for(personas["executive"]).get(f"{RAD}/reports/").status_code == 200
    clock.now += 45
    assert client_for(personas["executive"]).get(f"{RAD}/reports/dataset.xlsx").status_code == 200


@pytest.mark.django_db
def test_a_download_while_another_of_ones_own_is_being_built_answers_429(personas, settings, monkeypatch):
    settings.DOWNLOADS_AT_ONCE = 1
    client, other_reader = Client(), Client()
    client.force_login(personas["reviewer"])
    client.cookies["django_language"] = "en"
    other_reader.force_login(make_user("reviewer_2", REVIEWER))
    real_build, seen = dataset.build, {}

    def slow_build(*args, **kwargs):
        # while this one is built, the same reader asks again (another tab); someone else asks too
        seen["same reader"] = client.get(f"{RAD}/reports/2021/summary.pdf")
        seen["other reader"] = other_reader.get(f"{RAD}/reports/2021/summary.csv")
        return real_build(*args, **kwargs)

    monkeypatch.setattr(dataset, "build", slow_build)
    assert client.get(f"{RAD}/reports/dataset.csv").status_code == 200
    assert seen["same reader"].status_code == 429 and seen["same reader"]["Retry-After"] == "5"
    assert "Too many downloads in a short time. Please try again in 5 seconds." in seen["same reader"].content.decode()
    assert seen["other reader"].status_code == 200
    monkeypatch.setattr(dataset, "build", real_build)
    assert client.get(f"{RAD}/reports/2021/summary.pdf").status_code == 200  # the first one is done


@pytest.mark.django_db
def test_the_province_workbook_is_a_download_too(client_for, settings, plan, clock):
    settings.DOWNLOADS_PER_MINUTE = 1
    province = client_for(make_user("province_reviewer", REVIEWER, region="53"))
    assert province.get("/province/53/province.xlsx").status_code == 200
    assert province.get("/province/53/province.xlsx").status_code == 429
