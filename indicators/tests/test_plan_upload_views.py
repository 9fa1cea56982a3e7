"""A new plan from a plan file on the web: upload → preview → confirm, who may do it, and every bad input refused.

The RAD TTU 2018–2022 exported (indicators.plans.plan_file) is the good file: 4 pillars (the four "program aksi"),
16 programs (2 + 4 + 5 + 5), 27 activities and 47 indicators (13 count, 11 milestone, 7 qualitative,
7 tracked, 3 coverage, 3 periodic, 2 level, 1 percent), as in fixtures/plan_rad_ttu_2018_2022.json.
"""

import csv
import io
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import ADMINISTRATOR, keep_permissions, make_user, run_queued_jobs
from indicators.models import Indicator, Job, Target
from indicators.plans.plan_file import to_csv, to_xlsx
from indicators.tests.plan_helpers import make_plan, make_regency
from indicators.views import plan_upload
from programs.models import Activity, Agency, Pillar, Plan, Program, Region

START = "/plans/new/"
PLAN_FILE = "/plans/new/plan-file/"
BELU = "rad-belu-2018-2022"
FIELDS = {"regency": "53.04", "start_year": 2018, "end_year": 2022, "slug": BELU, "name": "RAD TPPO Belu"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def root(plan):
    make_regency()  # Belu, 53.04, in the province of NTT
    return make_user("root", None, is_superuser=True, is_staff=True)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def upload(client, data: bytes, name: str = "plan.csv", **fields):
    return client.post(START, {**FIELDS, **fields, "file": SimpleUploadedFile(name, data)})


def token_of(response) -> str:
    return re.fullmatch(r"/plans/new/([0-9a-f-]{36})/", response.url)[1]


def tables() -> tuple[int, int, int, int, int]:
    return (
        Plan.objects.count(),
        Pillar.objects.count(),
        Program.objects.count(),
        Activity.objects.count(),
        Indicator.objects.count(),
    )


def rows_of(data: bytes) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    return list(reader.fieldnames), list(reader)


def as_csv(header: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def edited(plan, change) -> bytes:
    header, rows = rows_of(to_csv(plan))
    return as_csv(change(header, rows) or header, rows)


def row_of(rows: list[dict], code: str) -> dict:
    return next(row for row in rows if row["code"] == code)


def line_of(plan, code: str) -> int:
    """The spreadsheet row of an indicator in the exported file: the header is row 1."""
    _header, rows = rows_of(to_csv(plan))
    return [row["code"] for row in rows].index(code) + 2


def for_2023_2027(plan) -> bytes:
    """The exported plan made fit for 2023–2027: the default split of targets, milestones due in 2027."""

    def change(header, rows):
        for row in rows:
            for year in range(2018, 2023):
                row.pop(f"target_{year}")
            if row["kind"] == "milestone":
                row["due_year"] = "2027"
        return [name for name in header if not name.startswith("target_20")]

    return edited(plan, change)


# --- the way through ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_superuser_creates_another_regencys_plan_from_the_exported_plan(client_for, root, plan, media, english):
    client = client_for(root)
    response = upload(client, to_xlsx(plan), "rad-ttu.xlsx")
    assert response.status_code == 302
    token = token_of(response)
    assert (media / "plan-imports" / token).exists()

    preview = client.get(response.url)
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "4 pillars" in body and "16 programs" in body and "27 activities" in body and "47 indicators" in body
    assert "Create the draft plan" in body
    assert reverse("plan_upload:confirm", args=[token]) in body
    # the tree: 1.a.1.1 is a count of 5,000 people over 2018–2022, 1,000 a year (the default split), Disnakertrans
    row = re.search(r'<td class="indicator-code">1\.a\.1\.1</td>(.*?)</tr>', body, re.S)[1]
    assert "Count" in row and "5,000" in row and "2018: 1,000" in row and "2022: 1,000" in row
    assert "Disnakertrans" in row
    # Belu has no agency yet: the six the RAD names (Bapelitbang, Dinas Sosial, Disdukcapil, Disnakertrans, Polres,
    # the secretariat) come with the plan, from the names the file carries
    assert "Agencies the plan will add to the regency:" in body
    assert re.findall(r'<li><span class="font-monospace">([a-z]+)</span>', body) == [
        "bapelitbang",
        "dinsos",
        "disdukcapil",
        "disnakertrans",
        "polres",
        "sekretariat",
    ]
    assert tables()[0] == 1  # the preview created nothing
    assert not Agency.objects.filter(region__code="53.04").exists()

    # TTU's file names TTU in its agencies ("Polres TTU", "Sekretariat GT … TTU"): flagged, and confirmed only
    # once the administrator says the names are right for Belu
    assert body.count("names another regency: Kabupaten Timor Tengah Utara") >= 2
    assert 'name="agencies_checked"' in body
    refused = client.post(reverse("plan_upload:confirm", args=[token]))
    run_queued_jobs()
    assert Job.objects.get(token=token).message == (
        "Nothing was created: confirm that the agencies' names are right for this regency."
    )
    assert tables()[0] == 1
    queued = client.post(reverse("plan_upload:confirm", args=[token]), {"agencies_checked": "on"})
    job = Job.objects.get(token=token)
    assert refused.url == queued.url == f"/plans/new/jobs/{job.pk}/"
    assert not Plan.objects.filter(code=BELU).exists()  # a worker creates it
    run_queued_jobs()
    done = client.get(queued.url).content.decode()
    assert "Created the draft plan “rad-belu-2018-2022” with 47 indicators." in done
    assert f'href="/rad/{BELU}/"' in done
    assert client.get(f"/plans/new/jobs/{job.pk}.json").json() == {
        "state": "done",
        "done": 47,
        "total": 47,
        "message": "Created the draft plan “rad-belu-2018-2022” with 47 indicators.",
    }
    new = Plan.objects.get(code=BELU)
    assert (new.status, new.region.code, new.start_year, new.end_year, new.name_id) == (
        "draft",
        "53.04",
        2018,
        2022,
        "RAD TPPO Belu",
    )
    assert (new.pillars.count(), Program.objects.filter(pillar__plan=new).count(), new.indicators.count()) == (
        4,
        16,
        47,
    )
    assert Activity.objects.filter(program__pillar__plan=new).count() == 27
    assert (
        list(Target.objects.filter(indicator__plan=new, indicator__code="1.a.1.1").values_list("value", flat=True))
        == [1000] * 5
    )
    assert Agency.objects.filter(region__code="53.04").count() == 6
    assert not (media / "plan-imports" / token).exists()

    # a second click on the button (or a retry after a lost connection) creates nothing more: the same job
    again = client.post(reverse("plan_upload:confirm", args=[token]))
    assert again.url == queued.url
    run_queued_jobs()
    assert Plan.objects.filter(region__code="53.04").count() == 1


@pytest.mark.django_db
def test_administrator_creates_her_regencys_next_plan(client_for, personas, plan, english):
    client = client_for(personas["admin"])
    response = upload(client, for_2023_2027(plan), regency="53.03", start_year=2023, end_year=2027, slug="rad-ttu-23")
    assert response.status_code == 302, response.context["form"].errors
    preview = client.get(response.url)
    assert "47 indicators" in preview.content.decode()
    client.post(reverse("plan_upload:confirm", args=[token_of(response)]))
    run_queued_jobs()
    new = Plan.objects.get(code="rad-ttu-23")
    assert Job.objects.get().plan == new
    assert (new.region.code, new.status, new.years) == ("53.03", "draft", [2023, 2024, 2025, 2026, 2027])
    # 24 kecamatan over 5 years in whole units: 5, 5, 5, 5, 4 (1.b.2.1, a coverage target of 24)
    assert [t.value for t in Target.objects.filter(indicator__plan=new, indicator__code="1.b.2.1")] == [5, 5, 5, 5, 4]
    # her regency's new plan is hers to open
    assert client.get("/rad/rad-ttu-23/").status_code == 200


@pytest.mark.django_db
def test_the_form_offers_the_regencies_one_may_administer(client_for, personas, root):
    admin_form = client_for(personas["admin"]).get(START).context["form"]
    assert admin_form.fields["regency"].choices == [("53.03", "53.03 Kabupaten Timor Tengah Utara")]
    root_form = client_for(root).get(START).context["form"]
    assert [code for code, _label in root_form.fields["regency"].choices] == ["53.03", "53.04"]


@pytest.mark.django_db
def test_an_administrator_cannot_pick_another_regency(client_for, personas, root, plan, media):
    response = upload(client_for(personas["admin"]), to_csv(plan), regency="53.04")
    assert response.status_code == 200
    assert response.context["form"].errors["regency"]
    assert Plan.objects.count() == 1
    assert not (media / "plan-imports").exists()


# --- who may -------------------------------------------------------------------------------------------------


def every_step(client, plan) -> list[int]:
    token = uuid.uuid4()
    return [
        client.get(START).status_code,
        upload(client, to_csv(plan)).status_code,
        client.get(reverse("plan_upload:preview", args=[token])).status_code,
        client.post(reverse("plan_upload:preview", args=[token])).status_code,
        client.post(reverse("plan_upload:confirm", args=[token])).status_code,
        client.post(reverse("plan_upload:cancel", args=[token])).status_code,
        client.get(PLAN_FILE, {"source-plan": plan.code, "source-format": "xlsx"}).status_code,
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_a", "officer_b", "verifier", "reviewer", "executive", "outsider"])
def test_every_other_role_gets_403_at_every_step(client_for, personas, plan, root, media, who):
    # a role's POST to the preview is a method the preview does not take; a person without a role sees one page
    expected = [403] * 7 if who == "outsider" else [403, 403, 403, 405, 403, 403, 403]
    assert every_step(client_for(personas[who]), plan) == expected
    assert Plan.objects.count() == 1
    assert not (media / "plan-imports").exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_at_every_step(client, plan):
    token = uuid.uuid4()
    for method, url in [
        ("get", START),
        ("post", START),
        ("get", reverse("plan_upload:preview", args=[token])),
        ("post", reverse("plan_upload:confirm", args=[token])),
        ("post", reverse("plan_upload:cancel", args=[token])),
        ("get", PLAN_FILE),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_a_province_administrator_creates_no_regencys_plan(client_for, plan, media):
    """Her province's people read every regency and act in none: she could not edit or activate the draft."""
    admin = make_user("province_admin", ADMINISTRATOR, region="53", is_staff=True)
    client = client_for(admin)
    assert every_step(client, plan) == [403, 403, 403, 405, 403, 403, 403]
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_another_regencys_administrator_reaches_nothing_of_ttu(client_for, personas, plan, client, media):
    make_regency()
    belu_admin = make_user("admin_belu", ADMINISTRATOR, region="53.04", is_staff=True)
    response = upload(
        client_for(personas["admin"]), for_2023_2027(plan), regency="53.03", start_year=2023, end_year=2027
    )
    token = token_of(response)
    client.logout()
    other = client_for(belu_admin)
    assert other.get(reverse("plan_upload:preview", args=[token])).status_code == 404
    assert other.post(reverse("plan_upload:confirm", args=[token])).status_code == 404
    assert other.post(reverse("plan_upload:cancel", args=[token])).status_code == 404
    # TTU's plan is not among the plans she may start from
    refused = other.get(PLAN_FILE, {"source-plan": plan.code, "source-format": "csv"})
    assert refused.status_code == 400
    assert refused.context["source_form"].errors["plan"]
    assert upload(other, to_csv(plan), regency="53.03").context["form"].errors["regency"]
    assert (media / "plan-imports" / token).exists()
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_posts_without_the_csrf_token_are_refused(personas, plan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["admin"])
    assert upload(client, to_csv(plan), regency="53.03").status_code == 403
    token = uuid.uuid4()
    assert client.post(reverse("plan_upload:confirm", args=[token])).status_code == 403
    assert client.post(reverse("plan_upload:cancel", args=[token])).status_code == 403


@pytest.mark.django_db
def test_nav_and_the_list_of_plans_link_administrators_to_the_new_plan_page(client_for, personas, plan):
    admin = client_for(personas["admin"]).get("/rad/").content.decode()
    assert admin.count(f'href="{START}"') == 2  # in the bar and beside the list
    reviewer = client_for(personas["reviewer"]).get("/rad/").content.decode()
    assert f'href="{START}"' not in reviewer
    # a plan's pages keep the bar to the plan's own links
    assert f'href="{START}"' not in client_for(personas["admin"]).get(f"/rad/{plan.code}/").content.decode()


@pytest.mark.django_db
def test_the_upload_page_offers_her_plans_as_plan_files(client_for, personas, plan):
    client = client_for(personas["admin"])
    form = client.get(START).context["source_form"]
    assert [code for code, _label in form.fields["plan"].choices] == [plan.code]
    download = client.get(PLAN_FILE, {"source-plan": plan.code, "source-format": "csv"})
    assert download["Content-Disposition"] == 'attachment; filename="rad-ttu-2018-2022.csv"'
    header, rows = rows_of(download.content)
    assert (header[0], len(rows)) == ("pillar", 47)
    assert [name for name in header if name.startswith("target_")] == [f"target_{y}" for y in range(2018, 2023)]


@pytest.mark.django_db
def test_a_plan_file_moved_to_the_new_plans_years(client_for, personas, plan, english):
    """Starting 2023 instead of 2018: every year five later, the annual target columns and the due years."""
    client = client_for(personas["admin"])
    download = client.get(PLAN_FILE, {"source-plan": plan.code, "source-start_year": 2023, "source-format": "csv"})
    assert download["Content-Disposition"] == 'attachment; filename="rad-ttu-2018-2022-from-2023.csv"'
    header, rows = rows_of(download.content)
    assert [name for name in header if name.startswith("target_")] == [f"target_{y}" for y in range(2023, 2028)]
    # 1.b.1.1, a milestone with no due year of its own, falls due in the plan's last year: 2022 → 2027
    assert row_of(rows, "1.b.1.1")["due_year"] == "2027"
    # and it reads back as a plan of 2023–2027 without an error
    response = upload(
        client, download.content, regency="53.03", start_year=2023, end_year=2027, slug="rad-ttu-2023-2027"
    )
    assert "47 indicators" in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_a_bad_plan_file_request_shows_the_form_again(client_for, personas, plan, english):
    response = client_for(personas["admin"]).get(PLAN_FILE, {"source-plan": plan.code, "source-format": "pdf"})
    assert response.status_code == 400
    assert response.context["source_form"].errors["format"]


# --- bad input -------------------------------------------------------------------------------------------------


def preview_of(client, data: bytes, name: str = "plan.csv", **fields) -> str:
    response = upload(client, data, name, **fields)
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(response.url)
    assert page.status_code == 200
    return page.content.decode()


def errors_in(body: str) -> list[tuple[str, str, str]]:
    """(row, column, message) of the preview's table of errors."""
    found = re.findall(
        r'<tr class="table-danger">\s*<th scope="row">(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*<td>(.*?)</td>', body, re.S
    )
    return [(row, column, message.replace("&#x27;", "'").replace("&quot;", '"')) for row, column, message in found]


BAD_FILES = {
    "unknown column": (
        lambda header, rows: [*header, "colour"],
        lambda plan: [("1", "colour", "Unknown column “colour”.")],
    ),
    "unknown kind": (
        lambda header, rows: row_of(rows, "1.a.1.1").update(kind="amount"),
        lambda plan: [
            (
                str(line_of(plan, "1.a.1.1")),
                "kind",
                "Unknown kind “amount”; the kinds are: count, coverage, percent, milestone, periodic, level, "
                "tracked, qualitative.",
            )
        ],
    ),
    "negative target": (
        lambda header, rows: row_of(rows, "1.a.1.2").update(target="-5"),
        lambda plan: [(str(line_of(plan, "1.a.1.2")), "target", "A target cannot be negative.")],
    ),
    "annual targets not adding up": (
        # 1,000 × 4 + 999 = 4,999, not the plan target 5,000
        lambda header, rows: row_of(rows, "1.a.1.1").update(target_2022="999"),
        lambda plan: [
            (
                str(line_of(plan, "1.a.1.1")),
                "target",
                "The annual targets add up to 4999, not the plan target 5000.",
            )
        ],
    ),
    "duplicate indicator code": (
        lambda header, rows: rows.append(dict(row_of(rows, "1.a.1.1"))),
        lambda plan: [
            ("49", "code", f"Duplicate indicator code “1.a.1.1” (also in row {line_of(plan, '1.a.1.1')}).")
        ],  # 47 indicators after the header: the copy is row 49
    ),
    # the indicator's own rules (Indicator.clean), found by the preview rather than halfway through the saving
    "percent target over 100": (
        lambda header, rows: row_of(rows, "2.b.1.3").update(target="150"),
        lambda plan: [(str(line_of(plan, "2.b.1.3")), "target", "A percentage target cannot exceed 100.")],
    ),
    "target on a tracked indicator": (
        lambda header, rows: row_of(rows, "2.d.1.1").update(target="5"),
        lambda plan: [(str(line_of(plan, "2.d.1.1")), "target", "A Tracked (no target) indicator has no target.")],
    ),
    "milestone without due year": (
        lambda header, rows: row_of(rows, "1.b.1.1").update(due_year=""),
        lambda plan: [
            (str(line_of(plan, "1.b.1.1")), "due_year", "A milestone needs a due year inside the plan's years.")
        ],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_previewed_with_every_error_and_nothing_to_confirm(client_for, root, plan, english, case):
    change, expected = BAD_FILES[case]
    client = client_for(root)
    if case == "unknown column":
        header, rows = rows_of(to_csv(plan))
        for row in rows:
            row["colour"] = "red"
        data = as_csv(change(header, rows), rows)
    else:
        data = edited(plan, change)
    body = preview_of(client, data)
    assert errors_in(body) == expected(plan)
    assert "1 error, so nothing can be created." in body
    assert "/confirm/" not in body
    # the form to upload the corrected file keeps what was typed
    assert 'value="rad-belu-2018-2022"' in body and 'value="RAD TPPO Belu"' in body
    assert re.search(r'<option value="53\.04"\s+selected>', body)
    # a crafted confirmation is checked again and creates nothing
    before = tables()
    token = re.search(r"/plans/new/([0-9a-f-]{36})/cancel/", body)[1]
    client.post(reverse("plan_upload:confirm", args=[token]))
    run_queued_jobs()
    job = Job.objects.get()
    assert (job.state, job.message) == ("failed", "Nothing was created: the file or the plan has errors.")
    assert len(job.outcome["errors"]) == 1
    assert tables() == before


@pytest.mark.django_db
def test_errors_are_shown_in_indonesian_by_default(client_for, root, plan):
    body = preview_of(client_for(root), edited(plan, BAD_FILES["negative target"][0]))
    assert errors_in(body) == [(str(line_of(plan, "1.a.1.2")), "target", "Target tidak boleh negatif.")]
    assert "1 kesalahan, jadi tidak ada yang dapat dibuat." in body


@pytest.mark.django_db
def test_overlapping_years_are_refused_naming_the_plan(client_for, personas, plan, english, media):
    response = upload(
        client_for(personas["admin"]), for_2023_2027(plan), regency="53.03", start_year=2022, end_year=2026
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start_year"] == [
        "The years 2022–2026 overlap the plan “Regional Action Plan of the TTU Task Force on the Prevention and "
        "Handling of Trafficking in Persons 2018–2022” (rad-ttu-2018-2022, 2018–2022) of the same regency, which "
        "is not closed. Close it first or choose other years."
    ]
    body = response.content.decode()
    assert 'value="rad-belu-2018-2022"' in body  # what she typed is kept
    assert 'aria-invalid="true" aria-describedby="id_start_year_error"' in body
    assert not (media / "plan-imports").exists()


@pytest.mark.django_db
def test_a_closed_plan_does_not_block_its_years(client_for, personas, plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CLOSED)
    response = upload(client_for(personas["admin"]), to_csv(plan), regency="53.03", slug="rad-ttu-2018-2022-b")
    assert response.status_code == 302


@pytest.mark.django_db
def test_duplicate_slug_is_refused(client_for, root, plan, english):
    response = upload(client_for(root), to_csv(plan), slug="rad-ttu-2018-2022")
    assert response.context["form"].errors["slug"] == ["A plan with the slug “rad-ttu-2018-2022” already exists."]


@pytest.mark.django_db
def test_reversed_years_are_refused(client_for, root, plan, english):
    response = upload(client_for(root), to_csv(plan), start_year=2022, end_year=2018)
    assert response.context["form"].errors["end_year"] == ["The last year 2018 comes before the first year 2022."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.7\n\x00\x01\x02 binary", "plan.csv", "neither an Excel workbook (.xlsx) nor a CSV file"),
        (b"PK\x03\x04" + b"\x00" * 50, "plan.xlsx", "damaged"),
        (b"pillar,code\n" + b"x" * (5 * 1024 * 1024), "big.csv", "The file is larger than 5 MB."),
    ],
)
def test_files_that_are_not_plan_files_are_refused_at_the_upload(
    client_for, root, plan, english, media, data, name, message
):
    response = upload(client_for(root), data, name)
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert 'value="rad-belu-2018-2022"' in response.content.decode()
    assert not (media / "plan-imports").exists()


@pytest.mark.django_db
def test_a_plan_made_meanwhile_is_named_at_the_preview_and_the_confirmation(client_for, root, plan, english):
    client = client_for(root)
    response = upload(client, to_csv(plan))
    make_plan("rad-belu-2019-2023")  # Belu's own plan, active, 2019–2023, made after the upload
    body = client.get(response.url).content.decode()
    assert [(row, column) for row, column, _message in errors_in(body)] == [("–", "Years")]
    assert "rad-belu-2019-2023" in errors_in(body)[0][2]
    before = tables()
    confirm = client.post(reverse("plan_upload:confirm", args=[token_of(response)]), {"agencies_checked": "on"})
    run_queued_jobs()
    page = client.get(confirm.url).content.decode()
    assert "Nothing was created" in page and "rad-belu-2019-2023" in page
    assert tables() == before


@pytest.mark.django_db
def test_a_failure_midway_leaves_nothing(client_for, root, plan, english, monkeypatch):
    """The tenth indicator's targets fail after nine indicators, their activities, programs and pillars were made."""
    from indicators.plans import loader as plan_loader

    loaded = []
    real = plan_loader._load_targets

    def fail_on_the_tenth(result, indicator):
        loaded.append(indicator.code)
        if len(loaded) == 10:
            raise ValidationError("The database refused a target.")
        real(result, indicator)

    monkeypatch.setattr(plan_loader, "_load_targets", fail_on_the_tenth)
    client = client_for(root)
    before = tables()
    targets = Target.objects.count()
    response = upload(client, to_csv(plan))
    confirm = client.post(reverse("plan_upload:confirm", args=[token_of(response)]), {"agencies_checked": "on"})
    run_queued_jobs()
    assert len(loaded) == 10
    assert "The database refused a target." in client.get(confirm.url).content.decode()
    assert Job.objects.get().state == "failed"
    assert tables() == before and Target.objects.count() == targets
    assert not Region.objects.get(code="53.04").plan_set.exists()


# --- the upload's life -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancel_discards_the_upload(client_for, root, plan, media):
    client = client_for(root)
    token = token_of(upload(client, to_csv(plan)))
    assert client.post(reverse("plan_upload:cancel", args=[token])).url == START
    assert not (media / "plan-imports" / token).exists()
    assert client.get(reverse("plan_upload:preview", args=[token])).status_code == 404


@pytest.mark.django_db
def test_a_new_upload_replaces_the_last_and_stale_ones_are_swept(client_for, root, plan, media):
    import os

    client = client_for(root)
    first = token_of(upload(client, to_csv(plan)))
    stale = media / "plan-imports" / str(uuid.uuid4())
    stale.write_bytes(b"abandoned")
    os.utime(stale, (0, 0))
    second = token_of(upload(client, to_csv(plan)))
    assert sorted(p.name for p in (media / "plan-imports").iterdir() if p.is_file()) == [second]
    assert client.get(reverse("plan_upload:preview", args=[first])).status_code == 404


@pytest.mark.django_db
def test_a_preview_whose_worker_died_is_not_read_again(client_for, root, plan, english, media, monkeypatch):
    client = client_for(root)
    response = upload(client, to_csv(plan))
    token = token_of(response)

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(plan_upload, "check_upload", killed)
    with pytest.raises(SystemExit):
        client.get(response.url)
    monkeypatch.undo()
    assert token in client.session["plan_imports_reading"]
    busy = client.get(response.url)
    assert busy.status_code == 409  # still within two minutes: perhaps still running

    session = client.session
    session["plan_imports_reading"] = {token: "2020-01-01T00:00:00+00:00"}
    session.save()
    dropped = client.get(response.url, follow=True)
    assert dropped.redirect_chain == [(START, 302)]
    assert "did not finish" in dropped.content.decode()
    assert not (media / "plan-imports" / token).exists()


# --- what it costs ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_queries_of_the_upload_page_and_the_preview(client_for, personas, plan, django_assert_num_queries):
    client = client_for(personas["admin"])
    keep_permissions(personas["admin"])
    # session, user with her staff profile (permissions kept), her profile's region, the regencies (her region again,
    # by regencies_acted_in), the demo banner's question, her plans to start from
    with django_assert_num_queries(6):
        assert client.get(START).status_code == 200
    response = upload(client, for_2023_2027(plan), regency="53.03", start_year=2023, end_year=2027, slug="rad-ttu-23")
    # session, user with her staff profile (permissions kept), her profile's region, the regencies (her region again);
    # the reading note saved (3);
    # the plan's checks: the region, the slug, an overlapping plan; the agencies (the file's check, the tree);
    # the demo banner's question; the session saved (3)
    with django_assert_num_queries(16):
        assert client.get(response.url).status_code == 200
