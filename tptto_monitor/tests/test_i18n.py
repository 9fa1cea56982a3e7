"""The translation catalogs: complete, compiled, placeholder-safe, and used by the pages.

Bahasa Indonesia is the default language and English the second; msgids are English.
The .mo files are committed (msgfmt is not on every machine), so they must agree with
the .po files: after editing a .po, run `python manage.py compilemessages --ignore=.venv`.
"""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

from conftest import RAD

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["id", "en"]
PLURAL_FORMS = {"id": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}

# %(name)s, %(name)d, %s, %d, %% (python-format only) and {name}
PYTHON_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdf]|%[sdf%]")
BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def load_po(language: str) -> polib.POFile:
    return polib.pofile(str(po_path(language)))


def load_mo(language: str) -> polib.MOFile:
    return polib.mofile(str(po_path(language).with_suffix(".mo")))


def placeholders(entry: polib.POEntry | polib.MOEntry, text: str) -> set[str]:
    found = set(BRACE_PLACEHOLDER.findall(text))
    if "python-format" in getattr(entry, "flags", ()):
        found |= set(PYTHON_PLACEHOLDER.findall(text))
    else:
        found |= {token for token in PYTHON_PLACEHOLDER.findall(text) if token != "%%"}
    return found


def translations(entry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def catalog(entries) -> dict[tuple[str | None, str], tuple[str, ...]]:
    return {(entry.msgctxt, entry.msgid): tuple(translations(entry)) for entry in entries if entry.msgid}


@pytest.mark.parametrize("language", LANGUAGES)
def test_po_parses_with_utf8_headers(language):
    po = load_po(language)
    assert len(po) > 100
    assert po.metadata["Language"] == language
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS[language]
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(language):
    po = load_po(language)
    nplurals = int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[language]).group(1))
    untranslated = [
        entry.msgid
        for entry in po
        if not entry.obsolete
        and (
            not all(translations(entry))
            or (entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(nplurals)))
        )
    ]
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    obsolete = [entry.msgid for entry in po if entry.obsolete]
    assert not untranslated, f"{language}: untranslated msgids: {untranslated}"
    assert not fuzzy, f"{language}: fuzzy msgids: {fuzzy}"
    assert not obsolete, f"{language}: obsolete msgids (run makemessages --no-obsolete): {obsolete}"


def test_english_is_complete_by_identity():
    mismatched = [
        entry.msgid
        for entry in load_po("en")
        if translations(entry) != ([entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid])
    ]
    assert not mismatched, f"en: msgstr differs from msgid for: {mismatched}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_agrees_with_po(language):
    po, mo = catalog(load_po(language)), catalog(load_mo(language))
    assert set(po) == set(mo), (
        f"{language}: run compilemessages; only in .po: {sorted(set(po) - set(mo))[:10]}, "
        f"only in .mo: {sorted(set(mo) - set(po))[:10]}"
    )
    differing = [msgid for (context, msgid), value in po.items() if mo[(context, msgid)] != value]
    assert not differing, f"{language}: run compilemessages; .mo differs from .po for: {differing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    wrong = []
    for entry in load_po(language):
        expected = placeholders(entry, entry.msgid)
        if entry.msgid_plural:
            expected |= placeholders(entry, entry.msgid_plural)
        for text in translations(entry):
            if placeholders(entry, text) != expected:
                wrong.append(f"{entry.msgid!r} → {text!r}")
    assert not wrong, f"{language}: placeholders differ:\n" + "\n".join(wrong)


def test_catalogs_are_loaded_at_run_time():
    with translation.override("id"):
        assert translation.gettext("Sign out") == "Keluar"
        assert translation.gettext("Page %(page)s of %(pages)s") % {"page": 1, "pages": 3} == "Halaman 1 dari 3"
        assert translation.ngettext("Import %(n)s entry", "Import %(n)s entries", 2) % {"n": 2} == "Impor 2 entri"
    with translation.override("en"):
        assert translation.gettext("Sign out") == "Sign out"
        assert translation.ngettext("Import %(n)s entry", "Import %(n)s entries", 2) % {"n": 2} == "Import 2 entries"


@pytest.mark.django_db
def test_plan_page_in_indonesian_by_default_and_in_english_on_request(client_for, personas):
    client = client_for(personas["officer_a"])

    indonesian = client.get(f"{RAD}/").content.decode()
    assert 'lang="id"' in indonesian
    for text in ("Keluar", "Rencana Aksi", "Dasbor", "Indikator saya", "5.000 orang"):
        assert text in indonesian, text
    for text in ("Sign out", "My indicators", "5,000 people"):
        assert text not in indonesian, text

    client.cookies["django_language"] = "en"
    english = client.get(f"{RAD}/").content.decode()
    assert 'lang="en"' in english
    for text in ("Sign out", "Dashboard", "My indicators", "5,000 people"):
        assert text in english, text
    for text in ("Keluar", "Indikator saya"):
        assert text not in english, text
