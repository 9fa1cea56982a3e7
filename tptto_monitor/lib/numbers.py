"""Numbers as the reader's locale writes them, for pages and files alike."""

from decimal import Decimal

from django.utils.formats import number_format


def format_number(value, places: int = 2) -> str:
    """5000 → '5.000' in Indonesian, '5,000' in English; 0.8 → '0,8' / '0.8'."""
    if value is None or value == "":
        return "–"
    number = Decimal(str(value))
    rounded = round(number, places)
    if rounded == rounded.to_integral_value():
        return number_format(int(rounded), decimal_pos=0, force_grouping=True)
    text = format(rounded.normalize(), "f")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return number_format(rounded, decimal_pos=decimals, force_grouping=True)
