import sys
from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render

from .errors import DomainError
from .hostile import is_outage, outage_response
from .refusals import machine_path, refuse


def home(request):
    return render(request, "home.html")


def accessibility(request):
    return render(request, "accessibility.html")


def not_found(request, exception=None):
    if machine_path(request):  # the API, FHIR and the feed answer in their own shape
        return refuse(request, 404, "Not found.")
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    """An uncaught error. The database being unreachable (found by a middleware, before any view ran)
    is a 503 with Retry-After, in the caller's shape, not a 500."""
    exc = sys.exc_info()[1]
    if exc is not None and is_outage(exc):
        return outage_response(request, exc)
    return render(request, "500.html", status=500)


def form_page(
    request,
    form,
    action,
    *,
    template: str,
    context: dict | Callable[[], dict],
    success,
    redirect_to,
    read_audit=None,
):
    """The one way a page runs a form: show it; on a valid POST call the service; on a DomainError show
    the service's message on the form (400); on success say so and redirect.

    A POST that is shown again (invalid, or refused by the service) shows what the page shows
    without the service having recorded anything, so `read_audit`, if given, records the read.

    A page of several forms passes the one its POST is for (the others are in `context`); a POST
    shown again is a 400 even when it named none of them. `context` may be a function, to build
    what only the shown page needs (after `read_audit`), not before a POST that redirects."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, success(result) if callable(success) else success)
            target = redirect_to(result) if callable(redirect_to) else redirect_to
            return redirect(*target)
    if request.method == "POST" and read_audit is not None:
        read_audit()
    shown = context() if callable(context) else context
    status = 400 if request.method == "POST" or form.errors else 200
    return render(request, template, {**shown, "form": form}, status=status)
