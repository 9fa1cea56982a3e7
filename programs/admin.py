from django.contrib import admin

from programs.admin_scope import RegencyScopedAdmin
from programs.models import Activity, Agency, Pillar, Plan, Program, Region, StaffProfile


@admin.register(Region)
class RegionAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    """A regency's administrator keeps its kecamatan and desa; the regency itself (its level, its province)
    and any province or regency are the installation's: changed there, a regency fell out of its province."""

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (request.user.is_superuser or not _above(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (request.user.is_superuser or not _above(obj))

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "level" and not request.user.is_superuser:
            kwargs["choices"] = [(level.value, level.label) for level in Region.Level if not _above_level(level)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


def _above_level(level: str) -> bool:
    return level in (Region.Level.PROVINSI, Region.Level.KABUPATEN)


def _above(region: Region | None) -> bool:
    return region is not None and _above_level(region.level)


@admin.register(Agency)
class AgencyAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    list_display = ["short_name", "code", "region", "name_id", "is_secretariat"]
    list_select_related = ["region"]
    list_filter = ["region"]
    search_fields = ["short_name", "name_id", "name_en", "code"]

    def has_change_permission(self, request, obj=None):
        # a shared agency serves several regencies: only a superuser changes it
        shared = obj is not None and obj.region_id is None
        return super().has_change_permission(request, obj) and (request.user.is_superuser or not shared)

    def has_delete_permission(self, request, obj=None):
        shared = obj is not None and obj.region_id is None
        return super().has_delete_permission(request, obj) and (request.user.is_superuser or not shared)


@admin.register(StaffProfile)
class StaffProfileAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    list_display = ["user", "region", "agency"]
    list_select_related = ["user", "agency", "region"]
    list_filter = ["region"]
    autocomplete_fields = ["agency"]


class PillarInline(RegencyScopedAdmin, admin.TabularInline):
    model = Pillar
    extra = 0


@admin.register(Plan)
class PlanAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    list_display = ["code", "name_id", "region", "start_year", "end_year", "status"]
    list_filter = ["status"]
    list_select_related = ["region"]
    inlines = [PillarInline]


class ProgramInline(RegencyScopedAdmin, admin.TabularInline):
    model = Program
    extra = 0


@admin.register(Pillar)
class PillarAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "plan"]
    inlines = [ProgramInline]


class ActivityInline(RegencyScopedAdmin, admin.TabularInline):
    model = Activity
    extra = 0


@admin.register(Program)
class ProgramAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "pillar"]
    list_select_related = ["pillar"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "program"]
    list_select_related = ["program__pillar"]
    search_fields = ["name_id", "name_en"]
