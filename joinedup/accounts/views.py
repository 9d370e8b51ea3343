"""Sign-in pages: the second step (a code), setting up an authenticator app, recovery codes, one's
own password, the page shown when a sign-in is locked out, and the administrators' page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from joinedup.core.errors import DomainError
from joinedup.core.views import form_page
from joinedup.organisations.decorators import require_perm
from joinedup.organisations.permissions import Perm

from . import selectors, services
from .forms import CodeForm, FindAccountForm, PasswordForm, RecoveryCodesForm, SetUpCodeForm, UnlockForm

_NEW_CODES = "accounts_new_recovery_codes"  # shown once, on the next page, then forgotten


def next_url(request: HttpRequest) -> str:
    """Where to go after this step: the `next` asked for, if it is on this site; else the start page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{request.GET.urlencode()}" if request.GET.get("next") else reverse(name)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    if not selectors.has_two_factor(user=request.user):
        return redirect(_with_next("accounts:two_factor_set_up", request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda f: services.two_factor_verify(request=request, code=f.cleaned_data["code"]),
        template="accounts/two_factor.html",
        context={"next": next_url(request)},
        success="You are signed in",
        redirect_to=lambda _device: (next_url(request),),
    )


@login_required
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code it shows.
    Replacing an app already set up needs this session to have signed in with it first."""
    user: Any = request.user  # signed in: django-otp's middleware gave it is_verified()
    if selectors.has_two_factor(user=user) and not user.is_verified():
        return redirect(_with_next("accounts:two_factor", request))
    device = services.totp_device_pending(user=user)
    form = SetUpCodeForm(request.POST if request.method == "POST" else None)

    def confirm(f: SetUpCodeForm) -> None:
        request.session[_NEW_CODES] = services.totp_device_confirm(
            request=request, device=device, code=f.cleaned_data["code"]
        )

    return form_page(
        request,
        form,
        confirm,
        template="accounts/two_factor_set_up.html",
        context=lambda: {
            "qr_code": mark_safe(selectors.qr_code_svg(device=device)),  # noqa: S308 - segno's own SVG
            "key": selectors.key_in_groups(device=device),
            "next": next_url(request),
        },
        success="Two-factor sign-in is set up",
        redirect_to=lambda _: (f"{reverse('accounts:recovery_codes')}?next={next_url(request)}",),
    )


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes are shown here once; a POST makes a new set (the old ones stop working)."""
    form = RecoveryCodesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        request.session[_NEW_CODES] = services.recovery_codes_issue(request=request)
        messages.success(request, "New recovery codes made: the old ones no longer work")
        return redirect("accounts:recovery_codes")
    context = {
        "codes": request.session.pop(_NEW_CODES, None),
        "left": selectors.recovery_codes_left(user=request.user),
        "form": form,
        "next": next_url(request),
    }
    return render(request, "accounts/recovery_codes.html", context)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "two_factor": selectors.has_two_factor(user=user),
        "left": selectors.recovery_codes_left(user=user),
    }
    return render(request, "accounts/account.html", context)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordForm(user=request.user, data=request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda f: services.password_change(request=request, form=f),
        template="accounts/password.html",
        context={},
        success="Your password has been changed. You have been signed out everywhere else",
        redirect_to=("accounts:account",),
    )


def locked_out(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """django-axes's answer to a sign-in that has failed too often (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@require_perm(Perm.ACCOUNT_MANAGE)
def manage(request: HttpRequest) -> HttpResponse:
    """For administrators: sign-ins locked out now, and one user's two-factor status, to help them."""
    actor = request.membership  # type: ignore[attr-defined]
    form = FindAccountForm(request.GET if "username" in request.GET else None)
    status = None
    if form.is_bound and form.is_valid():
        status = selectors.account_status(actor=actor, username=form.cleaned_data["username"])
        if status is None:
            form.add_error("username", "There is no user with that username")
    context = {"form": form, "status": status, "lockouts": selectors.lockouts(actor=actor)}
    return render(request, "accounts/manage.html", context, status=400 if form.errors else 200)


@require_POST
@require_perm(Perm.ACCOUNT_MANAGE)
def unlock(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say which user or which address to unlock")
        return redirect("accounts:manage")
    username, ip_address = form.cleaned_data["username"], form.cleaned_data["ip_address"] or ""
    user = get_object_or_404(get_user_model(), username=username) if username else None
    try:
        services.sign_in_unlock(actor=actor, user=user, ip_address=ip_address)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:manage")
    messages.success(request, f"Unlocked {username or ip_address}: they can sign in again")
    return redirect(f"{reverse('accounts:manage')}?username={username}" if username else reverse("accounts:manage"))


@require_POST
@require_perm(Perm.ACCOUNT_MANAGE)
def two_factor_reset(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    user = get_object_or_404(get_user_model(), username=request.POST.get("username", ""))
    try:
        services.two_factor_reset(actor=actor, user=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Two-factor sign-in reset for {user.get_username()}: they set it up again next time")
    return redirect(f"{reverse('accounts:manage')}?username={user.get_username()}")
