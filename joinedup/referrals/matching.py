"""Matching a referral against every published directory service, with reasons (decision 005).

Built on the directory's public functions only (`directory.selectors.published_services`,
`directory.eligibility.evaluate`, `directory.areas`): the three-valued evaluator decides; this module
turns what the referral tells us into `Circumstances`, ranks the services and says, for each service
not yet decided, which question would settle it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from joinedup.directory import areas
from joinedup.directory.eligibility import SITUATIONS, Circumstances, Outcome, Result, evaluate
from joinedup.directory.models import EligibilityRuleSet, ServiceArea
from joinedup.directory.selectors import published_services
from joinedup.people.choices import HealthCondition

from . import routes
from .models import Referral

# The question a triage officer can ask to settle an unknown criterion.
QUESTIONS = {
    "age": "How old is the person?",
    "area": "Where does the person live?",
    "employment_status": "Is the person in work, off sick, or out of work?",
    "benefits": "Which benefits does the person get?",
    "months_on_benefits": "How long has the person been claiming benefits?",
    "months_out_of_work": "How long is it since the person last worked or was in training?",
    "health_condition": "Which health conditions does the person have?",
    "referral_source": "Who is making the referral?",
}


@dataclass(frozen=True)
class Question:
    question: str
    evidence: str


@dataclass
class ServiceMatch:
    service: MatchedService
    outcome: Outcome
    result: Result
    rules_version: int | None
    met: int = 0  # criteria positively met: the more specific the fit, the higher the rank
    questions: list[Question] = field(default_factory=list)
    ruled_out_by: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[tuple[int, Result]]:
        return self.result.lines()


@dataclass
class Matching:
    circumstances: Circumstances
    eligible: list[ServiceMatch]
    unknown: list[ServiceMatch]
    ruled_out: list[ServiceMatch]

    def find(self, service_id: Any) -> ServiceMatch | None:
        return next((m for m in self.eligible + self.unknown + self.ruled_out if m.service.pk == service_id), None)


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def circumstances_for(referral: Referral, *, today: date | None = None) -> tuple[Circumstances, frozenset[str]]:
    """What the referral tells us, and the situations the referrer says apply.

    Situations are returned apart: a box the referrer did not tick is "not known", not "no", so
    only ticked situations are settled (`_settle`); the rest stay unknown with their question.
    """
    today = today or timezone.localdate()
    details = referral.details or {}
    route = routes.ROUTES.get(referral.route)
    situations = routes.situations(route, details) if route else None
    benefits = frozenset(referral.benefits) if referral.benefits else None
    source = routes.SELF if referral.route == routes.SELF else referral.referring_organisation.kind
    found = Circumstances(
        age=_age(referral.person.date_of_birth, today),
        postcode=referral.person.postcode,
        employment_status=referral.employment_status or None,
        benefits=benefits,
        months_on_benefits=details.get("months_on_benefits"),
        months_out_of_work=details.get("months_out_of_work"),
        health_conditions=_health(referral.health_condition),
        situations=None,
        referral_source=source,
    )
    return found, situations or frozenset()


def _health(code: str) -> frozenset[str] | None:
    """The person's health condition for the rules; not known when blank or they preferred not to say."""
    if not code or code == HealthCondition.PREFER_NOT_TO_SAY:
        return None
    return frozenset({code})


def _settle(node: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The rule tree with each situation the referrer vouched for replaced by a met criterion."""
    if "all" in node:
        return {**node, "all": [_settle(c, known) for c in node["all"]]}
    if "any" in node:
        return {**node, "any": [_settle(c, known) for c in node["any"]]}
    if "of" in node:
        return {**node, "of": [_settle(c, known) for c in node["of"]]}
    if node.get("criterion") == "situation" and node.get("is") in known:
        text = SITUATIONS[node["is"]]
        return {
            "criterion": "open",
            "settled": True,
            "label": f"For someone who {text}; the referrer says this applies.",
        }
    return node


def _walk(node: dict[str, Any], result: Result, out: ServiceMatch) -> None:
    """Collect what decided the outcome, reading rules and result side by side.

    Criteria met count towards the rank; below an undecided branch, each unknown criterion gives
    the question that would settle it; below a failed branch, each failed criterion is a reason.
    A branch that did not decide its parent (a failed alternative of a met "any") is left out.
    """
    children = node.get("all") or node.get("any") or node.get("of")
    if children:
        for child_node, child_result in zip(children, result.children, strict=False):
            if child_result.outcome == result.outcome or child_result.outcome == Outcome.ELIGIBLE:
                _walk(child_node, child_result, out)
        return
    kind = node.get("criterion")
    if result.outcome == Outcome.ELIGIBLE:
        if kind != "open" or node.get("settled"):
            out.met += 1
    elif result.outcome == Outcome.UNKNOWN:
        if kind == "situation":
            question = f"Ask whether the person {SITUATIONS.get(node.get('is'), 'qualifies')}."
        else:
            question = QUESTIONS.get(kind or "", "Ask the provider whether this person is eligible.")
        evidence = result.evidence[0] if result.evidence else ""
        if all(q.question != question for q in out.questions):
            out.questions.append(Question(question, evidence))
    else:
        out.ruled_out_by.append(result.reason)


def _serves(served: list[str], home: str | None) -> bool:
    """Whether a service's areas reach the person's home (a service listing no areas is not excluded)."""
    if not served or home is None:
        return True
    around = set(areas.ancestors(home))
    return any(code in around or home in areas.ancestors(code) for code in served)


@dataclass(frozen=True)
class MatchedService:
    """The little of a directory service that matching shows (rows, not model instances: a
    directory can hold hundreds of services and this runs on every triage page)."""

    pk: Any
    name: str
    organisation_name: str


def _published() -> list[tuple[MatchedService, list[str], dict[str, Any] | None, int | None]]:
    """Each published service with its areas and its newest rule set: three queries in all."""
    rows = list(published_services().values_list("id", "name", "organisation__name"))
    ids = [r[0] for r in rows]
    served: dict[Any, list[str]] = {}
    for service_id, area in (
        ServiceArea.objects.filter(service_id__in=ids).exclude(area="").values_list("service_id", "area")
    ):
        served.setdefault(service_id, []).append(area)
    newest: dict[Any, tuple[dict[str, Any], int]] = {}
    for service_id, version, rules in (
        EligibilityRuleSet.objects.filter(service_id__in=ids)
        .order_by("service_id", "-version")
        .values_list("service_id", "version", "rules")
    ):
        newest.setdefault(service_id, (rules, version))
    out = []
    for pk, name, organisation in rows:
        rules, version = newest.get(pk, (None, None))
        out.append((MatchedService(pk, name, organisation), served.get(pk, []), rules, version))
    return out


def referral_matching(*, referral: Referral, today: date | None = None) -> Matching:
    """Every published service: eligible (ranked, with reasons), not known yet (with the questions
    that would settle it), and ruled out (with why). For the triage officer; no personal data leaves."""
    found, known = circumstances_for(referral, today=today)
    home = found.home_area()
    eligible, unknown, ruled_out = [], [], []
    for service, served, found_rules, version in _published():
        rules = found_rules or {"stated": False}
        if not _serves(served, home):
            place = areas.area_name(home) if home else "where the person lives"
            result = Result(Outcome.NOT_ELIGIBLE, f"The service does not cover {place}.", criterion="area")
            ruled_out.append(ServiceMatch(service, Outcome.NOT_ELIGIBLE, result, version, ruled_out_by=[result.reason]))
            continue
        settled = _settle(rules, known) if rules.get("stated") is not False else rules
        evaluation = evaluate(settled, found, version=version)
        match = ServiceMatch(service, evaluation.outcome, evaluation.result, version)
        if rules.get("stated") is False:
            match.questions.append(
                Question("Ask the provider whether this person is eligible.", "The provider's own criteria")
            )
        else:
            _walk(settled, evaluation.result, match)
        {Outcome.ELIGIBLE: eligible, Outcome.UNKNOWN: unknown, Outcome.NOT_ELIGIBLE: ruled_out}[
            evaluation.outcome
        ].append(match)
    eligible.sort(key=lambda m: (-m.met, m.service.name))
    unknown.sort(key=lambda m: (len(m.questions), -m.met, m.service.name))
    ruled_out.sort(key=lambda m: m.service.name)
    return Matching(found, eligible, unknown, ruled_out)
