"""Reads for referrals, scoped to the acting membership. Out-of-scope records are simply absent."""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.compiled import CompiledQuery
from joinedup.core.errors import NotPermitted
from joinedup.core.pagination import PAGE_SIZE, Page, paginate, with_total
from joinedup.core.selectors import get_in_scope
from joinedup.organisations.models import Membership, Organisation, OrganisationKind, Role
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.organisations.selectors import delivery_partners
from joinedup.people.selectors import progress_shared_among, progress_shared_with

from . import statuses
from .models import Referral


def _base() -> QuerySet[Referral]:
    return Referral.objects.select_related("person", "referring_organisation", "delivery_partner", "adviser")


def _require_view(actor: Membership) -> None:
    if not has_perm(actor, Perm.REFERRAL_VIEW_ORG):
        raise NotPermitted("You do not have permission to see referrals.")


def _require_triage(actor: Membership) -> None:
    if not (has_perm(actor, Perm.REFERRAL_TRIAGE_ALL) or has_perm(actor, Perm.REFERRAL_TRIAGE_ORG)):
        raise NotPermitted("You do not have permission to triage referrals.")


def referrals_made_by_org(*, actor: Membership) -> QuerySet[Referral]:
    """The referrals the actor's organisation made (a referrer's list)."""
    _require_view(actor)
    return _made_by(actor.organisation_id)


def _made_by(organisation: object) -> QuerySet[Referral]:
    return _base().filter(referring_organisation=organisation)


def _in_triage() -> QuerySet[Referral]:
    return (
        Referral.objects.select_related("person", "referring_organisation")
        .filter(status__in=statuses.IN_TRIAGE)
        .order_by("created_at", "pk")
    )


def triage_queue(*, actor: Membership) -> QuerySet[Referral]:
    """Referrals waiting to be routed: the programme's triage queue, oldest first."""
    _require_triage(actor)
    return _in_triage()


# What the lists show of each referral: a referral row is wide (the referrer's answers).
_MADE_COLUMNS = ("reference", "status", "created_at", "person__given_name", "person__family_name")
_TRIAGE_COLUMNS = (*_MADE_COLUMNS, "referring_organisation__name")


def _triage_listed() -> QuerySet[Referral]:
    return _in_triage().only(*_TRIAGE_COLUMNS)


def _made_listed(organisation: object) -> QuerySet[Referral]:
    made = _made_by(organisation).select_related(None).select_related("person")
    return _with_started_work(made.only(*_MADE_COLUMNS)).order_by("-created_at", "-pk")


@functools.lru_cache(maxsize=256)
def _triage_page(offset: int, size: int) -> CompiledQuery[Referral]:
    """A page of the triage queue with its total, built once (decision 011)."""
    return CompiledQuery(lambda: with_total(_triage_listed())[offset : offset + size])


@functools.lru_cache(maxsize=256)
def _made_page(offset: int, size: int) -> CompiledQuery[Referral]:
    """A page of a referrer's list with its total, built once (decision 011)."""
    return CompiledQuery(
        lambda organisation: with_total(_made_listed(organisation))[offset : offset + size],
        organisation=Referral._meta.get_field("referring_organisation"),
    )


def triage_queue_page(*, actor: Membership, page: object, size: int = PAGE_SIZE) -> Page:
    """A page of the triage queue, oldest first. One query."""
    _require_triage(actor)
    return paginate(_triage_listed, page, size=size, read=lambda offset: _triage_page(offset, size)())


def referrals_made_page(*, actor: Membership, page: object, size: int = PAGE_SIZE) -> Page:
    """A page of the referrals the actor's organisation made, newest first. One query."""
    _require_view(actor)
    org = actor.organisation_id
    return paginate(
        lambda: _made_listed(org), page, size=size, read=lambda offset: _made_page(offset, size)(organisation=org)
    )


def referrals_offered_to_partner(*, actor: Membership) -> QuerySet[Referral]:
    """Referrals the triage officer sent to the actor's delivery partner, waiting to be accepted."""
    if not has_perm(actor, Perm.REFERRAL_TRIAGE_ORG):
        raise NotPermitted("You do not have permission to accept referrals.")
    return (
        _base()
        .select_related("service")
        .filter(status=statuses.ROUTED, delivery_partner=actor.organisation)
        .order_by("created_at", "pk")
    )


def referral_for_partner(*, actor: Membership, pk: str, audit: bool = True) -> Referral:
    referral = get_in_scope(referrals_offered_to_partner(actor=actor), pk=pk)
    return referral_read_audit(referral, actor=actor, channel="web") if audit else referral


def referral_read_audit(
    referral: Referral, *, actor: Membership, channel: str = "web", payload: dict | None = None
) -> Referral:
    """Reading a person's referral is audited, as reading a case is (`cases.selectors.case_get`)."""
    audit_record(
        actor=actor.user,
        verb=AuditVerb.VIEWED,
        target=referral,
        organisation=actor.organisation,
        person_id=referral.person_id,
        channel=channel,
        payload=payload,
    )
    return referral


def referral_for_referrer(*, actor: Membership, pk: str, audit: bool = True, channel: str = "web") -> Referral:
    referral = get_in_scope(referrals_made_by_org(actor=actor), pk=pk)
    return referral_read_audit(referral, actor=actor, channel=channel) if audit else referral


def referral_by_reference_for(*, actor: Membership, reference: str) -> Referral:
    """A referral the actor may read the status of (API): one its organisation made. Audited."""
    referral = get_in_scope(referrals_made_by_org(actor=actor), reference=reference)
    return referral_read_audit(referral, actor=actor, channel="api")


@dataclass(frozen=True)
class LoopStep:
    code: str
    label: str
    done: bool
    on: date | None = None  # the day it happened (for enrolment, the enrolment date itself)
    detail: str = ""


@dataclass(frozen=True)
class LoopStatus:
    """Where a referral is, as its referrer may know it: the closed loop's step (`code`, one of
    `statuses.LOOP_LABELS`, and its `label`) and the referral's own registry status (`status`)."""

    code: str
    label: str
    status: str


def loop_status(*, status: str, shared: bool, enrolled: bool, started_work: bool) -> LoopStatus:
    """The one rule for a referral's closed-loop status, from its registry status, whether its
    referrer may know the person's progress (`people.selectors.progress_shared_with`), and whether
    a case was opened from it and has a job start. Every page, the API, the FHIR Task and the email
    take the status from here (`closed_loop_status`, `closed_loop_statuses`)."""
    code = {
        statuses.RECEIVED: "received",
        statuses.ROUTED: "routed",
        statuses.RETURNED: "returned",
        statuses.DECLINED: "declined",
        statuses.WITHDRAWN: "withdrawn",
    }.get(status, "accepted")
    if status == statuses.ENROLLED and shared and enrolled:
        code = "started_work" if started_work else "enrolled"
    return LoopStatus(code, statuses.LOOP_LABELS[code], status)


@dataclass(frozen=True)
class ClosedLoop:
    steps: list[LoopStep]
    progress_shared: bool
    status: LoopStatus
    declined_reason: str = ""

    @property
    def current(self) -> LoopStep:
        """The step the referral is at: the last done step of its status, else the last done step
        (a referral whose history lacks the change, such as an older or imported row)."""
        done = [step for step in self.steps if step.done]
        return next((step for step in reversed(done) if step.code == self.status.code), done[-1])


def closed_loop_status(*, referral: Referral) -> LoopStatus:
    """The referral's closed-loop status (the step its referrer is told it is at), with its code."""
    return referral_closed_loop(referral=referral).status


def referral_closed_loop(*, referral: Referral) -> ClosedLoop:
    """What the referrer may know of what happened: routing always; progress only with consent.

    Received, sent to a partner, declined by a partner (and re-routed), accepted or declined are
    about the referral the referrer made. Enrolment and starting work are the person's progress:
    shown only while the person's consent to share progress with this referring organisation is active.
    """
    history = list(referral.status_changes.select_related("by_organisation"))
    changes = {c.to_status: c for c in history}
    shared = progress_shared_with(person=referral.person, organisation=referral.referring_organisation)
    # The status as the history has it (an instance read before the last change may be behind).
    now = history[-1].to_status if history else referral.status
    case = getattr(referral, "case", None) if now == statuses.ENROLLED else None
    first_job = case.job_starts.order_by("start_date").first() if case is not None and shared else None
    status = loop_status(status=now, shared=shared, enrolled=case is not None, started_work=first_job is not None)
    label = statuses.LOOP_LABELS
    received = changes.get(statuses.RECEIVED)
    steps = [LoopStep("received", label["received"], True, _day(received.at if received else referral.created_at))]
    for change in history:
        if change.to_status == statuses.RETURNED:
            by = f"Declined by {change.by_organisation.name}"
            detail = f"{by}. {change.reason_text}" if change.reason_text else by
            steps.append(LoopStep("returned", label["returned"], True, _day(change.at), detail))
    for code in ("declined", "withdrawn"):
        ended = changes.get(code) if status.code == code else None
        if ended:
            steps.append(LoopStep(code, label[code], True, _day(ended.at), ended.reason_text))
            return ClosedLoop(steps, shared, status, ended.reason_text if code == "declined" else "")
    if now == statuses.ROUTED:
        routed = changes[statuses.ROUTED]
        partner = referral.delivery_partner.name if referral.delivery_partner else ""
        steps.append(LoopStep("routed", label["routed"], True, _day(routed.at), partner))
    accepted = changes.get(statuses.ASSIGNED) if now in {statuses.ASSIGNED, statuses.ENROLLED} else None
    partner = referral.delivery_partner.name if accepted and referral.delivery_partner else ""
    steps.append(
        LoopStep("accepted", label["accepted"], accepted is not None, _day(accepted.at if accepted else None), partner)
    )
    if not shared:
        return ClosedLoop(steps, False, status)
    steps.append(LoopStep("enrolled", label["enrolled"], case is not None, case.enrolled_on if case else None))
    steps.append(
        LoopStep(
            "started_work", label["started_work"], first_job is not None, first_job.start_date if first_job else None
        )
    )
    return ClosedLoop(steps, True, status)


def closed_loop_statuses(referrals: list[Referral], *, referrer: Organisation) -> dict[object, LoopStatus]:
    """`closed_loop_status` of each referral `referrer` made on a page of its list, by pk, without a
    query a row: the rows carry `started_work` (`_with_started_work`); whether each enrolled
    person's progress may be shared is one query for the page (none if no row is enrolled)."""
    enrolled = [r for r in referrals if r.status == statuses.ENROLLED]
    shared = progress_shared_among(pairs=[(r.person_id, referrer) for r in enrolled])
    return {
        r.pk: loop_status(
            status=r.status,
            shared=(r.person_id, referrer.pk) in shared,
            enrolled=r.status == statuses.ENROLLED,  # enrolment opens the case in the same transaction
            started_work=bool(getattr(r, "started_work", False)),
        )
        for r in referrals
    }


def _with_started_work(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    """Each referral with whether the case opened from it has a job start (an EXISTS, by relation)."""
    return qs.annotate(
        started_work=Exists(Referral.objects.filter(pk=OuterRef("pk"), case__job_starts__isnull=False).order_by())
    )


def _day(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value else None


def assignment_choices(*, actor: Membership) -> tuple[QuerySet[Organisation], QuerySet[Membership]]:
    """Where the actor may route a referral: any delivery partner, or only their own."""
    partners = delivery_partners()
    if not has_perm(actor, Perm.REFERRAL_TRIAGE_ALL):
        partners = partners.filter(pk=actor.organisation_id)
    advisers = (
        Membership.objects.filter(organisation__in=partners, role=Role.PERSONAL_ADVISER, archived_at__isnull=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__first_name")
    )
    return partners, advisers


@dataclass(frozen=True)
class ConditionCount:
    code: str
    label: str
    referrals: int


def referrals_by_health_condition(*, actor: Membership, start: date | None, end: date | None) -> list[ConditionCount]:
    """Referrals received in the months from `start` to `end` (first days; None is open) by main
    health condition, every condition listed (none is 0), "Prefer not to say" counted as itself.
    Aggregates only, for the dashboard (issue 17)."""
    from django.db.models import Count

    from joinedup.people.choices import HealthCondition

    if not has_perm(actor, Perm.DASHBOARD_VIEW):
        raise NotPermitted("You do not have permission to see the dashboard.")
    qs = Referral.objects.all()
    if start is not None:
        qs = qs.filter(created_at__date__gte=start)
    if end is not None:
        following = date(end.year + end.month // 12, end.month % 12 + 1, 1)
        qs = qs.filter(created_at__date__lt=following)
    counts = dict(qs.values_list("health_condition").annotate(n=Count("pk")).values_list("health_condition", "n"))
    return [ConditionCount(code, label, counts.get(code, 0)) for code, label in HealthCondition.choices]


def _triage_scope(actor: Membership) -> QuerySet[Referral]:
    """Every referral a triage role may find: a programme manager (`referral.triage_all`) every
    referral, routed and closed ones too; a partner manager (`referral.triage_org`) those waiting in
    triage (as the queue shows them) and those sent to their own organisation."""
    _require_triage(actor)
    found = _base()
    if has_perm(actor, Perm.REFERRAL_TRIAGE_ALL):
        return found
    return found.filter(Q(status__in=statuses.IN_TRIAGE) | Q(delivery_partner=actor.organisation_id))


def referral_found_by_triage(*, actor: Membership, pk: str, audit: bool = True) -> Referral:
    """One referral a triage role may see, in triage or not (the triage page shows one that has left
    the queue read-only). Audited as every read of a person's referral."""
    referral = get_in_scope(_triage_scope(actor), pk=pk)
    return referral_read_audit(referral, actor=actor, channel="web") if audit else referral


@dataclass(frozen=True)
class HistoryLine:
    """One change of a referral's status as the triage pages show it to this viewer."""

    at: datetime
    to_label: str
    by_name: str
    reason_text: str


ANOTHER_PARTNER = "another delivery partner"


def triage_history(*, actor: Membership, referral: Referral) -> list[HistoryLine]:
    """The referral's history as triage sees it. A programme manager (`referral.triage_all`) reads
    every change in full. A partner manager reads their own organisation's changes and those of the
    lead and the referrer; a change made by another delivery partner shows that it happened, not
    which partner nor why (their decline reason is theirs and the programme's, not a rival's)."""
    everything = has_perm(actor, Perm.REFERRAL_TRIAGE_ALL)
    lines = []
    for change in referral.status_changes.select_related("by_organisation"):
        by = change.by_organisation
        hidden = not everything and by.pk != actor.organisation_id and by.kind == OrganisationKind.DELIVERY_PARTNER
        lines.append(
            HistoryLine(
                at=change.at,
                to_label=change.to_label,
                by_name=ANOTHER_PARTNER if hidden else by.name,
                reason_text="" if hidden else change.reason_text,
            )
        )
    return lines


_SEARCH_COLUMNS = (
    *("reference", "status", "created_at", "delivery_partner_id", "referring_organisation_id"),
    *("person__given_name", "person__family_name", "person__nhs_number"),
    *("referring_organisation__name", "delivery_partner__name"),
)
_REFERENCE = re.compile(r"^(JU-?)?[A-Z0-9]{7}$")  # services._new_reference: "JU-" and 7 characters


@dataclass(frozen=True)
class ReferralSearch:
    text: str = ""  # a name (each word a part of the first or last name), a reference or an NHS number
    status: str = ""  # a registry code
    partner: str = ""  # a delivery partner's id
    received_from: date | None = None
    received_to: date | None = None


class SearchFields(NamedTuple):
    """The fields a people search box looks in: first and last name, reference, NHS number."""

    given_name: str
    family_name: str
    reference: str
    nhs_number: str


REFERRAL_SEARCH_FIELDS = SearchFields("person__given_name", "person__family_name", "reference", "person__nhs_number")


def text_search(text: str, fields: SearchFields) -> Q:
    """What a search box for people means, as a filter over `fields` (a referral's, or a case's
    through its referral): an NHS number (10 digits, spaces allowed), a reference (with or without
    "JU-", any case), or else every word a part of the first or last name."""
    digits = re.sub(r"\s", "", text)
    if digits.isdigit() and len(digits) == 10:
        return Q(**{fields.nhs_number: digits})
    match = Q()
    for word in text.split()[:5]:
        match &= Q(**{f"{fields.given_name}__icontains": word}) | Q(**{f"{fields.family_name}__icontains": word})
    upper = text.strip().upper()
    if _REFERENCE.match(upper):  # "Harriet" could be either: a reference or a name
        return match | Q(**{fields.reference: "JU-" + upper[-7:]})
    return match


def referral_search_page(*, actor: Membership, search: ReferralSearch, page: object, size: int = PAGE_SIZE) -> Page:
    """A page of the referrals a triage role may see (`_triage_scope`) matching `search`, newest
    first, each with its partner and referrer. One query (the page with its count)."""
    found = _triage_scope(actor).select_related(None).select_related("person", "referring_organisation")
    found = found.select_related("delivery_partner").only(*_SEARCH_COLUMNS)
    if search.text.strip():
        found = found.filter(text_search(search.text, REFERRAL_SEARCH_FIELDS))
    if search.status in statuses.REGISTRY:
        found = found.filter(status=search.status)
    if search.partner:
        try:
            found = found.filter(delivery_partner_id=uuid.UUID(search.partner))
        except ValueError:
            found = found.none()
    if search.received_from:
        found = found.filter(created_at__date__gte=search.received_from)
    if search.received_to:
        found = found.filter(created_at__date__lte=search.received_to)
    return paginate(found.order_by("-created_at", "-pk"), page, size=size)
