"""Cells of the text files every export writes (CSV): numbers without float noise and text that a
spreadsheet never runs as a formula (text starting with = + - @, a tab or a carriage return is
prefixed with an apostrophe, as OWASP's CSV-injection advice says)."""

from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def number(value: Decimal | None, places: int = 2) -> str:
    """Decimal('1000.00') → '1000'; Decimal('20.8333') → '20.83'; None → ''."""
    if value is None:
        return ""
    rounded = round(Decimal(value), places)
    if rounded == rounded.to_integral_value():
        return str(int(rounded))
    return format(rounded.normalize(), "f")


def text(value: str) -> str:
    value = value or ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
