"""The annual report as DOCX, and the secretariat's narrative in it and in the PDF (files read back)."""

import io

import pytest
from django.core.management import call_command
from docx import Document

from conftest import RAD
from indicators.models import PillarNarrative
from reports.files.summary import build
from reports.tests.summary_fixtures import END
from reports.tests.test_summary_pdf import flat, pdf_pages
from reports.tests.test_summary_sentences import four_counts  # noqa: F401 (the fixture)

ACHIEVED = "Socialisation reached 438 people in 12 villages.\n\nThe café & “safe” <b>house</b> opened."


def write_narrative(plan, number: int, year: int = 2021) -> PillarNarrative:
    return PillarNarrative.objects.create(
        pillar=plan.pillars.get(number=number),
        year=year,
        achievements=ACHIEVED,
        obstacles="The budget came late.",
        follow_up="Disnakertrans reschedules the training for 2022.",
    )


def docx_text(content: bytes) -> tuple[list[tuple[str, str]], list[list[list[str]]]]:
    """(style, text) of every paragraph and the cells of every table."""
    doc = Document(io.BytesIO(content))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    return paragraphs, tables


@pytest.mark.django_db
def test_docx_has_the_cover_sentences_tables_and_narrative(four_counts):  # noqa: F811
    write_narrative(four_counts, 1)
    paragraphs, tables = docx_text(build(four_counts, 2021, "docx", "en", END))
    texts = [text for _style, text in paragraphs]
    title = "Annual report on the implementation of the RAD of the TPPO Task Force, Kabupaten Timor Tengah Utara — 2021"
    assert ("Title", title) in paragraphs
    bullets = [text for style, text in paragraphs if style == "List Bullet"]
    assert bullets[0] == "In 2021, 1 indicator is on track, 2 behind and 1 off track."
    assert "pillar 1 rose from 60 % to 90 % (+30 points)" in bullets[2]
    # the off-track list: 3.a.1.1, 1 of the 5 due in 2021 (20 %)
    assert ("Heading 2", "Indicators off track, 2021 (1)") in paragraphs
    off_track = tables[0]
    assert [row[0] for row in off_track] == ["Code", "3.a.1.1"]
    assert off_track[1][2:] == ["Polres TTU", "5 investigators", "1 investigators", "20 %"]
    # the pillar table: pillar 1 at 90 % in 2021, 70 % to date (3,500 of 5,000)
    pillars = tables[1]
    assert pillars[1][:2] == ["1. Prevention, Trafficking Awareness and Labour Guidance", "90 %"]
    assert pillars[1][3] == "70 %"
    # pillar 1's section: its indicator table and then the narrative, part by part
    heading = texts.index("Pillar 1. Prevention, Trafficking Awareness and Labour Guidance")
    narrative = texts.index("The secretariat's narrative, 2021", heading)
    assert texts[narrative + 1 : narrative + 8] == [
        "Achievements",
        "Socialisation reached 438 people in 12 villages.",
        "The café & “safe” <b>house</b> opened.",
        "Obstacles",
        "The budget came late.",
        "Follow-up",
        "Disnakertrans reschedules the training for 2022.",
    ]
    # a pillar without a narrative says so
    pillar_2 = texts.index("Pillar 2. Health, Social, Rehabilitation and Repatriation Services")
    assert texts[texts.index("The secretariat's narrative, 2021", pillar_2) + 1] == (
        "No narrative has been written for this year."
    )
    indicators = next(t for t in tables if t[0][0] == "Code" and any(r[0] == "1.a.1.1" for r in t))
    assert next(r for r in indicators if r[0] == "1.a.1.1")[2:5] == ["1,000 people", "900 people", "90 %"]


@pytest.mark.django_db
def test_docx_in_indonesian_and_the_whole_plan_without_narrative(four_counts):  # noqa: F811
    write_narrative(four_counts, 1)
    paragraphs, _tables = docx_text(build(four_counts, 2021, "docx", "id", END))
    assert "Pada 2021, 1 indikator sesuai target, 2 tertinggal dan 1 jauh tertinggal." in [t for _s, t in paragraphs]
    assert ("Heading 3", "Capaian") in paragraphs  # the part's heading in the report's language
    paragraphs, _tables = docx_text(build(four_counts, None, "docx", "en", END))
    texts = [text for _style, text in paragraphs]
    assert "Over the plan to date, 0 indicators are on track, 3 behind and 1 off track." in texts
    assert not any(text.startswith("The secretariat's narrative") for text in texts)  # a narrative is of a year


@pytest.mark.django_db
def test_pdf_prints_the_narrative_under_the_pillar(four_counts):  # noqa: F811
    write_narrative(four_counts, 1)
    text = flat(" ".join(pdf_pages(build(four_counts, 2021, "pdf", "en", END))))
    section = text[text.index("The secretariat's narrative, 2021") :]
    assert section.index("Achievements Socialisation reached 438 people in 12 villages.") < section.index(
        "Obstacles The budget came late."
    )
    assert "The café & “safe” <b>house</b> opened." in section  # escaped, not read as markup
    assert "Follow-up Disnakertrans reschedules the training for 2022." in section
    assert "No narrative has been written for this year." in section  # pillar 2


@pytest.mark.django_db
def test_a_changed_narrative_is_in_the_next_download(client_for, personas, four_counts):  # noqa: F811
    """The downloads are cached per plan data version: writing a narrative moves it on."""
    client = client_for(personas["executive"])
    url = f"{RAD}/reports/2021/summary.docx"
    first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert first["Content-Disposition"] == 'attachment; filename="rad-ttu-2018-2022-summary-2021.docx"'
    assert "The budget came late." not in [t for _s, t in docx_text(first.content)[0]]
    write_narrative(four_counts, 1)
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "The budget came late." in [t for _s, t in docx_text(second.content)[0]]


@pytest.mark.django_db
def test_summaries_page_offers_the_docx_beside_the_pdf(client_for, personas, plan):
    page = client_for(personas["executive"]).get(f"{RAD}/reports/").content.decode()
    pdf = page.index(f'href="{RAD}/reports/2021/summary.pdf"')
    assert page.index(f'href="{RAD}/reports/2021/summary.docx"') > pdf
    assert f'href="{RAD}/reports/plan/summary.docx"' in page
    assert f'href="{RAD}/narratives/"' in page


@pytest.mark.django_db
def test_export_summary_writes_a_docx_that_opens(entries, tmp_path):
    output = tmp_path / "laporan-2021.docx"
    call_command("export_summary", "--year", "2021", "--format", "docx", "--output", str(output), stdout=io.StringIO())
    paragraphs, _tables = docx_text(output.read_bytes())
    assert paragraphs[0][1].startswith("Gugus Tugas")  # Indonesian unless told


@pytest.mark.django_db
def test_libreoffice_opens_the_docx(four_counts, tmp_path):  # noqa: F811
    """What the office does with it: LibreOffice reads the file and prints it (skipped where it is absent)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    write_narrative(four_counts, 1)
    source = tmp_path / "report.docx"
    source.write_bytes(build(four_counts, 2021, "docx", "en", END))
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"  # its own profile: runs beside another soffice
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pages = pdf_pages((tmp_path / "report.pdf").read_bytes())
    text = flat(" ".join(pages))
    assert len(pages) >= 6  # cover, summary, four pillars, the method
    assert "In 2021, 1 indicator is on track, 2 behind and 1 off track." in text
    assert "Obstacles The budget came late." in text
