from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from programs.models import Agency, Region


class DashboardFilters(forms.Form):
    """The query-string filters of every dashboard page. Bad values are reported, never a 500."""

    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    pillar = forms.TypedChoiceField(label=_("Pillar"), required=False, coerce=int, empty_value=None)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=Agency.objects.all(),
        to_field_name="code",
        empty_label=_("All agencies"),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        required=False,
        queryset=Region.objects.filter(level=Region.Level.KECAMATAN),
        to_field_name="code",
        empty_label=_("All kecamatan"),
    )
    unverified = forms.BooleanField(label=_("Include submitted, unverified entries"), required=False)

    def __init__(self, data, *, plan, pillars):
        super().__init__(data)
        self.fields["year"].choices = [("", _("Plan to date"))] + [(y, str(y)) for y in plan.years]
        # a callable: the pillars are read only when the field is shown or a pillar is chosen
        self.fields["pillar"].choices = lambda: [("", _("All pillars"))] + [
            (p.number, _("Pillar %(n)s") % {"n": p.number}) for p in pillars
        ]
        # only the plan's own regency: a province database holds every regency's kecamatan
        self.fields["kecamatan"].queryset = Region.objects.filter(level=Region.Level.KECAMATAN, parent=plan.region_id)
        # the agencies responsible in this plan (another regency's agency of the same code is not one of them);
        # a shared agency the regency's own one of its code shadows is left out, as Agency.objects.by_code does
        used = Agency.objects.filter(indicators__plan=plan)
        shadowed = Q(region__isnull=True, code__in=used.filter(region__isnull=False).values("code"))
        self.fields["agency"].queryset = used.exclude(shadowed).distinct()
        for name in ("year", "pillar", "agency", "kecamatan"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def value(self, name):
        """The cleaned value, or None when the field was malformed (its error is shown)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    def canonical(self) -> QueryDict:
        """The filters as understood, written one way (`year=2021&unverified=on`): what the page shows and what
        its cache key is made of. Unknown parameters and malformed values are left out."""
        query = QueryDict(mutable=True)
        for name in self.fields:
            value = self.value(name)
            if value in (None, False, ""):
                continue
            query[name] = "on" if value is True else getattr(value, "code", value)
        query._mutable = False
        return query
