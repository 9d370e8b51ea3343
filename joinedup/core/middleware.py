"""Turns a refused permission anywhere in a request into a plain 403 page."""

from __future__ import annotations

from django.shortcuts import render

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
