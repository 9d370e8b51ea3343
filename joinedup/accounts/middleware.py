"""Two-factor sign-in required for every role that sees personal data (decision 018).

After the password, a user whose memberships need it (`policy.two_factor_required`) goes nowhere
but the second step until this session has verified a code (django-otp's `is_verified`): to enter a
code, or to set up an authenticator app if they have none. Sign-out and static files stay open.
Until then `request.two_factor_pending` is true, and the pages show no menu and no account links.
The API and FHIR authenticate by bearer token, not by session, and are not affected.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .policy import two_factor_required

_OPEN = ("/static/", "/sign-out/", "/sign-in/", "/account/two-factor/set-up/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        pending = (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and two_factor_required(user, getattr(request, "memberships", []))
        )
        request.two_factor_pending = pending  # type: ignore[attr-defined]  # base.html shows no menu until done
        if pending:
            step = reverse("accounts:two_factor")
            path = request.path_info
            if path != step and not path.startswith(_OPEN):
                return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
