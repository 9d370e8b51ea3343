"""What the sub-packages' form pages about one case share: finding the case (an audited read when
the form is shown), the posted data, and going back to the case page once the form is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload
from uuid import UUID

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict

from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest

from .enrolment import selectors
from .enrolment.models import Case

T = TypeVar("T")


@overload
def case_for_form(request: MemberRequest, pk: UUID) -> Case: ...


@overload
def case_for_form(request: MemberRequest, pk: UUID, lookup: Callable[[Case], T]) -> tuple[Case, T]: ...


def case_for_form(request: MemberRequest, pk: UUID, lookup: Callable[[Case], T] | None = None) -> Case | tuple[Case, T]:
    """The case a form page is about, and with `lookup` the record of that case the form is for.
    Showing the form (GET) shows the person's name, so it is an audited read, written only once the
    record is found (a 404 reads nothing); a POST is audited by the service it calls, once."""
    case = selectors.case_get(actor=request.membership, pk=pk, audit=False)
    if lookup is None:
        _audit_if_shown(request, case)
        return case
    record = lookup(case)  # a 404 here reads nothing
    _audit_if_shown(request, case)
    return case, record


def _audit_if_shown(request: MemberRequest, case: Case) -> None:
    if request.method == "GET":
        selectors.case_read_audit(actor=request.membership, case=case)


def form_data(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def read_audit(request: MemberRequest, case: Case) -> Callable[[], None]:
    """For `form_page`: a POST shown again shows the person's record without a service having
    recorded anything, so it is an audited read."""
    return lambda: selectors.case_read_audit(actor=request.membership, case=case)


def case_page(
    request: MemberRequest,
    case: Case,
    form: BaseForm,
    action: Callable[[Any], object],
    template: str,
    success: str,
    **extra: object,
) -> HttpResponse:
    """A form about one case: back to the case page when it is saved."""
    return form_page(
        request,
        form,
        action,
        template=template,
        context={"case": case, **extra},
        success=success,
        redirect_to=("cases:detail", case.pk),
        read_audit=read_audit(request, case),
    )
