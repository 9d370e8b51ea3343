"""What a referral is made from, and the rules it must meet, whatever the channel (form, API, FHIR).

`referral_problems` runs the rules below in order, each giving (field, plain-English message)
pairs; a field keeps the first message it is given, so the order of the rules is the order of the
error summary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from joinedup.core.errors import DomainError
from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition
from joinedup.people.validators import (
    normalise_email,
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
    validate_date_of_birth,
    validate_name,
)

from . import routes


@dataclass(frozen=True)
class ReferralInput:
    given_name: str
    family_name: str
    date_of_birth: date
    postcode: str
    employment_status: str
    health_condition: str
    help_wanted: str
    consent_referral: bool
    consent_share_progress: bool
    email: str = ""
    phone: str = ""
    nhs_number: str = ""
    benefits: list[str] = field(default_factory=list)
    route: str = ""  # a code in routes.ROUTES; blank when the channel does not say
    details: dict[str, Any] = field(default_factory=dict)  # the route's own questions
    national_insurance_number: str = ""
    notify_person: bool = False  # the person asked to be told by email how the referral is going
    requester: dict[str, Any] = field(default_factory=dict)  # who asked for it (FHIR only): Referral.requester


class ReferralInvalid(DomainError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("The referral has problems: " + "; ".join(errors.values()))
        self.errors = errors


Problems = Iterator[tuple[str, str]]
Rule = Callable[[Mapping[str, Any], routes.Route | None], Problems]

_NAMES = (("given_name", "First name"), ("family_name", "Last name"))
# Fields whose validator raises ValidationError with the message to show.
_VALIDATED: tuple[tuple[str, Callable[[Any], object]], ...] = (
    ("date_of_birth", validate_date_of_birth),
    ("postcode", normalise_postcode),
    ("nhs_number", lambda v: normalise_nhs_number(v) if v.strip() else ""),
    ("phone", normalise_phone),
)
_CHOSEN = (
    ("employment_status", EmploymentStatus.values, "Select the person's employment status"),
    ("health_condition", HealthCondition.values, "Select the main health condition"),
)


def referral_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Every broken rule among `values`, as {field: plain-English message}.

    Fields absent from `values` are not checked, so a form can show these alongside its own
    parsing errors (an unreadable date, say) in one error summary, as GOV.UK asks.
    """
    route = routes.ROUTES.get(values.get("route") or "")
    errors: dict[str, str] = {}
    for rule in _RULES:
        for name, message in rule(values, route):
            errors.setdefault(name, message)
    return errors


def _names(values: Mapping[str, Any], route: routes.Route | None) -> Problems:
    for name, label in _NAMES:
        if name not in values:
            continue
        try:
            validate_name(values.get(name) or "", label=label)
        except ValidationError as exc:
            yield name, exc.messages[0]


def _validated(values: Mapping[str, Any], route: routes.Route | None) -> Problems:
    for name, validate in _VALIDATED:
        if name not in values:
            continue
        try:
            validate(values[name])
        except ValidationError as exc:
            yield name, exc.messages[0]


def _chosen(values: Mapping[str, Any], route: routes.Route | None) -> Problems:
    for name, choices, message in _CHOSEN:
        if name in values and values[name] not in choices:
            yield name, message


def _benefits(values: Mapping[str, Any], route: routes.Route | None) -> Problems:
    if "benefits" not in values:
        return
    benefits = values["benefits"]
    if not benefits and route is not None and route.benefits_may_be_unknown:
        return  # not known: matching treats it as a question to ask
    if not benefits or any(b not in Benefit.values for b in benefits):
        yield "benefits", "Select the benefits the person gets, or 'None of these'"
    elif Benefit.NONE in benefits and len(benefits) > 1:
        yield "benefits", "Select 'None of these' on its own, or select benefits"


def _help_wanted(values: Mapping[str, Any], route: routes.Route | None) -> Problems:
    if "help_wanted" not in values:
        return
    if not values["help_wanted"].strip():
        yield "help_wanted", "Enter what the person wants help with"
    elif len(values["help_wanted"]) > 2000:
        yield "help_wanted", "What they want help with must be 2,000 characters or fewer"


def _consent(values: Mapping[str, Any], route: routes.Route | None) -> Problems:
    if "consent_referral" in values and not values["consent_referral"]:
        yield "consent_referral", "The person must agree to the referral before you can refer them"


def _email(values: Mapping[str, Any], route: routes.Route | None) -> Problems:
    try:
        normalise_email(values.get("email") or "")
    except ValidationError as exc:
        yield "email", exc.messages[0]
        return
    if values.get("notify_person") and not (values.get("email") or "").strip():
        yield "email", "Enter an email address so the person can be told how the referral is going"


def _route(values: Mapping[str, Any], route: routes.Route | None) -> Problems:
    if values.get("route") and route is None:
        yield "route", "Choose how you are referring the person"


def _route_answers(values: Mapping[str, Any], route: routes.Route | None) -> Problems:
    """The route's own rules: an NHS number where the route needs one, then its questions."""
    if route is None:
        if values.get("details"):
            yield "details", "Send answers in details only with the route whose questions they answer"
        return
    if route.nhs_number_required and "nhs_number" in values and not (values["nhs_number"] or "").strip():
        yield "nhs_number", "Enter the person's NHS number"
    details = dict(values.get("details") or {})
    if "national_insurance_number" in values and route.field("national_insurance_number"):
        details["national_insurance_number"] = values["national_insurance_number"]
    yield from routes.route_problems(route, details).items()


def _nino(values: Mapping[str, Any], route: routes.Route | None) -> Problems:
    nino = (values.get("national_insurance_number") or "").strip()
    if not nino:
        return
    try:
        routes.normalise_nino(nino)
    except ValueError:
        yield "national_insurance_number", routes.NINO_FORMAT


_RULES: tuple[Rule, ...] = (
    _names,
    _validated,
    _chosen,
    _benefits,
    _help_wanted,
    _consent,
    _email,
    _route,
    _route_answers,
    _nino,
)
