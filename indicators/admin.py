from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import Comment, ConsistencyRule, Evidence, Indicator, ProgressEntry, ReportingDeadline, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "text_id", "kind", "plan_target", "agency", "agency_inferred"]
    list_filter = ["kind", "agency", "activity__program__pillar"]
    list_select_related = ["agency"]
    search_fields = ["code", "text_id", "text_en"]
    autocomplete_fields = ["activity", "agency"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "value"]
    list_filter = ["year"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    fields = readonly_fields


@admin.register(ProgressEntry)
class ProgressEntryAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "semester", "kecamatan", "value", "status", "agency", "is_demo"]
    list_filter = ["status", "year", "agency", "is_demo"]
    list_select_related = ["indicator", "kecamatan", "agency"]
    search_fields = ["indicator__code", "narrative"]
    raw_id_fields = ["created_by", "submitted_by", "verified_by"]
    inlines = [EvidenceInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["entry", "author", "created_at"]
    list_select_related = ["entry__indicator", "author"]


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(admin.ModelAdmin):
    list_display = ["plan", "year", "semester", "deadline"]
    list_filter = ["plan", "year"]


@admin.register(ConsistencyRule)
class ConsistencyRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "note_id"]
    list_filter = ["plan"]
    search_fields = ["left_code", "right_code", "note_id", "note_en"]
