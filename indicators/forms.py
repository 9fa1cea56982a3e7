"""Forms for progress entries, evidence, reasons and comments.

They validate and normalise only: the workflow lives in `indicators.workflow.services`.
The entry form shows the fields the indicator's kind needs (DESIGN.md,
'Indicator kinds') and checks the entry with `ProgressEntry.clean()`, so the
model's messages appear beside the fields they are about.
"""

import datetime
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.documents import evidence as evidence_types
from indicators.models import KIND_FIELDS, SPLIT_FIELDS, TEXT_LIMIT, Indicator, Kind, PillarNarrative, ProgressEntry
from indicators.workflow.services import ENTRY_FIELDS, duplicate_message
from programs.models import Region
from programs.periods import Period, semesters

PARTS = SPLIT_FIELDS
NUMBERS = ("value", *PARTS, "numerator", "denominator")

# Where the model's errors about fields the form does not show are put.
ERROR_FIELD = {"year": "period", "semester": "period"}


def reporting_periods(plan, today: datetime.date) -> list[Period]:
    """The plan's semesters that have begun, latest first."""
    return [p for p in reversed(semesters(plan.years)) if p.start <= today]


def default_date(period: Period, today: datetime.date) -> datetime.date:
    """An empty date means the last day of the period, but never a day still to come."""
    return min(period.end, today)


class EntryForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("Period"),
        help_text=gettext_lazy("The semester the work took place in: S1 is January–June, S2 July–December."),
    )
    date = forms.DateField(
        label=gettext_lazy("Date of the work"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Leave empty for the last day of the period (or today, if the period is running)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A new entry's form carries a one-time key (services.create_entry): a second POST of it makes nothing.
    form_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    confirm_duplicate = forms.BooleanField(
        label=gettext_lazy("Yes, this is another piece of work, not the same one entered twice"), required=False
    )
    # a photo or document in the form itself (issue 17): the phone's camera opens; the page's script
    # shrinks a photo before it is sent (static/js/offline.js) and refuses a file over the limit
    evidence = forms.FileField(
        label=gettext_lazy("Photo or document"),
        required=False,
        help_text=gettext_lazy("Optional: a photo of the activity or the attendance list, or a PDF."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"}),
    )
    warning_comment = forms.CharField(
        label=gettext_lazy("Why is this value right?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The data checks flagged this entry. Do not name victims or witnesses."),
    )

    def __init__(self, *args, indicator: Indicator, entry: ProgressEntry | None = None, today=None, **kwargs):
        self.indicator = indicator
        self.entry = entry
        self.today = today or timezone.localdate()
        self.duplicate_found = False
        self.warnings_found = False
        if entry is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(entry)
        super().__init__(*args, **kwargs)
        if entry is None:
            self.fields["form_key"].initial = uuid.uuid4
        else:
            del self.fields["form_key"]
        self._add_kind_fields()
        self._set_period_choices()

    @staticmethod
    def initial_for(entry: ProgressEntry) -> dict:
        initial = {field: getattr(entry, field) for field in ENTRY_FIELDS if field not in ("year", "semester")}
        initial["kecamatan"] = entry.kecamatan_id
        initial["period"] = str(entry.period)
        initial["version"] = entry.version
        return initial

    def _add_kind_fields(self) -> None:
        kind = self.indicator.kind
        for name in KIND_FIELDS[kind]:
            if name == "kecamatan":
                self.fields[name] = self._kecamatan_field(required=kind == Kind.COVERAGE)
                continue
            field = ProgressEntry._meta.get_field(name).formfield()
            if name in NUMBERS:
                field.error_messages["min_value"] = _("The number cannot be negative.")
                field.error_messages["invalid"] = _("Enter a whole number, such as 320.")
                field.widget.attrs.update({"inputmode": "numeric", "min": 0})
                field.required = name in ("value", "numerator", "denominator")
            if name in PARTS:
                field.help_text = _("Optional. Men and women, or children and adults, must add up to the number.")
            if name == "value" and kind == Kind.PERIODIC:
                field.initial = 1
                field.help_text = _("Usually 1: one meeting held or one report delivered.")
            if name == "milestone_status":
                field.required = True
            if name == "place":
                field.required = True
                field.help_text = _("The desa or group where the thing now exists, e.g. “Desa Oelami”.")
            self.fields[name] = field
        narrative = ProgressEntry._meta.get_field("narrative").formfield()
        narrative.widget.attrs["rows"] = 4
        narrative.required = kind == Kind.QUALITATIVE
        narrative.help_text = _(
            "What happened, where and with whom. Never write the name of a victim or a witness, "
            "or anything else that identifies them."
        )
        self.fields["narrative"] = narrative
        # period, date first; version and the duplicate box last
        order = ["period", "date", *KIND_FIELDS[kind], "narrative", "evidence", "version", "form_key"]
        order.append("confirm_duplicate")
        self.order_fields([*order, "warning_comment"])

    def _kecamatan_field(self, required: bool) -> forms.ModelChoiceField:
        region = self.indicator.plan.region
        return forms.ModelChoiceField(
            queryset=Region.objects.filter(level=Region.Level.KECAMATAN, parent=region).order_by("name"),
            required=required,
            label=_("Kecamatan"),
            empty_label=_("(choose a kecamatan)") if required else _("(none / the whole regency)"),
            error_messages={
                "required": _("A coverage indicator needs the kecamatan where the work now exists."),
                "invalid_choice": _("This kecamatan is outside %(region)s.") % {"region": region.name},
            },
        )

    def _set_period_choices(self) -> None:
        choices = [(str(p), str(p)) for p in reporting_periods(self.indicator.plan, self.today)]
        typed = self.data.get(self.add_prefix("period")) if self.is_bound else None
        if typed and typed not in dict(choices):
            choices.insert(0, (typed, typed))  # keep what was typed, so the error makes sense
        self.fields["period"].widget = forms.Select(choices=[("", _("(choose a period)")), *choices])
        if self.entry is None and choices and not typed:
            # a new entry starts on the semester being reported (the latest begun: this one while it runs)
            self.fields["period"].initial = choices[0][0]

    @property
    def helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True  # the template's <form> carries the token
        names = [name for name in self.fields if name not in ("confirm_duplicate", "warning_comment")]
        # shown only when a probable double entry or a data-check warning was found, above everything else
        shown = [
            Div(name, css_class="alert alert-warning")
            for name, found in (("confirm_duplicate", self.duplicate_found), ("warning_comment", self.warnings_found))
            if found
        ]
        helper.layout = Layout(*shown, *names)
        return helper

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            evidence_types.check_upload(upload)
        return upload

    def clean_period(self) -> Period:
        text = self.cleaned_data["period"]
        try:
            return Period.parse(text)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def clean(self) -> dict:
        cleaned = super().clean()
        if "form_key" in self.fields and not cleaned.get("form_key"):
            # shown above the form: a hidden field's own error would not be seen
            self.add_error(None, _("This form is incomplete. Reload the page and enter the entry again."))
        period = cleaned.get("period")
        if not isinstance(period, Period):
            return cleaned
        if period.semester is None:
            self.add_error("period", _("Choose a semester, such as %(example)s.") % {"example": f"{period.year}S1"})
            return cleaned
        if not cleaned.get("date"):
            cleaned["date"] = default_date(period, self.today)
        candidate = self.candidate(cleaned)
        try:
            candidate.clean()
        except ValidationError as error:
            self._add_model_errors(error)
            return cleaned
        if not self.errors and candidate.duplicates().exists() and not cleaned.get("confirm_duplicate"):
            self.duplicate_found = True
            self.add_error("confirm_duplicate", duplicate_message())
        return cleaned

    def candidate(self, cleaned: dict) -> ProgressEntry:
        """The entry as it would be saved, for the model's own checks."""
        entry = ProgressEntry(indicator=self.indicator, agency_id=self.indicator.agency_id)
        if self.entry is not None:
            entry.pk = self.entry.pk
            entry.status = self.entry.status
            entry.return_reason = self.entry.return_reason
        for field, value in self.values(cleaned).items():
            setattr(entry, field, value)
        return entry

    def values(self, cleaned: dict | None = None) -> dict:
        """The entry's fields from the form; fields the kind does not use are emptied."""
        cleaned = self.cleaned_data if cleaned is None else cleaned
        period = cleaned["period"]
        values = {"year": period.year, "semester": period.semester, "date": cleaned.get("date")}
        for field in ENTRY_FIELDS:
            if field in values:
                continue
            if field in self.fields:
                values[field] = cleaned.get(field)
            else:
                model_field = ProgressEntry._meta.get_field(field)
                values[field] = "" if model_field.blank and not model_field.null else None
        for text in ("place", "narrative", "milestone_status"):
            values[text] = values[text] or ""
        return values

    def _add_model_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            target = ERROR_FIELD.get(field, field)
            if target in self.errors:
                continue  # the field's own message ("Enter a whole number") says it better
            if target not in self.fields:
                target = None
            for message in messages:
                self.add_error(target, message)

    def add_service_errors(self, error: ValidationError) -> None:
        """Errors the service raised (its full_clean), placed like the form's own."""
        if hasattr(error, "error_dict"):
            if "confirm_duplicate" in error.error_dict:
                self.duplicate_found = True
            if "warning_comment" in error.error_dict:
                self.warnings_found = True
            self._add_model_errors(error)
        else:
            for message in error.messages:
                self.add_error(None, message)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Evidence file"),
        help_text=gettext_lazy("PDF, JPEG, PNG, XLSX or DOCX, such as an attendance list or a report."),
        widget=forms.ClearableFileInput(attrs={"accept": evidence_types.ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        evidence_types.check_upload(upload)
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        error_messages={"required": gettext_lazy("Give the reason, so that the officer knows what to correct.")},
        help_text=gettext_lazy("The officer sees this reason. Do not name victims or witnesses."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason, so that the officer knows what to correct."))
        return reason


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        help_text=gettext_lazy("Comments change no data. Do not name victims or witnesses."),
    )


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What needs following up"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": gettext_lazy("Say what needs following up.")},
        help_text=gettext_lazy("Listed until someone resolves it. Do not name victims or witnesses."),
    )


class PillarNarrativeForm(forms.ModelForm):
    """One pillar's narrative of a year: three texts of up to 5,000 characters each."""

    class Meta:
        model = PillarNarrative
        fields = ["achievements", "obstacles", "follow_up"]
        widgets = {part: forms.Textarea(attrs={"rows": 4}) for part in ["achievements", "obstacles", "follow_up"]}
