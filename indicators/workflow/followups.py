"""Follow-ups: a verifier marks an entry as needing follow-up with a note; it stays on the list
until someone resolves it. Both steps are write paths with their history (who, when, what)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import FollowUp, ProgressEntry
from indicators.models.roles import can_verify
from indicators.workflow.services import check_plan_open
from programs.access import check_acts_in


class AlreadyResolved(Exception):
    pass


def _check_verifier(user) -> None:
    if not can_verify(user):
        raise PermissionDenied(_("Only the secretariat's verifiers and administrators can do this."))


def listed(*, plan, resolved: bool = False):
    """The plan's open follow-ups, oldest first; or its resolved ones, latest first."""
    items = FollowUp.objects.filter(entry__indicator__plan=plan).select_related(
        "entry__indicator__plan", "entry__agency", "entry__kecamatan", "created_by", "resolved_by"
    )
    if resolved:
        return items.filter(resolved_at__isnull=False).order_by("-resolved_at", "-id")
    return items.filter(resolved_at__isnull=True).order_by("created_at", "id")


@transaction.atomic
def open_follow_up(*, user, entry: ProgressEntry, note: str) -> FollowUp:
    check_plan_open(entry.indicator)
    check_acts_in(user, entry.indicator.plan)
    _check_verifier(user)
    item = FollowUp(entry=entry, note=(note or "").strip(), created_by=user)
    if not item.note:
        raise ValidationError({"note": _("Say what needs following up.")})
    item.full_clean()
    item._history_user = user
    item.save()
    return item


@transaction.atomic
def resolve_follow_up(*, user, follow_up: FollowUp, resolution: str) -> FollowUp:
    """Close a follow-up; the history keeps who resolved it, when and how."""
    _check_verifier(user)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say how the follow-up was resolved.")})
    current = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not current.is_open:
        raise AlreadyResolved(_("This follow-up was already resolved."))
    current.resolution = resolution
    current.resolved_by = user
    current.resolved_at = timezone.now()
    current.full_clean()
    current._history_user = user
    current._change_reason = resolution
    current.save()
    return current
