"""`--rad SLUG`: how every management command that reads a plan names it."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from programs.models import Plan


def add_rad_argument(parser) -> None:
    parser.add_argument(
        "--rad", metavar="SLUG", help="the plan's slug, e.g. rad-ttu-2018-2022 (default: the only plan loaded)"
    )


def plan_from_option(slug: str | None) -> Plan:
    """The plan named by `--rad`; without it the only plan, and with several an error that lists them."""
    plans = Plan.objects.select_related("region").order_by("code")
    if slug:
        plan = plans.filter(code=slug).first()
        if plan is None:
            raise CommandError(_("No plan “%(slug)s”. Plans: %(plans)s.") % {"slug": slug, "plans": _listing(plans)})
        return plan
    found = list(plans[:2])
    if not found:
        raise CommandError(_("No plan is loaded; run `manage.py load_plan` or `manage.py import_plan` first."))
    if len(found) > 1:
        raise CommandError(
            _("There are several plans; name one with --rad SLUG: %(plans)s.") % {"plans": _listing(plans)}
        )
    return found[0]


def _listing(plans) -> str:
    return ", ".join(plans.values_list("code", flat=True)) or "–"
