"""Roles are Django groups (created by a migration) holding the permissions
below; views ask for permissions, never for group names."""

from django.utils.translation import gettext_lazy

OFFICER = "officer"
VERIFIER = "verifier"
REVIEWER = "reviewer"
EXECUTIVE = "executive"
ADMINISTRATOR = "administrator"

# what people read for a role (the group's name is a code)
ROLE_LABELS = {
    OFFICER: gettext_lazy("Data-entry officer"),
    VERIFIER: gettext_lazy("Verifier (secretariat)"),
    REVIEWER: gettext_lazy("Reviewer"),
    EXECUTIVE: gettext_lazy("Executive (Bupati's office)"),
    ADMINISTRATOR: gettext_lazy("Administrator"),
}


def role_label(name: str) -> str:
    """A role's name in the reader's language; a group that is no role keeps its own name."""
    label = ROLE_LABELS.get(name)
    return name if label is None else str(label)


P = "indicators."
ENTER = P + "enter_progress"
VERIFY = P + "verify_progress"
READ_ALL = P + "read_all_progress"
COMMENT = P + "comment_progress"
AUDIT = P + "view_audit"
DOWNLOAD = P + "download_reports"
DASHBOARDS = P + "view_dashboards"  # every role: the plan, its figures and dashboards; no role, no page
NARRATE = P + "write_narrative"  # the secretariat's narrative of the annual report, per pillar and year
MONITOR = P + "monitor_reporting"  # the secretariat's cockpit: completeness, data quality, follow-ups

# what the secretariat does: verify, read every entry, comment, the cockpit, the narrative, the files
SECRETARIAT = (
    "view_dashboards",
    "verify_progress",
    "read_all_progress",
    "view_audit",
    "comment_progress",
    "download_reports",
    "monitor_reporting",
    "write_narrative",
)

# codename lists per group; admin-site permissions for the administrator are
# added in the migration from the models' default permissions.
ROLE_PERMISSIONS = {
    OFFICER: ["view_dashboards", "enter_progress"],
    VERIFIER: [*SECRETARIAT],
    REVIEWER: [
        "view_dashboards",
        "read_all_progress",
        "comment_progress",
        "view_audit",
        "download_reports",
        "monitor_reporting",
    ],
    # dashboards, the plan and the summaries; entries and their evidence are the working roles' business
    EXECUTIVE: ["view_dashboards", "download_reports"],
    # the administrator works as the secretariat does; her management of the plan is in the admin
    ADMINISTRATOR: [*SECRETARIAT],
}


# The administrator manages the plan, targets, agencies, regions and users in the admin.
ADMIN_MODELS = {
    "programs": ["plan", "pillar", "program", "activity", "agency", "region", "staffprofile"],
    "indicators": [
        *["indicator", "target", "progressentry", "evidence", "comment"],
        *["reportingdeadline", "consistencyrule", "dhis2mapping"],
    ],
    "auth": ["user"],
    "axes": ["accessattempt"],  # sign-in failures; deleting them lifts a lock-out
}


def build_role_groups(Group, Permission) -> None:  # noqa: N803 (model classes, historical or real)
    """Create the five groups with their permissions (used by the roles migration)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = list(Permission.objects.filter(content_type__app_label="indicators", codename__in=codenames))
        if role == ADMINISTRATOR:
            for app_label, models in ADMIN_MODELS.items():
                perms += list(
                    Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models)
                )
        group.permissions.set(perms)


# what an officer without an agency is told, wherever her own pages refuse her (with whom to ask: 403.html)
NO_AGENCY = gettext_lazy(
    "Your account is not linked to an agency yet. A data-entry officer logs progress for her agency's "
    "indicators, so there is nothing to show here until an administrator sets your agency."
)


def user_agency(user):
    profile = getattr(user, "staff_profile", None)
    return profile.agency if profile else None


def has_role(user) -> bool:
    """Every role reads the plan and the dashboards; a signed-in user without one sees only a page saying so."""
    return user.has_perm(DASHBOARDS)


def can_read_all(user) -> bool:
    return user.has_perm(READ_ALL)


def can_enter(user) -> bool:
    return user.has_perm(ENTER) and user_agency(user) is not None


def can_verify(user) -> bool:
    return user.has_perm(VERIFY)


def can_narrate(user) -> bool:
    return user.has_perm(NARRATE)
