"""Template helpers for showing figures in the reader's locale."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


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


@register.filter
def num(value, places: int = 2) -> str:
    return format_number(value, places)


@register.filter
def pct(value) -> str:
    """An achievement ratio in percent, one decimal: 87.5 → '87,5 %'."""
    if value is None:
        return "–"
    return f"{format_number(value, 1)} %"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


@register.simple_tag
def status_label(status: str) -> str:
    from indicators.rollup import Status

    return Status.label(status)
