"""Staff pages about employers: the list, the record, sites, contacts, engagement, invitations."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm, has_perm

from . import access, invitations, selectors, services, workplace
from .choices import SicSection
from .forms import ContactForm, EmployerCreateForm, EmployerForm, EngagementForm, FilterForm, InviteForm, SiteForm
from .models import Employer


def _data(request: MemberRequest) -> Any:
    """A form's data: the POST, or None (unbound) on a GET. The other employer pages use this one."""
    return request.POST if request.method == "POST" else None


@require_perm(Perm.EMPLOYER_VIEW)
def employer_list(request: MemberRequest) -> HttpResponse:
    f = FilterForm(request.GET)
    f.is_valid()
    d = f.cleaned_data
    filters = selectors.EmployerFilters(
        text=d.get("q") or "", sic_section=d.get("sector") or "", mine=bool(d.get("mine"))
    )
    employers = list(selectors.employer_list(actor=request.membership, filters=filters)[:200])
    tasks = (
        list(selectors.follow_ups_due(actor=request.membership))
        if has_perm(request.membership, Perm.EMPLOYER_CHANGE_ORG)
        else []
    )
    return render(
        request,
        "employers/list.html",
        {"employers": employers, "filters": d, "sectors": SicSection.choices, "tasks": tasks},
    )


@require_perm(Perm.EMPLOYER_CHANGE_ORG)
def employer_new(request: MemberRequest) -> HttpResponse:
    form = EmployerCreateForm(_data(request))

    def action(f: EmployerCreateForm) -> Employer:
        return services.employer_create(
            actor=request.membership,
            data=f.employer_input(),
            site=f.site_input(),
            not_a_duplicate=f.cleaned_data["not_a_duplicate"],
        )

    return form_page(
        request,
        form,
        action,
        template="employers/form.html",
        context={"heading": "Add an employer", "back": ("employers:list",)},
        success="Employer added",
        redirect_to=lambda e: ("employers:detail", e.pk),
    )


@require_perm(Perm.EMPLOYER_VIEW, Perm.EMPLOYER_SELF)
def employer_detail(request: MemberRequest, pk: UUID) -> HttpResponse:
    employer = selectors.employer_get(actor=request.membership, pk=pk)
    context = {
        "employer": employer,
        "can_edit": selectors.can_edit(actor=request.membership, employer=employer),
        "can_invite": access.can_invite(request.membership, employer),
        "sites": list(employer.sites.all()),
        "contacts": list(employer.contacts.all()),
        "engagements": list(employer.engagements.select_related("organisation", "created_by")[:50]),
        "follow_ups": list(employer.follow_ups.filter(done_on__isnull=True)),
        "vacancies": list(employer.vacancies.select_related("site")),
    }
    context.update(workplace.employer_workplace(employer=employer))
    return render(request, "employers/detail.html", context)


def editable_employer(request: MemberRequest, pk: UUID) -> Employer:
    """The employer, for a page that changes it: not found outside the actor's scope, refused (403)
    unless the actor's organisation holds it or it is the actor's own employer."""
    employer = selectors.employer_get(actor=request.membership, pk=pk)
    access.require_edit(request.membership, employer)
    return employer


def _owner_form(
    request: MemberRequest, employer: Employer, form: Any, action: Any, heading: str, success: str
) -> HttpResponse:
    return form_page(
        request,
        form,
        lambda f: action(employer, f),
        template="employers/form.html",
        context={"heading": heading, "employer": employer, "back": ("employers:detail", employer.pk)},
        success=success,
        redirect_to=("employers:detail", employer.pk),
    )


@require_perm(Perm.EMPLOYER_CHANGE_ORG, Perm.EMPLOYER_SELF)
def employer_edit(request: MemberRequest, pk: UUID) -> HttpResponse:
    employer = editable_employer(request, pk)
    initial = {k: getattr(employer, k) for k in services.EmployerInput.__dataclass_fields__}
    form = EmployerForm(_data(request), initial=initial)
    return _owner_form(
        request,
        employer,
        form,
        lambda e, f: services.employer_update(actor=request.membership, employer=e, data=f.employer_input()),
        f"Change {employer.name}",
        "Employer updated",
    )


@require_perm(Perm.EMPLOYER_CHANGE_ORG, Perm.EMPLOYER_SELF)
def site_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    return _owner_form(
        request,
        editable_employer(request, pk),
        SiteForm(_data(request)),
        lambda e, f: services.site_add(actor=request.membership, employer=e, site=f.site_input()),
        "Add a site",
        "Site added",
    )


@require_perm(Perm.EMPLOYER_CHANGE_ORG, Perm.EMPLOYER_SELF)
def contact_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    return _owner_form(
        request,
        editable_employer(request, pk),
        ContactForm(_data(request)),
        lambda e, f: services.contact_add(actor=request.membership, employer=e, **f.cleaned_data),
        "Add a contact",
        "Contact added",
    )


@require_perm(Perm.EMPLOYER_CHANGE_ORG)
def engagement_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    return _owner_form(
        request,
        selectors.employer_get(actor=request.membership, pk=pk),
        EngagementForm(_data(request)),
        lambda e, f: services.engagement_record(actor=request.membership, employer=e, **f.cleaned_data),
        "Log engagement",
        "Engagement saved",
    )


@require_perm(Perm.EMPLOYER_CHANGE_ORG)
def follow_up_done(request: MemberRequest, pk: UUID, task_pk: UUID) -> HttpResponse:
    employer = selectors.employer_get(actor=request.membership, pk=pk)
    task = employer.follow_ups.filter(pk=task_pk).first()
    if request.method != "POST" or task is None:
        raise Http404("No such task")
    services.follow_up_done(actor=request.membership, follow_up=task)
    return redirect("employers:detail", employer.pk)


INVITE_INTRO = (
    "They will be able to keep their organisation's record and vacancies, and see the people put forward "
    "to them who agreed to it, while that agreement lasts. Never a case record."
)


@require_perm(Perm.EMPLOYER_INVITE)
def invite(request: MemberRequest, pk: UUID) -> HttpResponse:
    employer = selectors.employer_get(actor=request.membership, pk=pk)
    access.require_invite(request.membership, employer)
    form = InviteForm(_data(request))
    return form_page(
        request,
        form,
        lambda f: invitations.employer_invite(actor=request.membership, employer=employer, **f.cleaned_data),
        template="employers/form.html",
        context={
            "heading": f"Invite someone from {employer.name} to sign in",
            "employer": employer,
            "back": ("employers:detail", employer.pk),
            "intro": INVITE_INTRO,
        },
        success=lambda inv: (
            f"Invitation made. Send {inv.membership.user.email} this link to set their password: "
            f"{request.build_absolute_uri(inv.path)}"
        ),
        redirect_to=("employers:detail", employer.pk),
    )
