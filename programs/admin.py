from django.contrib import admin

from programs.models import Activity, Agency, Pillar, Plan, Program, Region, StaffProfile


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "code", "name_id", "is_secretariat"]
    search_fields = ["short_name", "name_id", "name_en", "code"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "agency"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["agency"]


class PillarInline(admin.TabularInline):
    model = Pillar
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "region", "start_year", "end_year", "status"]
    list_filter = ["status"]
    list_select_related = ["region"]
    inlines = [PillarInline]


class ProgramInline(admin.TabularInline):
    model = Program
    extra = 0


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan"]
    inlines = [ProgramInline]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["__str__", "pillar"]
    list_select_related = ["pillar"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program"]
    list_select_related = ["program__pillar"]
    search_fields = ["name_id", "name_en"]
