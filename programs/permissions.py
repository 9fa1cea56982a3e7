"""Every change of what roles may do, or of who has which role, replaces every staff profile's permissions token.

A signed-in person's permissions are kept in each process under her profile's token (tptto_monitor.auth_backend),
read with her user on every request: a new token makes every process read her permissions afresh on her next
request. What moves them: a role's (group's) permissions added, removed or cleared, a person's roles or own
permissions changed (from either side of the relation), a role or a permission deleted (its rows go with it,
without a signal of their own), and every `migrate` (a data migration sets the roles' permissions on the
migration's own copies of the models, which send no signal these receivers hear). Such changes are an
administrator's, and rare: every profile's token is replaced in one UPDATE, rather than working out whose
permissions moved.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate

from programs.models import StaffProfile, new_token

CHANGES = ("post_add", "post_remove", "post_clear")


def forget_all_permissions(using: str = DEFAULT_DB_ALIAS, **_kwargs) -> None:
    """Every profile's token replaced, in the database of the change (the signals' `using`)."""
    StaffProfile.objects.using(using).update(permissions_version=new_token())


def _after_migrate(using: str, **_kwargs) -> None:
    if StaffProfile._meta.db_table in connections[using].introspection.table_names():  # not after `migrate … zero`
        forget_all_permissions(using)


def _on_relation(action: str, using: str, **_kwargs) -> None:
    if action in CHANGES:
        forget_all_permissions(using)


def connect() -> None:
    user = get_user_model()
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_on_relation, sender=through, dispatch_uid=f"permissions-{through._meta.label}")
    for model in (Group, Permission):
        post_delete.connect(forget_all_permissions, sender=model, dispatch_uid=f"permissions-{model._meta.label}")
    # sent once for each app after a migrate; once is enough (this app's)
    post_migrate.connect(_after_migrate, sender=apps.get_app_config("programs"), dispatch_uid="permissions-migrate")
