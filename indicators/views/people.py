"""*People*: a regency's administrator lists her regency's people and invites a new one (name, e-mail,
role, agency, regency) in one form; the person receives a link to choose her password.

Who: a superuser (any regency), or an administrator of a regency (her own) who may add users. A
province's administrator invites no one here: a province's people act in no regency.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from indicators.admin.users import assignable_roles
from indicators.models.roles import OFFICER, ROLE_PERMISSIONS, role_label
from indicators.people.invite import invite_person, send_invitation
from programs.access import regencies_acted_in
from programs.models import Agency, Region, StaffProfile

MANAGE = ("auth.add_user", "programs.add_staffprofile")


def regencies_managed(user):
    """The regencies whose people the user may invite (a queryset): none for anyone without the rights."""
    if not user.is_authenticated or not user.has_perms(MANAGE):
        return Region.objects.none()
    return regencies_acted_in(user)


def can_manage_people(user) -> bool:
    return regencies_managed(user).exists()


class RoleField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return role_label(obj.name)


class InviteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)
    role = RoleField(label=gettext_lazy("Role"), queryset=Group.objects.none())
    regency = forms.ModelChoiceField(label=gettext_lazy("Regency"), queryset=Region.objects.none())
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency (OPD)"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=gettext_lazy("Required for a data-entry officer: she reports on her agency's indicators."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        roles = Group.objects.filter(name__in=ROLE_PERMISSIONS) if user.is_superuser else assignable_roles()
        self.fields["role"].queryset = roles.order_by("name")
        regencies = regencies_managed(user).order_by("code")
        self.fields["regency"].queryset = regencies
        if regencies.count() == 1:
            self.fields["regency"].initial = regencies.first()
        # the regencies' own agencies and the shared ones
        self.fields["agency"].queryset = (
            Agency.objects.filter(region__in=regencies) | Agency.objects.filter(region__isnull=True)
        ).order_by("code", "region__code")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Someone already has an account with this address."))
        return email

    def clean(self):
        data = super().clean()
        role, agency, regency = data.get("role"), data.get("agency"), data.get("regency")
        if role is not None and role.name == OFFICER and agency is None:
            self.add_error("agency", _("A data-entry officer needs her agency."))
        if agency is not None and regency is not None and agency.region_id not in (None, regency.pk):
            self.add_error("agency", _("The agency belongs to another regency."))
        return data


def _manager_required(request):
    if not can_manage_people(request.user):
        raise PermissionDenied(_("Only a regency's administrator invites people."))


def people(request):
    _manager_required(request)
    regencies = regencies_managed(request.user)
    profiles = (
        StaffProfile.objects.filter(region__in=regencies)
        .select_related("user", "agency", "region")
        .prefetch_related("user__groups")
        .order_by("region__code", "user__first_name", "user__username")
    )
    return render(request, "indicators/people.html", {"profiles": profiles})


def invite(request):
    _manager_required(request)
    form = InviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = invite_person(
            by=request.user,
            name=data["name"],
            email=data["email"],
            role=data["role"],
            agency=data["agency"],
            regency=data["regency"],
        )
        messages.success(
            request,
            _("%(name)s is invited: a link to choose her password went to %(email)s (user name %(username)s).")
            % {"name": person.get_full_name(), "email": person.email, "username": person.username},
        )
        return redirect("people:list")
    return render(request, "indicators/people_invite.html", {"form": form})


@require_POST
def resend(request, pk: int):
    """The set-password link again, for a person of her regencies who has not chosen a password yet: the
    link lapses after a day, and the forgotten-password form sends none to an account without a password."""
    _manager_required(request)
    person = get_object_or_404(User, pk=pk, staff_profile__region__in=regencies_managed(request.user))
    if person.has_usable_password():
        messages.error(request, _("%(name)s has chosen a password already.") % {"name": person.get_username()})
    else:
        send_invitation(person, by=request.user)
        messages.success(request, _("The link went again to %(email)s.") % {"email": person.email})
    return redirect("people:list")


app_name = "people"

urlpatterns = [
    path("", people, name="list"),
    path("invite/", invite, name="invite"),
    path("<int:pk>/resend/", resend, name="resend"),
]
