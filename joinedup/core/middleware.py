"""Turns a refused permission anywhere in a request into a plain 403 page; keeps personal pages out
of caches."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .errors import NotPermitted


class NotPermittedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotPermitted):
            return render(request, "403.html", {"message": exception.message}, status=403)
        return None


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and private, no-cache) on every response that may be about a person:
    whatever a signed-in user or a bearer token is shown, and the API, FHIR and the self-referral
    pages. The simple rule is the safe one: no page is judged by what it happens to show."""

    PREFIXES = ("/api/", "/fhir/", "/refer-yourself/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or "HTTP_AUTHORIZATION" in request.META
            or request.path_info.startswith(self.PREFIXES)
        ):
            add_never_cache_headers(response)
        return response
