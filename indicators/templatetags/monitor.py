"""Template helpers for showing figures in the reader's locale."""

from decimal import Decimal

from django import template

from tptto_monitor.lib.numbers import format_number

register = template.Library()


@register.filter
def num(value, places: int = 2) -> str:
    return format_number(value, places)


@register.filter
def role_label(group) -> str:
    """A role (a group) by its name in the reader's language: "Data-entry officer", not "officer"."""
    from indicators.models.roles import role_label as label

    return label(group.name)


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
    from indicators.figures.rollup import Status

    return Status.label(status)


@register.simple_tag
def job_count_forms(job) -> dict[str, str]:
    """The forms of a job's "done of total" for static/js/job.js, which redraws it (tptto_monitor/lib/plurals.py)."""
    from django.utils.translation import ngettext

    from tptto_monitor.lib.plurals import plural_forms

    if job.kind == "bulk":
        return plural_forms(lambda n: ngettext("%(done)s of %(total)s entry", "%(done)s of %(total)s entries", n))
    return plural_forms(lambda n: ngettext("%(done)s of %(total)s row", "%(done)s of %(total)s rows", n))


@register.simple_tag
def people_to_ask(user):
    """The administrators a person asks for what her account lacks (indicators.people.contacts)."""
    from indicators.people.contacts import people_to_ask as contacts

    return contacts(user)
