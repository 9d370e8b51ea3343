"""The FHIR R4 endpoints: POST /fhir/Bundle, GET /fhir/ServiceRequest/{id}, /fhir/Task/{id}, /fhir/metadata.

Every answer is FHIR JSON; every error an OperationOutcome naming the failing element. Tokens are
the API's (`joinedup.api`): a token acts as one membership, and the referrals' services and
selectors apply the same rules as everywhere else.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions

from joinedup.api.authentication import BearerTokenAuthentication
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.core.hostile import is_outage
from joinedup.core.refusals import RETRY_AFTER_SECONDS, UNAVAILABLE
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.referrals import selectors, services
from joinedup.referrals.models import Referral

from . import resources
from .intake import FhirProblem, Intake, Issue, read_bundle

logger = logging.getLogger(__name__)
CONTENT_TYPE = "application/fhir+json; charset=utf-8"
_ACCEPTED_TYPES = {"application/fhir+json", "application/json"}


def max_body() -> int:
    """The largest Bundle accepted. A referral is a few kilobytes; the default allows 100 kB."""
    return getattr(settings, "FHIR_MAX_BODY_BYTES", 100_000)


def _respond(body: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _problem(status: int, issues: list[Issue], **headers: str) -> HttpResponse:
    return _respond(resources.operation_outcome(issues), status, **headers)


def _actor(request: HttpRequest, perm: Perm) -> Membership:
    try:
        found = BearerTokenAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed as exc:
        raise FhirProblem(401, [Issue("login", str(exc.detail))]) from exc
    if found is None:
        raise FhirProblem(401, [Issue("login", "Send a bearer token: Authorization: Bearer <token>.")])
    membership = found[1].membership
    if not has_perm(membership, perm):
        raise FhirProblem(403, [Issue("forbidden", "Your token's role does not allow this.")])
    return membership


def _guard(view):
    """Turn our problems into OperationOutcomes with the right status, whatever goes wrong."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except FhirProblem as exc:
            headers = {"WWW_Authenticate": 'Bearer realm="fhir"'} if exc.status == 401 else {}
            return _problem(exc.status, exc.issues, **headers)
        except Http404:
            return _problem(404, [Issue("not-found", "There is no such resource, or it is not yours to read.")])
        except NotPermitted as exc:
            return _problem(403, [Issue("forbidden", exc.message)])
        except Exception as exc:  # the sender still gets FHIR, not an HTML error page
            if is_outage(exc):
                logger.error("FHIR %s %s: database unavailable: %s", request.method, request.path, exc)
                return _problem(503, [Issue("transient", UNAVAILABLE)], Retry_After=str(RETRY_AFTER_SECONDS))
            logger.exception("FHIR %s %s failed", request.method, request.path)
            return _problem(500, [Issue("exception", "Something went wrong on our side. Try again later.")])

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


def refusal(status: int, message: str) -> HttpResponse:
    """A request refused before it reached a view (core.refusals), as an OperationOutcome."""
    code = {413: "too-long", 503: "transient"}.get(status, "invalid")
    return _problem(status, [Issue(code, message)])


def _only(request: HttpRequest, method: str) -> None:
    if request.method != method:
        raise FhirProblem(405, [Issue("not-supported", f"Use {method} here.")])


@_guard
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement. Open to anyone, as FHIR expects."""
    _only(request, "GET")
    return _respond(resources.capability_statement(request.build_absolute_uri("/fhir")))


@_guard
def bundle(request: HttpRequest) -> HttpResponse:
    """Receive a transaction Bundle (Patient + ServiceRequest): one referral, made by `referral_create`."""
    _only(request, "POST")
    actor = _actor(request, Perm.REFERRAL_CREATE)  # before reading the body
    _check_media_type(request)
    intake = read_bundle(_body(request))
    referral, created = _create(actor, intake)
    if not created:  # a resubmission: showing the first referral back is a read of the person's record
        referral = selectors.referral_for_referrer(actor=actor, pk=referral.pk, channel="fhir")
    return _respond(
        _transaction_response(intake, referral, created),
        200,
        Content_Location=f"Task/{referral.pk}",
        Location=request.build_absolute_uri(f"/fhir/Task/{referral.pk}"),
    )


def _check_media_type(request: HttpRequest) -> None:
    media = request.content_type.split(";")[0].strip().lower()
    if media not in _ACCEPTED_TYPES:
        raise FhirProblem(415, [Issue("not-supported", "Send the Bundle as application/fhir+json.")])


def _body(request: HttpRequest) -> bytes:
    """The request body, refused (413) over `max_body()` bytes: as declared, as read, or as Django reads it."""
    limit = max_body()
    too_big = FhirProblem(413, [Issue("too-long", f"The Bundle is too large. Send no more than {limit:,} bytes.")])
    if _declared_length(request) > limit:
        raise too_big
    try:
        body = request.body
    except RequestDataTooBig as exc:
        raise too_big from exc
    if len(body) > limit:
        raise too_big
    return body


def _declared_length(request: HttpRequest) -> int:
    """The Content-Length header; 0 when it is missing or not a number."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _create(actor: Membership, intake: Intake) -> tuple[Referral, bool]:
    """`referral_create` on the Bundle's referral, its refusals as OperationOutcome problems (422)."""
    try:
        return services.referral_create(
            actor=actor,
            data=intake.data,
            submission_key=intake.submission_key(actor.organisation_id),
            channel="fhir",
        )
    except services.ReferralInvalid as exc:
        issues = [
            Issue("value" if field in intake.expressions else "invalid", message, intake.expressions.get(field, ""))
            for field, message in exc.errors.items()
        ]
        raise FhirProblem(422, issues) from exc
    except NotPermitted:
        raise
    except DomainError as exc:
        raise FhirProblem(422, [Issue("business-rule", exc.message)]) from exc


def _transaction_response(intake: Intake, referral: Referral, created: bool) -> dict[str, Any]:
    """The transaction-response Bundle: one entry for each entry sent, in the same order (FHIR R4)."""
    outcome = "201 Created" if created else "200 OK"
    entries: list[dict[str, Any]] = []
    for i, kind in enumerate(intake.kinds):
        if i == intake.request_index:
            entries.append(
                {
                    "response": {
                        "status": outcome,
                        "location": f"ServiceRequest/{referral.pk}",
                        "lastModified": referral.created_at.isoformat(),
                    },
                    "resource": resources.service_request(referral),
                }
            )
        elif i == intake.patient_index:
            entries.append({"response": {"status": outcome}})
        else:  # read for the referral, or for information only: not kept as resources of their own
            note = intake.read_for.get(i) or resources.NOT_READ.get(kind, resources.NOT_READ[""])
            entries.append({"response": {"status": "200 OK", "outcome": resources.information(note)}})
    return resources.transaction_response(entries)


@_guard
def service_request(request: HttpRequest, pk: str) -> HttpResponse:
    _only(request, "GET")
    actor = _actor(request, Perm.REFERRAL_VIEW_ORG)
    referral = selectors.referral_for_referrer(actor=actor, pk=pk, channel="fhir")
    return _respond(resources.service_request(referral))


@_guard
def task(request: HttpRequest, pk: str) -> HttpResponse:
    """The referral's status for the sender, as a Task (the closed loop)."""
    _only(request, "GET")
    actor = _actor(request, Perm.REFERRAL_VIEW_ORG)
    referral = selectors.referral_for_referrer(actor=actor, pk=pk, channel="fhir")
    return _respond(resources.task(referral))
