"""What the long lists of entries share (an indicator's entries, the verifier's queue): filters and pages.

A list of 1,869 entries was one page of 1 MB, 26 s on a slow phone connection; 50 a page, filtered by
agency, indicator, period, kecamatan, status and the data checks' flag, it is a few kilobytes.
"""

from django import forms
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy

from indicators.models import EntryStatus, Indicator
from programs.models import Agency, Plan, Region
from programs.periods import Period, semesters

PER_PAGE = 50
ALL = gettext_lazy("(all)")


class EntryFilterForm(forms.Form):
    """The filters of an entry list, read from the address (GET); a choice it does not know is left out."""

    agency = forms.ModelChoiceField(
        Agency.objects.none(), required=False, to_field_name="code", label=gettext_lazy("Agency"), empty_label=ALL
    )
    indicator = forms.ModelChoiceField(
        Indicator.objects.none(), required=False, to_field_name="code", label=gettext_lazy("Indicator"), empty_label=ALL
    )
    period = forms.ChoiceField(required=False, label=gettext_lazy("Period"))
    kecamatan = forms.ModelChoiceField(
        Region.objects.none(), required=False, to_field_name="code", label=gettext_lazy("Kecamatan"), empty_label=ALL
    )
    status = forms.ChoiceField(required=False, label=gettext_lazy("Status"), choices=[("", ALL), *EntryStatus.choices])
    flagged = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Data checks"),
        choices=[("", ALL), ("yes", gettext_lazy("flagged")), ("no", gettext_lazy("not flagged"))],
    )

    def __init__(self, data, *, plan: Plan, fields: tuple[str, ...]):
        super().__init__(data)
        for name in set(self.fields) - set(fields):
            del self.fields[name]
        if "agency" in self.fields:
            agencies = Agency.objects.filter(indicators__plan=plan).distinct().order_by("short_name")
            self.fields["agency"].queryset = agencies
            self.fields["agency"].label_from_instance = lambda agency: agency.short_name
        if "indicator" in self.fields:
            self.fields["indicator"].queryset = Indicator.objects.for_plan(plan).order_by("code")
            self.fields["indicator"].label_from_instance = lambda indicator: indicator.code
        if "period" in self.fields:
            periods = [str(p) for year in plan.years for p in (Period(year), *semesters([year]))]
            self.fields["period"].choices = [("", ALL), *[(p, p) for p in reversed(periods)]]
        if "kecamatan" in self.fields:
            places = Region.objects.filter(level=Region.Level.KECAMATAN, parent=plan.region_id).order_by("name")
            self.fields["kecamatan"].queryset = places
            self.fields["kecamatan"].label_from_instance = lambda region: region.name
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> dict:
        """Keyword arguments for `ProgressEntryQuerySet.filtered`: the valid filters only."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        values = {name: cleaned.get(name) for name in self.fields if name not in self.errors}
        if values.get("period"):
            values["period"] = Period.parse(values["period"])
        if "flagged" in values:
            values["flagged"] = {"yes": True, "no": False}.get(values["flagged"])
        return {name: value for name, value in values.items() if value not in (None, "")}

    @property
    def active(self) -> int:
        """How many filters are set (shown on the folded filter box)."""
        return len(self.filters())


def filtered_page(request, entries, *, plan: Plan, fields: tuple[str, ...]) -> tuple[EntryFilterForm, Page]:
    """The filter form of the request's address and the page of `entries` (ordered) it asks for."""
    form = EntryFilterForm(request.GET or None, plan=plan, fields=fields)
    entries = entries.filtered(**form.filters())
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return form, page
