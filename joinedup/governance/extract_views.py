"""Pages for data-sharing agreements and their extracts (Perm.EXTRACT_MANAGE)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from joinedup.core.errors import DomainError
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from . import agreements as agreement_services
from . import selectors
from .extract import FIELDS, K
from .forms import AgreementForm

_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


@require_perm(Perm.EXTRACT_MANAGE)
def agreements(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    form = AgreementForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda f: agreement_services.agreement_record(
            actor=actor, fields=f.cleaned_data.pop("allowed_fields"), **f.cleaned_data
        ),
        template="governance/agreements.html",
        context=lambda: {"agreements": selectors.agreements(actor=actor)},
        success="Agreement recorded",
        redirect_to=lambda a: ("governance:agreement", a.pk),
    )


@require_perm(Perm.EXTRACT_MANAGE)
def agreement_detail(request: MemberRequest, pk: UUID) -> HttpResponse:
    agreement = selectors.agreement_get(actor=request.membership, pk=str(pk))
    labels = [FIELDS[f].label for f in agreement.fields if f in FIELDS]
    return render(request, "governance/agreement.html", {"agreement": agreement, "labels": labels, "k": K})


@require_POST
@require_perm(Perm.EXTRACT_MANAGE)
def extract(request: MemberRequest, pk: UUID, file_format: str) -> HttpResponse:
    agreement = selectors.agreement_get(actor=request.membership, pk=str(pk))
    try:
        _, content = agreement_services.extract_produce(
            actor=request.membership, agreement=agreement, file_format=file_format
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("governance:agreement", agreement.pk)
    response = HttpResponse(content, content_type=_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="extract-{agreement.created_at:%Y%m%d}.{file_format}"'
    return response
