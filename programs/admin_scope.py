"""The admin site within one regency: an administrator sees and changes only her regency's rows.

Each model names the path from its rows to their regency (`REGENCY_PATHS`);
list, change and delete pages read through `get_queryset`, so a row of another
regency is simply not found, and every choice of a related row (plan,
indicator, entry, region …) is narrowed the same way, and so are the
changelists' filters by a related row. Superusers see all.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.db.models import Q
from django.http import Http404

from programs.access import regencies_acted_in

# app_label.model → the lookup from a row to its regency (a Region of level kabupaten)
REGENCY_PATHS = {
    "programs.plan": "region",
    "programs.pillar": "plan__region",
    "programs.program": "pillar__plan__region",
    "programs.activity": "program__pillar__plan__region",
    "programs.staffprofile": "region",
    "auth.user": "staff_profile__region",
    "indicators.indicator": "plan__region",
    "indicators.target": "indicator__plan__region",
    "indicators.progressentry": "indicator__plan__region",
    "indicators.evidence": "entry__indicator__plan__region",
    "indicators.comment": "entry__indicator__plan__region",
    "indicators.reportingdeadline": "plan__region",
    "indicators.consistencyrule": "plan__region",
}

# the field that ties a row to its regency where it may be empty: left empty by a regency's administrator, the
# row would leave her regency (an agency shared by every regency's plans; a person of no regency)
OWN_REGENCY_FIELDS = {"programs.agency": "region", "programs.staffprofile": "region"}


def scope_filter(model, user) -> Q | None:
    """The filter that keeps `model`'s rows of the user's regency; None when it is not narrowed."""
    if user.is_superuser:
        return None
    regencies = regencies_acted_in(user)
    if model._meta.label_lower == "programs.region":
        # the regency itself, its kecamatan and their desa: regions are shared reference data otherwise
        return Q(pk__in=regencies) | Q(parent__in=regencies) | Q(parent__parent__in=regencies)
    if model._meta.label_lower == "axes.accessattempt":
        # sign-in failures (addresses, browsers) and their lock-outs: those of the regency's own people only
        from django.contrib.auth.models import User

        return Q(username__in=User.objects.filter(staff_profile__region__in=regencies).values("username"))
    if model._meta.label_lower == "programs.agency":
        # the regency's own agencies, and the shared ones (which only a superuser changes: AgencyAdmin)
        return Q(region__in=regencies) | Q(region__isnull=True)
    path = REGENCY_PATHS.get(model._meta.label_lower)
    if path is None:
        return None
    return Q(**{f"{path}__in": regencies})


class RegencyScopedAdmin:
    """Mixin for a ModelAdmin (or inline): rows and choices of the administrator's regency only."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = scope_filter(queryset.model, request.user)
        return queryset if scope is None else queryset.filter(scope).distinct()

    def get_list_filter(self, request):
        # a filter by a related row lists every row of that model (another regency's agencies, plans, regions);
        # offer those the administrator's own rows use
        related = admin.RelatedOnlyFieldListFilter
        return [
            (item, related) if isinstance(item, str) and _is_relation(self.model, item) else item
            for item in super().get_list_filter(request)
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            scope = scope_filter(field.queryset.model, request.user)
            if scope is not None:
                field.queryset = field.queryset.filter(scope)
        if field is not None and not request.user.is_superuser:
            field.required = field.required or OWN_REGENCY_FIELDS.get(self.model._meta.label_lower) == db_field.name
        return field


def _is_relation(model, path: str) -> bool:
    return get_fields_from_path(model, path)[-1].is_relation


def view_on_site(request, content_type_id: str, object_id: str):
    """The admin's "view on site" redirect (contenttypes' shortcut) for a row the user's admin lists only:
    the shortcut alone answers for any row, telling another regency's entries and plans apart by id."""
    if not request.user.is_superuser:
        try:
            model = ContentType.objects.get(pk=content_type_id).model_class()
            model_admin = admin.site._registry.get(model)
            if model_admin is None or not model_admin.get_queryset(request).filter(pk=object_id).exists():
                raise Http404("No such row")
        except (ContentType.DoesNotExist, ValueError):
            raise Http404("No such row") from None
    return shortcut(request, content_type_id, object_id)
