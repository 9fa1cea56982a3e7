from django.contrib import admin

from programs.admin_scope import RegencyScopedAdmin
from programs.models import Activity, Agency, Pillar, Plan, Program, Region, StaffProfile


@admin.register(Region)
class RegionAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


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
