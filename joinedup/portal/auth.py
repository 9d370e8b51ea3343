"""Who is signed in to the person's own pages: their own cookie, apart from staff sessions."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

from . import signin

COOKIE = "joinedup_you"
PENDING_COOKIE = "joinedup_you_pending"  # which sign-in the code on this browser is for
PATH = "/you/"
_PENDING_SALT = "joinedup.portal.pending"


def set_session_cookie(response: HttpResponse, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(signin.SESSION_LONGEST.total_seconds()),
        path=PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def clear_session_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path=PATH, samesite="Lax")


def set_pending(response: HttpResponse, sign_in_id: object) -> None:
    response.set_cookie(
        PENDING_COOKIE,
        signing.dumps(str(sign_in_id), salt=_PENDING_SALT),
        max_age=signin.SIGN_IN_MINUTES * 60,
        path=PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def pending(request: HttpRequest) -> str | None:
    try:
        return signing.loads(
            request.COOKIES.get(PENDING_COOKIE, ""), salt=_PENDING_SALT, max_age=signin.SIGN_IN_MINUTES * 60
        )
    except signing.BadSignature:
        return None


def no_store(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every page of the person's own is kept out of caches."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapped


def person_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The page needs the person signed in (`request.person`, `request.person_session`); otherwise
    to the sign-in page. Kept out of caches."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        signed_in = signin.session_for(token=request.COOKIES.get(COOKIE, ""))
        if signed_in is None:
            response: HttpResponse = redirect("portal:sign_in")
            if COOKIE in request.COOKIES:
                clear_session_cookie(response)
        else:
            request.person = signed_in.person  # type: ignore[attr-defined]
            request.person_session = signed_in.session  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapped
