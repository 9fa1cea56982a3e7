"""The user's own API tokens: list, create (shown once), revoke. Nobody sees another's tokens."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from indicators.models.tokens import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What is it for?"), max_length=100, help_text=gettext_lazy("e.g. “R scripts”")
    )
    access = forms.ChoiceField(
        label=gettext_lazy("Access"),
        choices=[
            ("read", gettext_lazy("Read only")),
            ("write", gettext_lazy("Read and write (create and submit entries)")),
        ],
        initial="read",
        widget=forms.RadioSelect,
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"),
        choices=[(30, gettext_lazy("30 days")), (90, gettext_lazy("90 days")), (365, gettext_lazy("one year"))],
        coerce=int,
        initial=90,
    )


def api_tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _row, new_token = ApiToken.issue(
            request.user,
            name=form.cleaned_data["name"],
            can_write=form.cleaned_data["access"] == "write",
            days=form.cleaned_data["days"],
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).select_related("user")  # is_ended reads the password
    response = render(request, "indicators/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})
    if new_token:
        response["Cache-Control"] = "no-store"  # the one page that shows the token must not be kept
    return response


@require_POST
def revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, _("The token “%(name)s” was revoked; it no longer works.") % {"name": token.name})
    return redirect("api_tokens")


urlpatterns = [
    path("account/api-tokens/", api_tokens, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", revoke, name="revoke_api_token"),
]
