"""Django's ModelBackend with the two reads every page makes done cheaper (AUTHENTICATION_BACKENDS).

Every signed-in request loads its user, and every page asks for her permissions (the role check, the page's
own check, the navigation). ModelBackend reads the user, then her own permissions and her groups' permissions
in two queries built by the ORM; measured with `make loadtest`, these reads were a fifth of a cached dashboard
page's time. Here the user comes with her staff profile (which plans she reads: programs.access) in the same
query, and her permissions, her own and her groups', in one query of fixed SQL. What she may do is unchanged:
both are still read from the database on every request, so a changed role or a removed account counts from the
next request, in every process.

A person with a staff profile has her permissions kept in this process under her profile's permissions token
(read with her user): any change of roles or of their permissions replaces every token (programs.permissions), so
the next request of hers, in every process, reads them afresh. A page then asks for no query of permissions.
"""

import functools
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router


def _permissions_sql() -> str:
    """Her own permissions and her groups', as (app label, codename); the names are the models' own tables."""
    user = get_user_model()
    own, member, granted = (m.through._meta for m in (user.user_permissions, user.groups, Group.permissions))

    def column(meta, name: str) -> str:
        return meta.get_field(name).column

    # no value is formatted in, only the table and column names of Django's auth models
    return (
        f"SELECT ct.app_label, p.codename FROM {Permission._meta.db_table} p "  # noqa: S608
        f"JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id WHERE p.id IN ("
        f"SELECT {column(own, 'permission')} FROM {own.db_table} WHERE {column(own, 'user')} = %s "
        f"UNION SELECT g.{column(granted, 'permission')} FROM {granted.db_table} g JOIN {member.db_table} m "
        f"ON m.{column(member, 'group')} = g.{column(granted, 'group')} WHERE m.{column(member, 'user')} = %s)"
    )


class PageBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = get_user_model()._default_manager.select_related("staff_profile").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)  # every permission, as ModelBackend says
        # ModelBackend's own name: code that clears it has them read again, under the token her profile had when it
        # was read (a change of roles in this very request shows from her next request)
        if not hasattr(user_obj, "_perm_cache"):
            database = router.db_for_read(Permission)
            profile = user_obj._state.fields_cache.get("staff_profile")  # read with her user (get_user), or not
            if profile is None:
                user_obj._perm_cache = _read_permissions(database, user_obj.pk)
            else:
                user_obj._perm_cache = set(_kept_permissions(database, user_obj.pk, profile.permissions_version))
        return user_obj._perm_cache


def _read_permissions(database: str, user_id: int) -> set[str]:
    with connections[database].cursor() as cursor:
        cursor.execute(_permissions_sql(), [user_id, user_id])
        return {f"{app}.{codename}" for app, codename in cursor.fetchall()}


@functools.lru_cache(maxsize=4096)  # the last 4,096 readers of this process: about 2 KB each, the names shared
def _kept_permissions(database: str, user_id: int, version: int) -> frozenset[str]:
    """Her permissions as they are under her profile's permissions token (see the module)."""
    return frozenset(map(sys.intern, _read_permissions(database, user_id)))
