"""Timeliness of referrals (read-only): overdue queues and each delivery partner's responsiveness.

Working days are Monday to Friday less England and Wales bank holidays (the `holidays` package).
Thresholds are settings: `TIMELINESS_TRIAGE_WORKING_DAYS` (received and not yet routed) and
`TIMELINESS_DECISION_WORKING_DAYS` (assigned to a partner and no decision since). Every selector
here runs a fixed number of queries whatever the number of referrals.

"Accepted" is the status the referrer is told as "Referral accepted" (`assigned`: the partner
accepted a referral routed to it, or triage assigned it directly); a decision is acceptance or a
decline — by the partner back to triage (`returned`, attributed to the partner that declined) or in
triage (`declined`).
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models import Case as DbCase
from django.db.models import DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from joinedup.cases.models import Case, Contact
from joinedup.core.errors import NotPermitted
from joinedup.core.replica import replica_read
from joinedup.organisations.models import Membership, Organisation
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.organisations.selectors import delivery_partners

from . import statuses
from .models import Referral, ReferralStatusChange

# The timeliness page shows partners' responsiveness to the referrals of the last 90 days: recent
# performance, and a page that does not grow with years of history (9.9 s at 500,000 people for
# all time; docs/benchmarks.md).
RESPONSIVENESS_WINDOW_DAYS = 90

ACCEPTED = statuses.ASSIGNED  # the partner accepted (or triage assigned it to them directly)
DECLINED = statuses.DECLINED  # declined and closed in triage
RETURNED = statuses.RETURNED  # the partner declined it back to triage, to be re-routed
AWAITING_TRIAGE = statuses.IN_TRIAGE  # waiting to be routed (again): received or returned
AWAITING_DECISION = statuses.ROUTED  # sent to a partner who has not accepted or declined


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if `end` is not after `start`)."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    count = weeks * 5  # every whole week holds five weekdays
    tail = start + timedelta(days=weeks * 7)
    count += sum((tail + timedelta(days=i)).weekday() < 5 for i in range(1, extra + 1))
    holidays_on_weekdays = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _bank_holidays(year)
        if start < day <= end and day.weekday() < 5
    )
    return count - holidays_on_weekdays


def overdue_cutoff(days: int, *, today: date) -> datetime:
    """The moment before which something is more than `days` working days old on `today`:
    the start of the latest day `start` with working_days_between(start, today) > days."""
    counted, day = 0, today
    while counted <= days:
        counted += is_working_day(day)
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@dataclass(frozen=True)
class OverdueReferral:
    referral: Referral
    since: datetime  # received (triage queue) or assigned (decision queue)
    working_days: int


@dataclass(frozen=True)
class OverdueQueues:
    untriaged: list[OverdueReferral]
    undecided: list[OverdueReferral]
    untriaged_total: int
    undecided_total: int
    triage_days: int
    decision_days: int


def overdue_queues(*, actor: Membership, today: date | None = None, limit: int = 200) -> OverdueQueues:
    """Referrals waiting too long: received and not routed; routed and no decision. Four queries.

    A programme manager sees the whole partnership; a partner manager the triage queue (as on the
    triage page) and only the referrals assigned to their own organisation.
    """
    if has_perm(actor, Perm.REFERRAL_TRIAGE_ALL):
        partner_scope = None
    elif has_perm(actor, Perm.REFERRAL_TRIAGE_ORG):
        partner_scope = actor.organisation_id
    else:
        raise NotPermitted("You do not have permission to see the overdue referrals.")
    today = today or timezone.localdate()
    triage_days = settings.TIMELINESS_TRIAGE_WORKING_DAYS
    decision_days = settings.TIMELINESS_DECISION_WORKING_DAYS
    base = Referral.objects.select_related("referring_organisation", "delivery_partner").only(
        "reference",
        "status",
        "created_at",
        "status_changed_at",
        "referring_organisation__name",
        "delivery_partner__name",
    )
    untriaged = base.filter(
        status__in=AWAITING_TRIAGE, created_at__lt=overdue_cutoff(triage_days, today=today)
    ).order_by("created_at")
    undecided = base.filter(
        status=AWAITING_DECISION, status_changed_at__lt=overdue_cutoff(decision_days, today=today)
    ).order_by("status_changed_at")
    if partner_scope is not None:
        undecided = undecided.filter(delivery_partner_id=partner_scope)

    def rows(qs, attr: str) -> list[OverdueReferral]:
        out = []
        for r in qs[:limit]:
            since = getattr(r, attr)
            out.append(OverdueReferral(r, since, working_days_between(timezone.localtime(since).date(), today)))
        return out

    return OverdueQueues(
        untriaged=rows(untriaged, "created_at"),
        undecided=rows(undecided, "status_changed_at"),
        untriaged_total=untriaged.count(),
        undecided_total=undecided.count(),
        triage_days=triage_days,
        decision_days=decision_days,
    )


@dataclass
class Responsiveness:
    """One delivery partner's (or one directory service's) handling of the referrals routed to it
    (days are calendar days). `organisation_id` is the service's id in `responsiveness_by_service`."""

    organisation_id: uuid.UUID
    routed: int = 0
    accepted: int = 0
    declined: int = 0
    days_to_accept: list[float] = field(default_factory=list, repr=False)
    days_to_decision: list[float] = field(default_factory=list, repr=False)
    days_to_first_contact: list[int] = field(default_factory=list, repr=False)

    @property
    def decided(self) -> int:
        return self.accepted + self.declined

    @property
    def acceptance_percent(self) -> int | None:
        return None if self.acceptance_rate is None else round(100 * self.acceptance_rate)

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted as a share of decided (None until something is decided)."""
        return self.accepted / self.decided if self.decided else None

    @property
    def median_days_to_accept(self) -> float | None:
        return _median(self.days_to_accept)

    @property
    def median_days_to_decision(self) -> float | None:
        return _median(self.days_to_decision)

    @property
    def median_days_to_first_contact(self) -> float | None:
        return _median(self.days_to_first_contact)


def _median(values: list) -> float | None:
    return round(statistics.median(values), 1) if values else None


def responsiveness_by_partner(
    *, organisation_ids: Iterable[uuid.UUID], since: date | None = None
) -> dict[uuid.UUID, Responsiveness]:
    """Each delivery partner's responsiveness to the referrals routed to it, received on or after
    `since` (all time if None): how many, accepted, declined, acceptance rate, median days from
    referral to acceptance and to decision, and to the first contact with the person. Two queries.

    No personal data, so it can be shown beside a service in the directory; the caller decides who
    may see it. Partners with nothing routed come back with zeros.
    """
    ids = list(dict.fromkeys(organisation_ids))
    result = {pk: Responsiveness(pk) for pk in ids}
    if not ids:
        return result
    # One row per decision a partner made: an acceptance of a referral it holds, a decline back to
    # triage (`returned`, when the partner no longer holds it: attributed to who declined), or a
    # triage decline of a referral it held. The database subtracts, so one duration comes back a row.
    decisions = (
        ReferralStatusChange.objects.filter(
            Q(to_status__in=[ACCEPTED, DECLINED], referral__delivery_partner_id__in=ids)
            | Q(to_status=RETURNED, by_organisation_id__in=ids)
        )
        .annotate(
            partner=DbCase(
                When(to_status=RETURNED, then=F("by_organisation_id")), default=F("referral__delivery_partner_id")
            ),
            wait=ExpressionWrapper(F("at") - F("referral__created_at"), output_field=DurationField()),
        )
        .order_by()
    )
    # One row per case: the referral's day and the first contact's (the (case, happened_on) index).
    first_contact = (
        Contact.objects.by_the_service().filter(case=OuterRef("pk")).order_by("happened_on").values("happened_on")[:1]
    )
    cases = (
        Case.objects.filter(referral__delivery_partner_id__in=ids)
        .annotate(first=Subquery(first_contact), referred_on=TruncDate("referral__created_at"))
        .filter(first__isnull=False)
    )
    if since is not None:
        start = timezone.make_aware(datetime.combine(since, time.min))
        decisions = decisions.filter(referral__created_at__gte=start)
        cases = cases.filter(referral__created_at__gte=start)

    _count_decisions(decisions.values_list("referral_id", "partner", "to_status", "wait"), result)
    for partner_id, referred_on, contact_on in cases.values_list(
        "referral__delivery_partner_id", "referred_on", "first"
    ):
        result[partner_id].days_to_first_contact.append((contact_on - referred_on).days)
    return result


def _count_decisions(rows: Iterable[tuple], result: dict[uuid.UUID, Responsiveness]) -> None:
    """Rows of (referral, partner or service, to status, wait since the referral was made): count
    each referral once per partner or service, by its first acceptance and first decline."""
    day = 86400
    first: dict[tuple, dict[str, timedelta]] = {}
    for referral_id, key, to_status, wait in rows:
        kind = "accept" if to_status == ACCEPTED else "decline"
        seen = first.setdefault((referral_id, key), {})
        if kind not in seen or wait < seen[kind]:
            seen[kind] = wait
    for (_referral_id, key), seen in first.items():
        if key not in result:
            continue
        stats = result[key]
        stats.routed += 1
        to_accept, to_decline = seen.get("accept"), seen.get("decline")
        if to_decline is not None and (to_accept is None or to_decline >= to_accept):
            stats.declined += 1  # declined, whether or not it had been accepted first
        else:
            stats.accepted += 1
            stats.days_to_accept.append(round(to_accept.total_seconds() / day, 2))
        first_decision = min(t for t in (to_accept, to_decline) if t is not None)
        stats.days_to_decision.append(round(first_decision.total_seconds() / day, 2))


def responsiveness_by_service(*, service_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Responsiveness]:
    """Each directory service's responsiveness: the delivery partners' decisions on referrals the
    triage officer routed for that service (accepted, declined back to triage or in triage), with the
    median days from referral to acceptance and to decision. One query; no personal data, so it is
    shown on the public service page. Services with nothing decided come back with zeros."""
    ids = list(dict.fromkeys(service_ids))
    result = {pk: Responsiveness(pk) for pk in ids}
    if not ids:
        return result
    rows = (
        ReferralStatusChange.objects.filter(service_id__in=ids, to_status__in=[ACCEPTED, RETURNED, DECLINED])
        .annotate(wait=ExpressionWrapper(F("at") - F("referral__created_at"), output_field=DurationField()))
        .order_by()
        .values_list("referral_id", "service_id", "to_status", "wait")
    )
    _count_decisions(rows, result)
    return result


@dataclass(frozen=True)
class ReferralTimeliness:
    days_to_decision: float | None  # referral to first acceptance or decline (calendar days)
    days_to_first_contact: int | None  # referral to the first contact recorded on its case
    waiting_working_days: int | None  # still waiting for triage or a decision: working days so far
    overdue: bool


def referral_timeliness(*, referral: Referral, today: date | None = None) -> ReferralTimeliness:
    """One referral's timeliness, for a page that already holds the referral. Two queries."""
    today = today or timezone.localdate()
    decided = (
        referral.status_changes.filter(to_status__in=[ACCEPTED, DECLINED, RETURNED])
        .order_by("at")
        .values_list("at", flat=True)
    ).first()
    first_contact = (
        Contact.objects.by_the_service()
        .filter(case__referral=referral)
        .order_by("happened_on")
        .values_list("happened_on", flat=True)
    ).first()
    waiting, overdue = None, False
    if referral.status in (*AWAITING_TRIAGE, AWAITING_DECISION):
        in_triage = referral.status in AWAITING_TRIAGE
        since = referral.created_at if in_triage else referral.status_changed_at
        limit = settings.TIMELINESS_TRIAGE_WORKING_DAYS if in_triage else settings.TIMELINESS_DECISION_WORKING_DAYS
        waiting = working_days_between(timezone.localtime(since or referral.created_at).date(), today)
        overdue = waiting > limit
    received_on = timezone.localtime(referral.created_at).date()
    return ReferralTimeliness(
        days_to_decision=round((decided - referral.created_at).total_seconds() / 86400, 2) if decided else None,
        days_to_first_contact=(first_contact - received_on).days if first_contact else None,
        waiting_working_days=waiting,
        overdue=overdue,
    )


@replica_read
def responsiveness_for(
    *, actor: Membership, today: date | None = None
) -> tuple[date, list[tuple[Organisation, Responsiveness]]]:
    """What the timeliness page shows of partners' responsiveness: every delivery partner for the
    programme (`referral.triage_all`), only the actor's own organisation for a partner manager,
    over the referrals received in the last RESPONSIVENESS_WINDOW_DAYS. Returns the window's first
    day and (partner, figures) by partner name. Three queries."""
    if has_perm(actor, Perm.REFERRAL_TRIAGE_ALL):
        partners = list(delivery_partners())
    elif has_perm(actor, Perm.REFERRAL_TRIAGE_ORG):
        partners = list(delivery_partners().filter(pk=actor.organisation_id))
    else:
        raise NotPermitted("You do not have permission to see partners' responsiveness.")
    since = (today or timezone.localdate()) - timedelta(days=RESPONSIVENESS_WINDOW_DAYS)
    figures = responsiveness_by_partner(organisation_ids=[p.pk for p in partners], since=since)
    return since, [(p, figures[p.pk]) for p in partners]
