"""Users in the admin: administrators manage accounts within the roles; only superusers grant power.

An administrator (staff, not superuser) adds people on People (the admin's add page leads there), sets
names, addresses, passwords and whether an account is active, and gives it one of the roles below her own.
She cannot make anyone superuser or staff, give single permissions or the administrator role, nor change or
delete the account of a superuser or another administrator: changing its e-mail address would let her reset
its password and sign in as it.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.shortcuts import redirect

from indicators.models.roles import ADMINISTRATOR, ROLE_PERMISSIONS, role_label
from programs.admin_scope import RegencyScopedAdmin

POWER_FIELDS = ("is_superuser", "is_staff", "user_permissions")


def assignable_roles():
    """The groups an administrator may give: every role but her own."""
    return Group.objects.filter(name__in=[role for role in ROLE_PERMISSIONS if role != ADMINISTRATOR])


class RoleFilter(admin.RelatedOnlyFieldListFilter):
    """The list's filter by role, the roles by their names ("Data-entry officer", not the group's "officer")."""

    def field_choices(self, field, request, model_admin):
        return [(pk, role_label(name)) for pk, name in super().field_choices(field, request, model_admin)]


class RoleUserAdmin(RegencyScopedAdmin, UserAdmin):
    list_filter = ("is_staff", "is_superuser", "is_active", ("groups", RoleFilter))

    def add_view(self, request, *args, **kwargs):
        """An administrator adds people on People (indicators/views/people.py): the account, its role, agency
        and regency in one step, and a link to set a password. The add page here made an account without a
        role and a staff profile without an agency (or, for an administrator of no regency, none at all)."""
        if not request.user.is_superuser:
            return redirect("people:invite")
        return super().add_view(request, *args, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return (*fields, *POWER_FIELDS, "last_login", "date_joined")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = assignable_roles()
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = lambda group: role_label(group.name)  # "Data-entry officer", not "officer"
        return field

    def _above(self, request, obj) -> bool:
        """The account holds more power than an administrator may touch."""
        if obj is None or request.user.is_superuser:
            return False
        if obj.is_superuser:
            return True
        return obj.pk != request.user.pk and (obj.is_staff or obj.groups.filter(name=ADMINISTRATOR).exists())

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._above(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._above(request, obj)

    def save_related(self, request, form, formsets, change):
        # groups outside what she may give (administrator, or any other) stay as they were
        kept = []
        if change and not request.user.is_superuser:
            kept = list(form.instance.groups.exclude(pk__in=assignable_roles()))
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)


admin.site.unregister(User)
admin.site.register(User, RoleUserAdmin)


# sign-in failures: an administrator sees, and unlocks, those of her regency's people only
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class RegencyAccessAttemptAdmin(RegencyScopedAdmin, AccessAttemptAdmin):
    pass
