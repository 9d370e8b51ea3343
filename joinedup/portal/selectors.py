"""What the person sees of their own record (decision 022), each read audited as theirs.

The referral's status is the referrer's view's own (`referrals.selectors.closed_loop_status`, which
the referrer's list, the referral's page, the API and the emails use): one source of truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.cases.better_off.charts import better_off_chart
from joinedup.cases.selectors import (
    MilestoneDue,
    Plan,
    better_off_calculations,
    case_milestones,
    case_of_person,
    case_plan,
    plan_action_get,
)
from joinedup.people.selectors import ConsentRow, consents_for_person, latest_referral_of
from joinedup.people.services import ADVISER_PURPOSES, PERSON_CHANNEL
from joinedup.referrals.selectors import closed_loop_status

from .models import Message, PlanShare
from .signin import digest

SHARED_CHANNEL = "shared"  # the audit channel of a use of a link the person shared


def _read(person: Any, target: Any, view: str, channel: str = PERSON_CHANNEL, **payload: Any) -> None:
    audit_record(
        actor=None,
        verb=AuditVerb.VIEWED,
        target=target,
        person_id=person.pk,
        channel=channel,
        payload={"view": view, **payload},
    )


@dataclass(frozen=True)
class Overview:
    person: Any
    referral: Any  # None: no referral on record
    status: str  # the referrer's view's words for the referral's status
    case: Any  # None until enrolled
    milestones: list[MilestoneDue] = field(default_factory=list)
    actions_to_do: int = 0

    @property
    def adviser_name(self) -> str:
        adviser = self.case.adviser if self.case else None
        return (adviser.get_full_name() or adviser.username) if adviser else ""


def your_overview(*, person: Any) -> Overview:
    """The person's referral, adviser, next step, review date and in-work milestones. Audited."""
    case = case_of_person(person=person)
    referral = case.referral if case else latest_referral_of(person=person)
    status = closed_loop_status(referral=referral).label if referral else ""
    milestones = case_milestones(case=case) if case else []
    to_do = sum(1 for g in case_plan(case=case).goals for a in g.actions if a.done_on is None) if case else 0
    _read(person, case or referral or person, "your_overview")
    return Overview(person, referral, status, case, milestones, to_do)


@dataclass(frozen=True)
class YourPlan:
    case: Any
    plan: Plan
    notes: dict[Any, list[Message]]  # action id -> the person's notes on it


def your_plan(*, person: Any) -> YourPlan | None:
    """The person's goals and actions, with their notes on them. Audited. None without a case."""
    case = case_of_person(person=person)
    if case is None:
        return None
    notes: dict[Any, list[Message]] = {}
    for message in Message.objects.filter(case=case, action__isnull=False).only("action_id", "text", "created_at"):
        notes.setdefault(message.action_id, []).append(message)
    _read(person, case, "your_plan")
    return YourPlan(case, case_plan(case=case), notes)


@dataclass(frozen=True)
class BetterOff:
    calculation: Any
    points: list[dict[str, Any]]
    sentences: list[str]
    chart: Any = None


SUMMARY_HOURS = (16, 30)


def _sentences(calculation: Any, points: list[dict[str, Any]]) -> list[str]:
    from django.utils.translation import gettext as _

    by_hours = {p["hours"]: p for p in points}
    sentences = []
    for hours in SUMMARY_HOURS:
        point = by_hours.get(hours)
        if point is None:
            continue
        values = {
            "hours": hours,
            "wage": calculation.hourly_wage,
            "net": f"{point['net_income']:,.0f}",
            "more": f"{abs(point['better_off']):,.0f}",
        }
        if point["better_off"] >= 0:
            text = _(
                "If you work %(hours)s hours a week at £%(wage)s an hour, you would have about £%(net)s a week "
                "to live on. That is £%(more)s a week more than if you do not work."
            )
        else:
            text = _(
                "If you work %(hours)s hours a week at £%(wage)s an hour, you would have about £%(net)s a week "
                "to live on. That is £%(more)s a week less than if you do not work. Talk to your adviser."
            )
        sentences.append(text % values)
    return sentences


def your_better_off(*, person: Any) -> list[BetterOff]:
    """The person's better-off-in-work results, newest first, in words and as the adviser's chart."""
    case = case_of_person(person=person)
    if case is None:
        return []
    results = []
    for calculation in better_off_calculations(case=case, limit=5):
        if calculation.results:
            points = calculation.results["points"]
            chart = better_off_chart(points, hours=None, key=f"better-off-{calculation.pk}")
            results.append(BetterOff(calculation, points, _sentences(calculation, points), chart))
    _read(person, case, "your_better_off")
    return results


@dataclass(frozen=True)
class YourConsent:
    row: ConsentRow
    words: str  # the state, said to the person
    tag: str  # the GOV.UK tag's colour class
    can_withdraw: bool


def _consent_words(row: ConsentRow) -> tuple[str, str]:
    from django.utils.translation import gettext as _

    consent = row.consent
    if row.state == "active":
        return _("You agreed"), "govuk-tag--green"
    if row.state == "withdrawn":
        day = date_format(timezone.localtime(consent.withdrawn_at), "j F Y") if consent.withdrawn_at else ""
        return _("You withdrew this on %(day)s") % {"day": day}, "govuk-tag--red"
    if row.state == "refused":
        return _("You did not agree"), "govuk-tag--yellow"
    if row.state == "expired":
        return _("This has ended"), "govuk-tag--grey"
    return _("Replaced by a later decision"), "govuk-tag--grey"


def your_consents(*, person: Any) -> list[YourConsent]:
    """Every consent decision in words, and which the person may withdraw (a sharing consent in
    force, as on the adviser's page). Audited."""
    withdrawable = {str(p) for p in ADVISER_PURPOSES}
    rows = []
    for row in consents_for_person(person=person):
        words, tag = _consent_words(row)
        can = row.state == "active" and row.consent.purpose in withdrawable
        rows.append(YourConsent(row, words, tag, can))
    _read(person, person, "your_consents")
    return rows


def your_messages(*, person: Any) -> tuple[Any, list[Message]]:
    """The messages between the person and their adviser, oldest first. Audited."""
    case = case_of_person(person=person)
    if case is None:
        return None, []
    messages = list(Message.objects.filter(case=case, person=person).select_related("action"))
    _read(person, case, "your_messages")
    return case, messages


def your_action(*, person: Any, pk: object, audit: bool = True) -> Any:
    """One of the person's plan actions (404 if it is not theirs). Audited unless the page's POST
    records a change instead."""
    case = case_of_person(person=person)
    if case is None:
        raise Http404("You do not have a plan yet")
    action = plan_action_get(case=case, pk=str(pk))
    if audit:
        _read(person, action, "your_plan")
    return action


def messages_for_case(*, case: Any) -> list[Message]:
    """The messages between a case's person and their adviser (the adviser's page, which has
    fetched the case with its permission and audited the read)."""
    return list(Message.objects.filter(case=case).select_related("action", "created_by"))


def your_shares(*, person: Any) -> list[PlanShare]:
    """The links the person has shared their plan with, newest first. Audited."""
    shares = list(PlanShare.objects.filter(person=person))
    _read(person, person, "your_shares", shares=len(shares))
    return shares


@dataclass(frozen=True)
class SharedPlan:
    share: PlanShare
    given_name: str
    plan: Plan


def shared_plan(*, token: str) -> SharedPlan:
    """The plan a link shows, while it is neither expired nor stopped (404 otherwise). Each use is
    counted and audited against the person, so they see who looked and when."""
    if not token or len(token) > 100:
        raise Http404("No such link")
    now = timezone.now()
    share = (
        PlanShare.objects.select_related("case__person")
        .filter(token_digest=digest("share", token), ended_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if share is None:
        raise Http404("This link has expired or been stopped")
    person = share.case.person
    with transaction.atomic():
        PlanShare.objects.filter(pk=share.pk).update(uses=F("uses") + 1)
        _read(person, share, "shared_plan", channel=SHARED_CHANNEL, shared_with=share.shared_with)
    return SharedPlan(share, person.given_name, case_plan(case=share.case))
