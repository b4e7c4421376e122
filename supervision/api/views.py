"""The web pages of the API: a user's tokens on its profile page (make one, see it once, revoke
one), and the problem every unknown address under ``/api/`` answers."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from supervision.core import tokens

from . import problems

DAYS_CHOICES = [
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
    (180, gettext_lazy("180 days")),
    (365, gettext_lazy("365 days")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Which program uses it, e.g. “billing system, nightly upload”."),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Expires after"), choices=DAYS_CHOICES, coerce=int, initial=90
    )
    read_only = forms.BooleanField(
        label=gettext_lazy("Read only"),
        required=False,
        help_text=gettext_lazy("The program may read, never send or change anything."),
    )


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("profile")
    try:
        token, secret = tokens.create(
            request.user,
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
            days=form.cleaned_data["days"],
        )
    except tokens.TokenRefused as refused:
        messages.error(request, str(refused))
        return redirect("profile")
    # Rendered, never redirected to: the secret is in this one answer and nowhere else.
    return render(request, "registration/api_token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
def token_revoke(request, pk):
    token = tokens.tokens_of(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    try:
        tokens.revoke(token, user=request.user)
    except tokens.TokenRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
        )
    return redirect("profile")


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    return problems.of(problems.not_found())
