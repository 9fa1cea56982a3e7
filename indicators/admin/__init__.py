from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from indicators.admin import users as admin_users  # noqa: F401 (registers the user admin that keeps within the roles)
from indicators.models import Comment, ConsistencyRule, Evidence, Indicator, ProgressEntry, ReportingDeadline, Target
from indicators.models.exchange import Dhis2Mapping
from programs.admin_scope import RegencyScopedAdmin


class TargetInline(RegencyScopedAdmin, admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    list_display = ["code", "text_id", "kind", "plan_target", "agency", "agency_inferred"]
    list_filter = ["kind", "agency", "activity__program__pillar"]
    list_select_related = ["agency"]
    search_fields = ["code", "text_id", "text_en"]
    autocomplete_fields = ["activity", "agency"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    list_display = ["indicator", "year", "value"]
    list_filter = ["year"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code"]


class EvidenceInline(RegencyScopedAdmin, admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    fields = readonly_fields
    can_delete = False  # evidence of a verified entry is part of what was verified

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    """Shown in the admin, changed only through the app's own pages and services."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProgressEntry)
class ProgressEntryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Entries move only through the workflow (indicators.workflow.services): created by the officer's form or an
    import, submitted, verified by someone else, returned or reopened with a reason. The admin shows them;
    editing here would let anyone with the admin's permissions verify her own entry or change a locked one.
    The import keeps reading the add permission as "imports for every agency" (indicators.views.importing).
    """

    list_display = ["indicator", "year", "semester", "kecamatan", "value", "status", "agency", "is_demo"]
    list_filter = ["status", "year", "agency", "is_demo"]
    list_select_related = ["indicator", "kecamatan", "agency"]
    search_fields = ["indicator__code", "narrative"]
    inlines = [EvidenceInline]

    def history_view(self, request, object_id, extra_context=None):
        self._check_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves an old version back on POST to this page for anyone who may merely view the
        # history: that would put a verified entry back to draft, or undo a verification, outside the workflow.
        if request.method == "POST":
            raise PermissionDenied
        self._check_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _check_in_scope(self, request, object_id) -> None:
        # simple_history reads the history table itself (falling back to it for a deleted entry), past
        # get_queryset: another regency's entry would show, version by version. A superuser keeps the fallback.
        if request.user.is_superuser:
            return
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404("No such entry")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    """A comment is its author's words: nobody edits them in the admin."""

    list_display = ["entry", "author", "created_at"]
    list_select_related = ["entry__indicator", "author"]


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    list_display = ["plan", "year", "semester", "deadline"]
    list_filter = ["plan", "year"]


@admin.register(ConsistencyRule)
class ConsistencyRuleAdmin(RegencyScopedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "plan", "note_id"]
    list_filter = ["plan"]
    search_fields = ["left_code", "right_code", "note_id", "note_en"]


@admin.register(Dhis2Mapping)
class Dhis2MappingAdmin(admin.ModelAdmin):
    """The editable table of DHIS2 uids for our codes (export_dhis2 --id-scheme uid, import_dhis2).

    One table for the whole installation (the province's DHIS2 instance, every regency's export): an
    administrator of a regency reads it; only a superuser changes it, as a change moves the others' exports.
    """

    list_display = ["kind", "code", "uid"]
    list_filter = ["kind"]
    list_editable = ["uid"]
    search_fields = ["code", "uid"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
