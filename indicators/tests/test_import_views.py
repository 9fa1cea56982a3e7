"""Web import: template → upload → dry-run preview → confirm, and who may do it."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import RAD, rad_url, run_queued_jobs
from indicators.models import Job, ProgressEntry
from indicators.tests.import_helpers import csv_bytes, xlsx

GOOD = [
    {"code": "1.a.1.1", "period": "2021S1", "kecamatan": "53.03.08", "value": 320, "male": 150, "female": 170},
    {"code": "1.b.1.1", "period": "2021S2", "status": "achieved", "date": "2021-11-30"},
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, data: bytes, name: str = "backlog.xlsx"):
    return client.post(rad_url("indicators:import"), {"file": SimpleUploadedFile(name, data)})


def token_of(response) -> str:
    return re.search(r"/import/([0-9a-f-]{36})/", response.url)[1]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_a", "admin"])
def test_officer_and_administrator_see_the_import_page(client_for, personas, who):
    response = client_for(personas[who]).get(rad_url("indicators:import"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="file"' in body
    assert re.search(r'<label\s+for="id_file"', body)
    assert rad_url("indicators:import_template", "xlsx") in body


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["verifier", "reviewer", "executive", "outsider"])
def test_other_roles_get_403_everywhere(client_for, personas, who, media):
    client = client_for(personas[who])
    assert client.get(rad_url("indicators:import")).status_code == 403
    assert client.get(rad_url("indicators:import_template", "xlsx")).status_code == 403
    assert upload(client, xlsx(GOOD)).status_code == 403
    token = "0b1c2d3e-0000-4000-8000-000000000000"
    assert client.get(rad_url("indicators:import_preview", token)).status_code == 403
    assert client.post(rad_url("indicators:import_confirm", token)).status_code == 403
    assert not ProgressEntry.objects.exists()
    assert not (media / "imports").exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, plan):
    for url in (rad_url("indicators:import"), rad_url("indicators:import_template", "csv")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_officer_uploads_previews_and_confirms(client_for, personas, media):
    client = client_for(personas["officer_a"])
    response = upload(client, xlsx(GOOD))
    assert response.status_code == 302
    token = token_of(response)
    assert (media / "imports" / token).exists()

    preview = client.get(response.url)
    assert preview.status_code == 200
    body = preview.content.decode()
    assert body.count(">OK<") == 0  # good rows are counted; only rows to look at are listed
    assert client.get(response.url + "?rows=all").content.decode().count(">OK<") == 2
    assert rad_url("indicators:import_confirm", token) in body
    assert 'name="valid_only"' not in body  # every row is good: nothing to choose
    assert not ProgressEntry.objects.exists()  # the preview saves nothing

    # the confirmation queues a job and answers with its page; a worker does the import
    queued = client.post(rad_url("indicators:import_confirm", token))
    job = Job.objects.get(token=token)
    assert queued.status_code == 302 and queued.url == rad_url("indicators:job", job.pk)
    assert (job.state, job.user, job.plan.code) == ("queued", personas["officer_a"], "rad-ttu-2018-2022")
    assert not ProgressEntry.objects.exists()
    run_queued_jobs()
    assert ProgressEntry.objects.count() == 2
    entry = ProgressEntry.objects.get(indicator__code="1.a.1.1")
    assert (entry.value, entry.female, entry.status, entry.agency.code) == (320, 170, "draft", "disnakertrans")
    assert entry.created_by == personas["officer_a"]
    client.cookies["django_language"] = "en"
    status = client.get(rad_url("indicators:job_json", job.pk)).json()
    assert status == {
        "state": "done",
        "done": 2,
        "total": 2,
        "message": "Imported 2 entries as drafts. Check them and submit them for verification.",
    }
    assert not (media / "imports" / token).exists()
    # confirming twice saves nothing more: the second confirm leads to the same job
    again = client.post(rad_url("indicators:import_confirm", token))
    assert again.url == rad_url("indicators:job", job.pk)
    run_queued_jobs()
    assert ProgressEntry.objects.count() == 2


@pytest.mark.django_db
def test_bad_row_preview_names_row_and_column_and_offers_no_confirm(client_for, personas):
    client = client_for(personas["officer_a"])
    client.cookies["django_language"] = "en"
    rows = [GOOD[0], {"code": "1.a.1.2", "period": "2021S1", "value": 10, "male": 3, "female": 4}]
    response = upload(client, xlsx(rows))
    token = token_of(response)
    body = client.get(response.url).content.decode()
    assert "1 row has errors" in body
    assert re.search(r'<tr class="table-danger">\s*<th scope="row">3</th>', body)
    assert "column male" in body
    assert "must add up" in body
    assert "Import 2 entries" not in body  # the whole file cannot be saved
    assert re.search(r'name="valid_only" value="1" id="valid_only" required', body)  # only by explicit choice
    # a crafted confirm without that choice is checked again by its job, which saves nothing and names the row
    client.post(rad_url("indicators:import_confirm", token))
    run_queued_jobs()
    job = Job.objects.get(token=token)
    assert (job.state, job.message) == ("failed", "Nothing was saved: 1 row is not valid.")
    assert [(error["row"], error["column"]) for error in job.outcome["errors"]] == [(3, "male")]
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
def test_officer_cannot_import_for_another_agencys_indicator(client_for, personas):
    client = client_for(personas["officer_b"])  # Dinas Sosial
    client.cookies["django_language"] = "en"
    response = upload(client, xlsx([GOOD[0]]))  # 1.a.1.1 belongs to Disnakertrans
    token = token_of(response)
    body = client.get(response.url).content.decode()
    assert "column code" in body
    assert "Disnakertrans" in body
    client.post(rad_url("indicators:import_confirm", token))
    run_queued_jobs()
    assert Job.objects.get(token=token).state == "failed"
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
def test_administrator_imports_to_each_indicators_agency(client_for, personas):
    client = client_for(personas["admin"])
    response = upload(client, csv_bytes([GOOD[0], {"code": "2.a.1.2", "period": "2020S1", "value": 1}]), "x.csv")
    token = token_of(response)
    client.post(rad_url("indicators:import_confirm", token))
    run_queued_jobs()
    agencies = dict(ProgressEntry.objects.values_list("indicator__code", "agency__code"))
    assert agencies == {"1.a.1.1": "disnakertrans", "2.a.1.2": "dinsos"}


@pytest.mark.django_db
def test_another_users_upload_is_not_found(client_for, personas, client):
    response = upload(client_for(personas["officer_a"]), xlsx(GOOD))
    token = token_of(response)
    client.logout()
    other = client_for(personas["admin"])
    assert other.get(rad_url("indicators:import_preview", token)).status_code == 404
    assert other.post(rad_url("indicators:import_confirm", token)).status_code == 404
    assert not ProgressEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.7\n\x00\x01\x02 binary", "backlog.csv"),
        (b"PK\x03\x04" + b"\x00" * 50, "backlog.xlsx"),
        ("code,period\n".encode("utf-16"), "backlog.csv"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(client_for, personas, media, data, name):
    response = upload(client_for(personas["officer_a"]), data, name)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not (media / "imports").exists() or not list((media / "imports").iterdir())


@pytest.mark.django_db
def test_file_over_5_mb_is_refused(client_for, personas):
    data = b"code,period\n" + b"x" * (5 * 1024 * 1024)
    response = upload(client_for(personas["officer_a"]), data, "big.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


@pytest.mark.django_db
def test_extra_column_is_reported_and_the_upload_dropped(client_for, personas, media):
    client = client_for(personas["officer_a"])
    client.cookies["django_language"] = "en"
    response = upload(client, csv_bytes(GOOD, header=["code", "period", "value", "nama"]), "x.csv")
    page = client.get(response.url, follow=True)
    assert "nama" in page.content.decode()
    assert not [path for path in (media / "imports").rglob("*") if path.is_file()]  # nor its mark


@pytest.mark.django_db
def test_cancel_discards_the_upload(client_for, personas, media):
    client = client_for(personas["officer_a"])
    token = token_of(upload(client, xlsx(GOOD)))
    client.post(rad_url("indicators:import_cancel", token))
    assert not (media / "imports" / token).exists()
    assert client.get(rad_url("indicators:import_preview", token)).status_code == 404


@pytest.mark.django_db
def test_officer_template_lists_only_the_agencys_indicators(client_for, personas):
    client = client_for(personas["officer_a"])
    response = client.get(rad_url("indicators:import_template", "xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    entries, guide = workbook.worksheets
    rows = list(entries.iter_rows(values_only=True))
    assert rows[0] == (
        "code",
        "period",
        "kecamatan",
        "value",
        "male",
        "female",
        "child",
        "adult",
        "numerator",
        "denominator",
        "status",
        "date",
        "narrative",
    )
    codes = [row[0] for row in rows[1:]]
    # Disnakertrans: 1.a.1.1–1.a.3.2 (7 counts), 1.b.1.1–2 (milestones), 2.d.1.1 (tracked)
    assert codes == [
        "1.a.1.1",
        "1.a.1.2",
        "1.a.1.3",
        "1.a.2.1",
        "1.a.2.2",
        "1.a.3.1",
        "1.a.3.2",
        "1.b.1.1",
        "1.b.1.2",
        "2.d.1.1",
    ]
    assert all(row[3] is None for row in rows[1:])  # numbers left empty
    guide_text = [cell for row in guide.iter_rows(values_only=True) for cell in row if cell]
    assert "53.03.22" in guide_text
    assert "Biboki Tan Pah" in guide_text
    assert "narrative" in guide_text


@pytest.mark.django_db
def test_csv_template_reads_back_as_an_import_file(client_for, personas):
    client = client_for(personas["officer_b"])
    response = client.get(rad_url("indicators:import_template", "csv"))
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "code,period,kecamatan,value,male,female,child,adult,numerator,denominator,status,date,narrative"
    assert [line.split(",")[0] for line in lines[1:]] == ["2.a.1.2", "2.b.2.1"]


@pytest.mark.django_db
def test_nav_shows_import_to_officers_only(client_for, personas):
    url = rad_url("indicators:import")
    assert url in client_for(personas["officer_a"]).get(f"{RAD}/").content.decode()
    assert url not in client_for(personas["reviewer"]).get(f"{RAD}/").content.decode()
