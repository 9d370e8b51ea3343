"""The person's own pages, under /you/ (decision 022). No JavaScript; every page works at 390 px.

Views only parse and show: the rules are in `signin`, `services` and `selectors`."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from joinedup.core.client import client_address
from joinedup.core.errors import DomainError
from joinedup.core.urls import reverse
from joinedup.core.views import form_page

from . import selectors, services, signin
from .auth import (
    clear_session_cookie,
    no_store,
    pending,
    person_required,
    set_pending,
    set_session_cookie,
)
from .forms import AddressForm, CodeForm, MessageForm, NoteForm, ShareForm
from .models import PersonSession

# Signing in


@no_store
def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for a link and code. The same answer whether or not the address is on a record."""
    form = AddressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            requested = signin.sign_in_request(address=form.cleaned_data["address"], client=client_address(request))
        except signin.Throttled as exc:
            form.add_domain_error(exc)
            return render(request, "portal/sign_in.html", {"form": form}, status=429)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            response = redirect("portal:check_email")
            set_pending(response, requested.pk)
            return response
    return render(request, "portal/sign_in.html", {"form": form}, status=400 if form.errors else 200)


@no_store
def check_email(request: HttpRequest) -> HttpResponse:
    """'Check your email or phone', with the box for the code (on the browser that asked for it)."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    waiting = pending(request)
    if request.method == "POST" and form.is_valid():
        try:
            if waiting is None:
                raise DomainError(str(signin.REFUSED), field="code")
            session, token = signin.sign_in_with_code(sign_in_id=waiting, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return _signed_in(session, token)
    status = 400 if form.errors else 200
    return render(request, "portal/check_email.html", {"form": form, "minutes": signin.SIGN_IN_MINUTES}, status=status)


@no_store
def sign_in_link(request: HttpRequest, pk: UUID, token: str) -> HttpResponse:
    """The emailed link: a page with one button (so a mail scanner that opens links uses nothing)."""
    if request.method == "POST":
        try:
            session, session_token = signin.sign_in_with_link(sign_in_id=pk, token=token)
        except DomainError as exc:
            return render(request, "portal/link_refused.html", {"message": exc.message}, status=400)
        return _signed_in(session, session_token)
    if not signin.sign_in_link_usable(sign_in_id=pk, token=token):
        return render(request, "portal/link_refused.html", {"message": str(signin.REFUSED)}, status=400)
    return render(request, "portal/link.html", {})


def _signed_in(session: PersonSession, token: str) -> HttpResponse:
    response = redirect("portal:overview")
    set_session_cookie(response, token)
    response.delete_cookie("joinedup_you_pending", path="/you/", samesite="Lax")
    return response


@require_POST
@person_required
def sign_out(request: HttpRequest) -> HttpResponse:
    signin.sign_out(session=request.person_session)  # type: ignore[attr-defined]
    response = redirect("portal:signed_out")
    clear_session_cookie(response)
    return response


@require_POST
@person_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    signin.sign_out_everywhere(person=request.person)  # type: ignore[attr-defined]
    response = redirect("portal:signed_out")
    clear_session_cookie(response)
    return response


@no_store
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/signed_out.html", {})


# What the person sees


@person_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/overview.html", {"o": selectors.your_overview(person=request.person)})  # type: ignore[attr-defined]


@person_required
def plan(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/plan.html", {"p": selectors.your_plan(person=request.person)})  # type: ignore[attr-defined]


@require_POST
@person_required
def action_done(request: HttpRequest, pk: UUID) -> HttpResponse:
    try:
        action = services.action_mark_done(person=request.person, action_id=pk)  # type: ignore[attr-defined]
    except DomainError as exc:
        context = {"p": selectors.your_plan(person=request.person), "error": exc.message}  # type: ignore[attr-defined]
        return render(request, "portal/plan.html", context, status=400)
    messages.success(request, _("Marked as done: %(action)s") % {"action": action.description})
    return redirect("portal:plan")


@person_required
def action_note(request: HttpRequest, pk: UUID) -> HttpResponse:
    person = request.person  # type: ignore[attr-defined]
    action = selectors.your_action(person=person, pk=pk, audit=request.method != "POST")
    form = NoteForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda f: services.action_note_add(person=person, action_id=pk, text=f.cleaned_data["text"]),
        template="portal/note.html",
        context={"action": action},
        success=_("Note saved. Your adviser can see it."),
        redirect_to=("portal:plan",),
    )


@person_required
def better_off(request: HttpRequest) -> HttpResponse:
    results = selectors.your_better_off(person=request.person)  # type: ignore[attr-defined]
    return render(request, "portal/better_off.html", {"results": results})


@person_required
def consents(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/consents.html", {"c": selectors.your_consents(person=request.person)})  # type: ignore[attr-defined]


@require_POST
@person_required
def consent_withdraw(request: HttpRequest, pk: UUID) -> HttpResponse:
    try:
        consent = services.consent_withdraw(person=request.person, consent_id=pk)  # type: ignore[attr-defined]
    except DomainError as exc:
        context = {"c": selectors.your_consents(person=request.person), "error": exc.message}  # type: ignore[attr-defined]
        return render(request, "portal/consents.html", context, status=400)
    what = consent.get_purpose_display().lower()
    messages.success(request, _("Withdrawn: %(what)s. This took effect straight away.") % {"what": what})
    return redirect("portal:consents")


@person_required
def message(request: HttpRequest) -> HttpResponse:
    person = request.person  # type: ignore[attr-defined]
    form = MessageForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda f: services.message_send(person=person, text=f.cleaned_data["text"]),
        template="portal/messages.html",
        context=lambda: dict(zip(("case", "messages_shown"), selectors.your_messages(person=person), strict=True)),
        success=_("Message sent to your adviser"),
        redirect_to=("portal:messages",),
    )


@person_required
def share(request: HttpRequest) -> HttpResponse:
    person = request.person  # type: ignore[attr-defined]
    services.own_case(person)
    form = ShareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made, token = services.plan_share_create(person=person, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            link = request.build_absolute_uri(reverse("portal:shared", args=[token]))
            return render(request, "portal/share_made.html", {"share": made, "link": link})
    status = 400 if form.errors else 200
    return render(
        request, "portal/share.html", {"form": form, "shares": selectors.your_shares(person=person)}, status=status
    )


@require_POST
@person_required
def share_end(request: HttpRequest, pk: UUID) -> HttpResponse:
    services.plan_share_end(person=request.person, share_id=pk)  # type: ignore[attr-defined]
    messages.success(request, _("The link has stopped working"))
    return redirect("portal:share")


@person_required
def download(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            export = services.data_download(person=request.person)  # type: ignore[attr-defined]
        except DomainError as exc:
            return render(request, "portal/download.html", {"error": _(exc.message)}, status=409)
        response = HttpResponse(export.as_json(), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="your-data-{export.generated_at:%Y-%m-%d}.json"'
        return response
    return render(request, "portal/download.html", {})


@require_GET
@no_store
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """A plan the person shared: read-only, until the link expires or is stopped."""
    try:
        found = selectors.shared_plan(token=token)
    except Http404:
        return render(request, "portal/shared_gone.html", {}, status=404)
    return render(request, "portal/shared.html", {"s": found})
