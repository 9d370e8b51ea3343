"""The declared registry of referral routes: who refers, and what that referrer actually knows.

Every route goes through the one `referral_create`, with its code. A route adds a few questions to
the common ones (name, date of birth, postcode, work, benefits, health, what help is wanted); the
answers are kept in `Referral.details` and some of them feed matching (`Route.circumstances`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from joinedup.organisations.models import OrganisationKind as K
from joinedup.people.validators import normalise_ni_number

SELF = "self"
NINO_FORMAT = "Enter a National Insurance number in the correct format, like QQ 12 34 56 C"

# HMRC's format: two prefix letters (not D, F, I, Q, U or V; the second not O; some pairs never
# issued), six digits, a suffix A to D. python-stdnum has no UK module for this.


def normalise_nino(value: str) -> str:
    """'qq 12 34 56 c' -> 'QQ123456C', or ValueError when it is not a National Insurance number."""
    try:
        return normalise_ni_number(value)
    except ValidationError as exc:
        raise ValueError("not a National Insurance number") from exc


@dataclass(frozen=True)
class RouteField:
    name: str
    kind: str  # "text", "bool", "choice", "months", "nino"
    label: str
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    missing: str = ""  # the message when a required answer is missing
    situation: str = ""  # a bool field that, when ticked, tells matching the person has this situation


@dataclass(frozen=True)
class Route:
    code: str
    label: str
    group: str  # health, care, employment, housing, self
    description: str
    kinds: frozenset[str]  # organisation kinds that refer this way ("self" for the public)
    fields: tuple[RouteField, ...] = ()
    nhs_number_required: bool = False
    situations: frozenset[str] = field(default_factory=frozenset)  # true of everyone referred this way
    # Clinicians often do not know which benefits someone gets: on these routes none ticked is "not known".
    benefits_may_be_unknown: bool = False
    # Who refers this way, as words in a sentence ("a GP", "an NHS Talking Therapies practitioner"):
    # "As a GP" on the choice of routes, "From the GP" over the route's own questions (issue 18;
    # the label is a name, and lower-casing it gave "From the gp").
    referrer: str = ""

    def field(self, name: str) -> RouteField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def choose_as(self) -> str:
        """The link that chooses the route: "As a GP"."""
        return f"As {self.referrer}"

    @property
    def details_legend(self) -> str:
        """The heading over the route's own questions: "From the GP"."""
        article, _, rest = self.referrer.partition(" ")
        return f"From the {rest}" if article in {"a", "an"} else f"From {self.referrer}"


_FIT_NOTE = RouteField(
    "fit_note",
    "choice",
    "Fit note",
    choices=(
        ("none", "No fit note"),
        ("may_be_fit", "May be fit for work, with adjustments"),
        ("not_fit", "Not fit for work"),
    ),
)
_MONTHS_BENEFITS = RouteField(
    "months_on_benefits", "months", "How many months have they been claiming?", hint="A whole number, like 14"
)
_MONTHS_OUT = RouteField(
    "months_out_of_work", "months", "How many months since they last worked?", hint="A whole number, like 9"
)
_NINO_FIELD = RouteField(
    "national_insurance_number",
    "nino",
    "National Insurance number",
    hint="It's on their National Insurance card, benefit letter or payslip. For example, QQ 12 34 56 C",
    required=True,
    missing="Enter their National Insurance number",
)
_SITUATIONS = (
    RouteField("domestic_abuse", "bool", "They have experienced domestic abuse", situation="domestic_abuse"),
    RouteField("homelessness", "bool", "They are homeless or at risk of homelessness", situation="homelessness"),
    RouteField("disability", "bool", "They have a disability", situation="disability"),
    RouteField("financial_difficulty", "bool", "They are in financial difficulty", situation="financial_difficulty"),
    RouteField("ex_offender", "bool", "They have a criminal conviction", situation="ex_offender"),
)

ROUTES: dict[str, Route] = {
    r.code: r
    for r in [
        Route(
            "gp",
            "GP",
            "health",
            "A GP referring a patient whose health stands between them and work.",
            frozenset({K.GP_PRACTICE}),
            (_FIT_NOTE,),
            nhs_number_required=True,
            benefits_may_be_unknown=True,
            referrer="a GP",
        ),
        Route(
            "social_prescribing",
            "Social prescribing link worker",
            "health",
            "A link worker referring someone they are supporting.",
            frozenset({K.GP_PRACTICE, K.OTHER_REFERRER}),
            (
                RouteField(
                    "what_matters",
                    "text",
                    "What matters to them",
                    hint="From your 'what matters to you' conversation",
                ),
            ),
            referrer="a social prescribing link worker",
        ),
        Route(
            "first_contact_practitioner",
            "First Contact Practitioner (physiotherapy)",
            "health",
            "A First Contact Practitioner referring a patient with a musculoskeletal condition.",
            frozenset({K.GP_PRACTICE}),
            (
                RouteField(
                    "msk_area",
                    "choice",
                    "Where is the problem?",
                    choices=(
                        ("back", "Back"),
                        ("neck", "Neck"),
                        ("shoulder", "Shoulder"),
                        ("hip_knee", "Hip or knee"),
                        ("other", "Somewhere else"),
                    ),
                    required=True,
                    missing="Select where the problem is",
                ),
                _FIT_NOTE,
            ),
            nhs_number_required=True,
            benefits_may_be_unknown=True,
            referrer="a First Contact Practitioner (physiotherapy)",
        ),
        Route(
            "talking_therapies",
            "NHS Talking Therapies",
            "health",
            "A therapist or employment adviser in NHS Talking Therapies.",
            frozenset({K.TALKING_THERAPIES}),
            (
                RouteField(
                    "treatment_step",
                    "choice",
                    "Where are they in treatment?",
                    choices=(
                        ("waiting", "Waiting to start"),
                        ("step_2", "Step 2 (guided self-help)"),
                        ("step_3", "Step 3 (high-intensity therapy)"),
                        ("finished", "Finished treatment"),
                    ),
                    required=True,
                    missing="Select where they are in treatment",
                ),
            ),
            nhs_number_required=True,
            benefits_may_be_unknown=True,
            referrer="an NHS Talking Therapies practitioner",
        ),
        Route(
            "community_mental_health",
            "Community mental health team",
            "health",
            "A care coordinator in secondary mental health care (the route to IPS).",
            frozenset({K.COMMUNITY_MENTAL_HEALTH}),
            (
                RouteField(
                    "care_coordinator",
                    "text",
                    "Care coordinator's name",
                    required=True,
                    missing="Enter the care coordinator's name",
                ),
                RouteField(
                    "severe_mental_illness",
                    "bool",
                    "They are under secondary care for a severe mental illness",
                    situation="severe_mental_illness",
                ),
            ),
            nhs_number_required=True,
            benefits_may_be_unknown=True,
            referrer="a community mental health care coordinator",
        ),
        Route(
            "social_worker",
            "Social worker",
            "care",
            "A social worker in adult social care.",
            frozenset({K.SOCIAL_CARE}),
            _SITUATIONS,
            referrer="a social worker",
        ),
        Route(
            "care_leaver",
            "Care-leaver coordinator",
            "care",
            "A leaving-care personal adviser referring a young person who has left care.",
            frozenset({K.SOCIAL_CARE}),
            (
                RouteField(
                    "leaving_care_adviser",
                    "text",
                    "Leaving-care personal adviser's name",
                    required=True,
                    missing="Enter the leaving-care personal adviser's name",
                ),
                RouteField("ehc_plan", "bool", "They have an Education, Health and Care plan", situation="ehc_plan"),
            ),
            situations=frozenset({"care_leaver"}),
            referrer="a care-leaver coordinator",
        ),
        Route(
            "work_coach",
            "Jobcentre work coach",
            "employment",
            "A work coach referring a claimant.",
            frozenset({K.JOBCENTRE}),
            (_NINO_FIELD, _MONTHS_BENEFITS, _MONTHS_OUT),
            referrer="a Jobcentre work coach",
        ),
        Route(
            "disability_employment_adviser",
            "Disability Employment Adviser",
            "employment",
            "A Disability Employment Adviser at the Jobcentre.",
            frozenset({K.JOBCENTRE}),
            (_NINO_FIELD, _MONTHS_OUT),
            situations=frozenset({"disability"}),
            referrer="a Disability Employment Adviser",
        ),
        Route(
            "housing",
            "Housing officer",
            "housing",
            "A housing or tenancy-support officer.",
            frozenset({K.HOUSING}),
            (
                RouteField(
                    "tenancy",
                    "choice",
                    "Their housing",
                    choices=(
                        ("social", "Social housing tenant"),
                        ("private", "Private tenant"),
                        ("temporary", "Temporary accommodation"),
                        ("other", "Something else"),
                    ),
                    required=True,
                    missing="Select their housing",
                ),
                RouteField(
                    "at_risk_of_homelessness",
                    "bool",
                    "They are at risk of losing their home",
                    situation="homelessness",
                ),
                RouteField("rent_arrears", "bool", "They have rent arrears", situation="financial_difficulty"),
            ),
            referrer="a housing officer",
        ),
        Route(
            SELF,
            "Self-referral",
            "self",
            "Someone referring themselves on the public site.",
            frozenset({SELF}),
            referrer="yourself",
        ),
        Route(
            "clinical_system",
            "Clinical system (FHIR)",
            "health",
            "A clinical system sending a FHIR ServiceRequest.",
            frozenset({K.GP_PRACTICE, K.TALKING_THERAPIES, K.COMMUNITY_MENTAL_HEALTH}),
            (RouteField("sender_identifier", "text", "The sending system's identifier for this referral"),),
            nhs_number_required=True,
            benefits_may_be_unknown=True,
            referrer="a clinical system",
        ),
    ]
}
GROUPS = {"health": "Health", "care": "Care", "employment": "Employment", "housing": "Housing", "self": "Self"}
# Routes a person chooses on a form; the FHIR route is chosen by the interface, not a person.
FORM_ROUTES = [code for code in ROUTES if code not in {SELF, "clinical_system"}]


def routes_for_kind(kind: str) -> list[Route]:
    """The routes open to a referring organisation of this kind, as offered on the form."""
    return [ROUTES[c] for c in FORM_ROUTES if kind in ROUTES[c].kinds]


def route_problems(route: Route, details: dict[str, Any]) -> dict[str, str]:
    """Every broken rule among a route's answers, as {field: plain-English message}."""
    errors: dict[str, str] = {}
    unknown = set(details) - {f.name for f in route.fields}
    if unknown:
        errors[sorted(unknown)[0]] = "That question is not part of this referral route"
    for f in route.fields:
        problem = _answer_problem(f, details.get(f.name))
        if problem is not None:
            errors[f.name] = problem
    return errors


def _answer_problem(f: RouteField, value: Any) -> str | None:
    """What is wrong with one answer: missing when required, else not of the field's kind."""
    if isinstance(value, str):
        value = value.strip()
    if f.required and f.kind != "bool" and value in (None, "", False):
        return f.missing or f"Answer '{f.label}'"
    if value in (None, ""):
        return None
    rule = _ANSWER_RULES.get(f.kind)
    if rule is None or rule.ok(f, value):
        return None
    return rule.message(f)


@dataclass(frozen=True)
class _AnswerRule:
    ok: Callable[[RouteField, Any], bool]
    message: Callable[[RouteField], str]


def _nino_ok(value: str) -> bool:
    try:
        normalise_nino(value)
    except ValueError:
        return False
    return True


# By field kind: whether a given answer is of that kind, and what to say when it is not.
_ANSWER_RULES: dict[str, _AnswerRule] = {
    "text": _AnswerRule(
        lambda f, v: isinstance(v, str) and len(v) <= 500,
        lambda f: f"{f.label} must be 500 characters or fewer",
    ),
    "choice": _AnswerRule(
        lambda f, v: isinstance(v, str) and v in dict(f.choices),
        lambda f: f"Select {f.label[0].lower() + f.label[1:].rstrip('?')}",
    ),
    "months": _AnswerRule(
        lambda f, v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 600,
        lambda f: f"{f.label.rstrip('?')}: enter a whole number of months from 0 to 600",
    ),
    "nino": _AnswerRule(lambda f, v: isinstance(v, str) and _nino_ok(v), lambda f: NINO_FORMAT),
    "bool": _AnswerRule(lambda f, v: isinstance(v, bool), lambda f: f"{f.label}: answer yes or no"),
}


def situations(route: Route, details: dict[str, Any]) -> frozenset[str] | None:
    """What the route's answers say of the person's situations; None when the route asks nothing."""
    asked = [f for f in route.fields if f.situation]
    if not asked and not route.situations:
        return None
    found = set(route.situations) | {f.situation for f in asked if details.get(f.name) is True}
    return frozenset(found)


def check_registry() -> None:
    from joinedup.directory.eligibility import SITUATIONS
    from joinedup.organisations.models import OrganisationKind

    kinds = set(OrganisationKind.values) | {SELF}
    for route in ROUTES.values():
        if not route.kinds <= kinds:
            raise RuntimeError(f"Referral route {route.code} names an unknown organisation kind")
        if route.group not in GROUPS:
            raise RuntimeError(f"Referral route {route.code} is in an unknown group")
        if not route.referrer:
            raise RuntimeError(f"Referral route {route.code} does not say who refers this way (referrer)")
        for f in route.fields:
            if f.situation and f.situation not in SITUATIONS:
                raise RuntimeError(f"Referral route {route.code} names an unknown situation {f.situation}")
        if not route.situations <= SITUATIONS.keys():
            raise RuntimeError(f"Referral route {route.code} names an unknown situation")
