"""A sentence with a count for a page's script: its plural forms, which the script picks from.

Django's JS catalog is not on the pages; the words a script shows come from the server instead (a JSON island
or data attributes). A sentence with a count goes as its forms named by the Unicode plural categories, which
the script picks with Intl.PluralRules of the page's language: "one" (ngettext's form for 1) and "other" (its
form for 2). Enough for the two languages here: English (1 / the rest) and Indonesian (one form).
"""

from collections.abc import Callable


def plural_forms(count: Callable[[int], str]) -> dict[str, str]:
    """`count(n)` is the sentence's ngettext for n, its placeholders left for the script to fill."""
    return {"one": count(1), "other": count(2)}
