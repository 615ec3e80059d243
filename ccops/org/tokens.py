"""The API tokens page: each user makes and revokes their own tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.org import services
from ccops.org.models import ApiToken


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's own tokens; a POST makes a new one and shows it this once."""
    new_token = None
    if request.method == "POST":
        _token, new_token = services.do_create_token(request.user, request.POST.get("name", ""))
    tokens = ApiToken.objects.filter(user=request.user)
    context = {"tokens": tokens, "new_token": new_token, "title": _("API tokens")}
    return render(request, "org/token_list.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    services.do_revoke_token(request.user, pk)
    messages.success(request, _("The token was revoked."))
    return redirect("org:token_list")
