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

    @classmethod
    def asks_nothing(cls, data) -> bool:
        """Whether the query holds none of the filters: then every value is None and the canonical query empty."""
        return not any(name in data for name in cls.base_fields)

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


class CompareYears(forms.Form):
    """The two years of the year-over-year page; by default the last two years the plan has begun."""

    first = forms.TypedChoiceField(label=_("From"), coerce=int)
    second = forms.TypedChoiceField(label=_("To"), coerce=int)

    def __init__(self, data, *, plan, today):
        years = plan.years
        begun = [y for y in years if y <= today.year] or years[:1]
        latest = begun[-1]
        earlier = begun[-2] if len(begun) > 1 else (years[1] if len(years) > 1 else latest)
        initial = {"first": min(earlier, latest), "second": max(earlier, latest)}
        super().__init__({**initial, **{k: v for k, v in data.items() if k in ("first", "second") and v}})
        self.defaults = initial
        for name in ("first", "second"):
            self.fields[name].choices = [(y, str(y)) for y in years]
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        if data.get("first") is not None and data.get("first") == data.get("second"):
            raise forms.ValidationError(_("Choose two different years."))
        return data

    def years(self) -> tuple[int, int]:
        """The two years chosen, earlier first; the defaults when the choice was malformed."""
        if self.is_valid():
            first, second = self.cleaned_data["first"], self.cleaned_data["second"]
        else:
            first, second = self.defaults["first"], self.defaults["second"]
        return min(first, second), max(first, second)
