"""The words of the offline page script: a count comes with its plural forms, in the reader's language."""

from django.utils import translation

from tptto_monitor.pwa import offline_text


def fill(form: str, n: int) -> str:
    """As the page script fills a form (assets/offline.js: say)."""
    return form.replace("%(n)s", str(n))


def test_the_sign_out_warning_and_the_waiting_count_have_plural_forms():
    """The script picks "one" or "other" for a count by the page language's plural rules (Intl.PluralRules):
    English says "1 entry … has", "2 entries … have"; Indonesian has one form for every count."""
    with translation.override("en"):
        text = offline_text()
    warning = text["sign_out_warning"]
    assert fill(warning["one"], 1) == (
        "1 entry on this device has not been sent yet. Signing out deletes it from this device. Sign out anyway?"
    )
    assert fill(warning["other"], 2) == (
        "2 entries on this device have not been sent yet. Signing out deletes them from this device. Sign out anyway?"
    )
    assert (fill(text["waiting"]["one"], 1), fill(text["waiting"]["other"], 3)) == (
        "1 entry waiting to be sent.",
        "3 entries waiting to be sent.",
    )
    with translation.override("id"):
        text = offline_text()
    warning = text["sign_out_warning"]
    expected = "entri di perangkat ini belum terkirim. Keluar akan menghapusnya dari perangkat ini. Tetap keluar?"
    assert (fill(warning["one"], 1), fill(warning["other"], 2)) == (f"1 {expected}", f"2 {expected}")
    assert fill(text["waiting"]["other"], 3) == "3 entri menunggu dikirim."
