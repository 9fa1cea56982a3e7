"""Django's ModelBackend with the reads every page makes done in one query (AUTHENTICATION_BACKENDS).

Every signed-in request loads its user, and every page asks for her permissions (the role check, the page's
own check, the navigation). ModelBackend reads the user, then her own permissions and her groups' permissions
in two queries built by the ORM; measured with `make loadtest`, these reads were a fifth of a cached dashboard
page's time, and each query is a round trip to the database. Here the user comes with her staff profile (which
plans she reads: programs.access) and her permissions, her own and her groups' (a subquery of fixed SQL, as one
string), in one query. What she may do is unchanged: both are still read from the database on every request, so
a changed role or a removed account counts from the next request, in every process.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models.expressions import RawSQL

# the function that joins a column's values into one string, by database (the project runs on these two)
JOIN_STRINGS = {"postgresql": "STRING_AGG", "sqlite": "GROUP_CONCAT"}


def _permissions_sql(user_id: str = "%s", *, joined: str = "") -> str:
    """Her own permissions and her groups', as (app label, codename); the names are the models' own tables.

    `user_id`: the SQL for her id (a parameter, or the outer query's column); `joined`: the database function that
    gives them as one string of "app_label.codename" separated by spaces instead (JOIN_STRINGS)."""
    user = get_user_model()
    own, member, granted = (m.through._meta for m in (user.user_permissions, user.groups, Group.permissions))

    def column(meta, name: str) -> str:
        return meta.get_field(name).column

    shown = f"{joined}(ct.app_label || '.' || p.codename, ' ')" if joined else "ct.app_label, p.codename"
    # no value is formatted in, only the table and column names of Django's auth models
    return (
        f"SELECT {shown} FROM {Permission._meta.db_table} p "  # noqa: S608
        f"JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id WHERE p.id IN ("
        f"SELECT {column(own, 'permission')} FROM {own.db_table} WHERE {column(own, 'user')} = {user_id} "
        f"UNION SELECT g.{column(granted, 'permission')} FROM {granted.db_table} g JOIN {member.db_table} m "
        f"ON m.{column(member, 'group')} = g.{column(granted, 'group')} WHERE m.{column(member, 'user')} = {user_id})"
    )


class PageBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        users = model._default_manager.select_related("staff_profile")
        connection = connections[router.db_for_read(model)]
        joined = JOIN_STRINGS.get(connection.vendor)
        if joined:  # her permissions with her, as one string (read by get_all_permissions)
            quote = connection.ops.quote_name
            outer = f"{quote(model._meta.db_table)}.{quote(model._meta.pk.column)}"
            sql = _permissions_sql(outer, joined=joined)  # no value in it: the auth models' tables and columns
            users = users.annotate(_permissions=RawSQL(sql, ()))  # noqa: S611
        try:
            user = users.get(pk=user_id)
        except model.DoesNotExist:
            return None
        if joined and not user.is_superuser:  # a superuser's are every permission (ModelBackend, when asked)
            user._perm_cache = set((user._permissions or "").split())
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)  # every permission, as ModelBackend says
        if not hasattr(user_obj, "_perm_cache"):  # ModelBackend's own name: code that clears it clears this
            database = router.db_for_read(Permission)
            with connections[database].cursor() as cursor:
                cursor.execute(_permissions_sql(), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app}.{codename}" for app, codename in cursor.fetchall()}
        return user_obj._perm_cache
