"""The PDF report: title, hand-worked numbers, page numbers, awkward text (see summary_fixtures)."""

import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from indicators.models import Indicator, ProgressEntry
from reports.files.summary import build
from reports.tests.summary_fixtures import END


def pdf_pages(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.django_db
def test_english_report_has_title_figures_and_page_numbers(entries):
    Indicator.objects.filter(code="1.a.1.2").update(text_en='Brochures "safe", café – <b>bold</b> & more\nline two')
    pages = pdf_pages(build(entries, 2021, "pdf", "en", END))
    text = flat(" ".join(pages))
    title = "Annual report on the implementation of the RAD of the TPPO Task Force, Kabupaten Timor Tengah Utara — 2021"
    assert title in text  # the regency's name comes from the plan's region
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page
        assert "data cut-off 2022-12-31" in page
    assert "Executive summary" in text
    assert "1,000" in text and "700" in text and "70 %" in text  # 1.a.1.1 in 2021
    assert re.search(r"1\.b\.2\.1 .*? 20 kecamatan 2 kecamatan 10 %", text)  # 2 of the 20 places due by 2021
    assert "40 %" in text  # 2.b.1.3: 20 % of the 50 % target
    assert re.search(r"(?<![\d.,])8 %", text)  # pillar 1: (70 + 10) ÷ 10 = 8 %
    assert "Achieved" in text  # 4.a.1.1's milestone shown as its status, not as a score
    assert 'Brochures "safe", café – <b>bold</b> & more' in text  # escaped, not read as markup
    assert "Sosialisasi di Kefamenanu, café & “aman”." in text  # a highlight
    assert "Data quality" in text and "Highlights" in text


@pytest.mark.django_db
def test_indonesian_report_is_the_default_language(entries):
    pages = pdf_pages(build(entries, 2021, "pdf", "id", END))
    text = flat(" ".join(pages))
    with translation.override("id"):
        title = gettext(
            "Annual report on the implementation of the RAD of the TPPO Task Force, %(regency)s — %(period)s"
        ) % {"regency": "Kabupaten Timor Tengah Utara", "period": 2021}
    assert flat(title) in text
    assert "1.000" in text and "70 %" in text  # Indonesian number format
    assert "Tersosialisasikannya kepada 5.000 orang" in text  # the Indonesian indicator text


@pytest.mark.django_db
def test_report_for_a_plan_without_entries_says_no_data_yet(plan):
    text = flat(" ".join(pdf_pages(build(plan, None, "pdf", "en", END))))
    assert "— 2018–2022" in text
    assert "No data yet" in text
    assert "Page 1 of" in text


@pytest.mark.django_db
def test_demo_entries_are_announced(entries):
    assert "Demo data" not in flat(" ".join(pdf_pages(build(entries, 2021, "pdf", "en", END))))
    ProgressEntry.objects.filter(indicator__code="1.a.1.1").update(is_demo=True)
    text = flat(" ".join(pdf_pages(build(entries, 2021, "pdf", "en", END))))
    assert "Demo data: the figures include invented demonstration entries." in text
