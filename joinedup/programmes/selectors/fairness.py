"""Creaming and parking (outcome rates by distance from the labour market, per partner, with flags)
and the IPS fidelity items the case data can answer, scored per partner with their evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Count, F, Q
from django.utils import timezone

from joinedup.cases import selectors as case_selectors
from joinedup.organisations.permissions import Membership, Perm
from joinedup.referrals import facts as referral_facts

from ..checks import require
from ..choices import DistanceBand
from ..models import Participation, Programme

STALLED_AFTER_WEEKS = 6  # no contact for this long is stalled
NEAREST_SKEW_POINTS = 15  # a partner's share of starts nearest the labour market this far above the programme's
TREATMENT_ROUTES = ("talking_therapies", "community_mental_health")
READINESS_REASONS = ("needs_other_support",)  # a referral handed back as not ready (IPS: zero exclusion)
CASELOAD_LIMIT = 20  # IPS: no more than 20 people per employment specialist


@dataclass
class Band:
    band: str
    label: str
    starts: int
    job_entries: int
    sustained: int
    stalled: int
    unreviewed: int = 0  # on support with the plan's review missed (see `creaming_and_parking`)

    @property
    def job_entry_rate(self) -> int | None:
        return round(100 * self.job_entries / self.starts) if self.starts else None

    @property
    def stalled_rate(self) -> int | None:
        return round(100 * self.stalled / self.starts) if self.starts else None

    @property
    def unreviewed_rate(self) -> int | None:
        return round(100 * self.unreviewed / self.starts) if self.starts else None


@dataclass
class PartnerFairness:
    partner_id: UUID
    name: str
    bands: list[Band]
    flags: list[str] = field(default_factory=list)

    @property
    def starts(self) -> int:
        return sum(b.starts for b in self.bands)

    def share(self, band: str) -> int:
        found = next(b for b in self.bands if b.band == band)
        return round(100 * found.starts / self.starts) if self.starts else 0


def creaming_and_parking(
    *, actor: Membership, programme: Programme, today: date | None = None
) -> list[PartnerFairness]:
    require(actor, Perm.PROGRAMME_VIEW)
    today = today or timezone.localdate()
    quiet = today - timedelta(weeks=STALLED_AFTER_WEEKS)
    open_ = Q(left_on__isnull=True)
    stalled = open_ & (Q(last_contact_on__lt=quiet) | Q(last_contact_on__isnull=True, started_on__lt=quiet))
    # No plan review: on support, and the case's next plan review has passed, or none was set in
    # the first STALLED_AFTER_WEEKS (read from the case: the adviser sets the next review at each).
    unreviewed = open_ & Q(case_id__in=case_selectors.plan_review_missed_case_ids(today=today, enrolled_before=quiet))
    rows = (
        Participation.objects.filter(programme=programme)
        .exclude(distance="")
        .values("partner_id", "partner__name", "distance")
        .annotate(
            starts=Count("id"),
            jobs=Count("id", filter=Q(first_job_on__isnull=False)),
            sustained=Count("id", filter=Q(sustained_on__isnull=False)),
            stalled=Count("id", filter=stalled),
            unreviewed=Count("id", filter=unreviewed),
        )
        .order_by("partner__name")
    )
    partners: dict[UUID, PartnerFairness] = {}
    for row in rows:
        p = partners.setdefault(row["partner_id"], PartnerFairness(row["partner_id"], row["partner__name"], _empty()))
        band = next(b for b in p.bands if b.band == row["distance"])
        band.starts, band.job_entries = row["starts"], row["jobs"]
        band.sustained, band.stalled, band.unreviewed = row["sustained"], row["stalled"], row["unreviewed"]
    _flag(list(partners.values()))
    return list(partners.values())


def _empty() -> list[Band]:
    return [Band(code, label, 0, 0, 0, 0) for code, label in DistanceBand.choices]


def _flag(partners: list[PartnerFairness]) -> None:
    total = sum(p.starts for p in partners)
    near = sum(b.starts for p in partners for b in p.bands if b.band == DistanceBand.NEAR)
    programme_share = round(100 * near / total) if total else 0
    for p in partners:
        if p.share(DistanceBand.NEAR) >= programme_share + NEAREST_SKEW_POINTS:
            p.flags.append(
                f"Starts skew to those nearest the labour market: {p.share(DistanceBand.NEAR)}% of its starts, "
                f"against {programme_share}% across the programme"
            )
        far = next(b for b in p.bands if b.band == DistanceBand.FAR)
        near_band = next(b for b in p.bands if b.band == DistanceBand.NEAR)
        if far.stalled and (far.stalled_rate or 0) > (near_band.stalled_rate or 0):
            p.flags.append(
                f"Those furthest from the labour market stall: {far.stalled} of {far.starts} "
                f"({far.stalled_rate}%) have had no contact for {STALLED_AFTER_WEEKS} weeks, against "
                f"{near_band.stalled_rate or 0}% of those nearest"
            )
        if far.unreviewed and (far.unreviewed_rate or 0) > (near_band.unreviewed_rate or 0):
            p.flags.append(
                f"Those furthest from the labour market have no plan review: {far.unreviewed} of {far.starts} "
                f"({far.unreviewed_rate}%) are past their review date or have had none set in "
                f"{STALLED_AFTER_WEEKS} weeks, against {near_band.unreviewed_rate or 0}% of those nearest"
            )


@dataclass(frozen=True)
class FidelityItem:
    name: str
    score: int  # 1 to 5, as the IPS fidelity scale scores each item
    evidence: str


@dataclass
class PartnerFidelity:
    partner_id: UUID
    name: str
    items: list[FidelityItem]

    @property
    def total(self) -> int:
        return sum(i.score for i in self.items)


def _score_share(share: float) -> int:
    """A share (0 to 1) on the scale's five points: 80% or more is 5 ... under 20% is 1."""
    return 1 + min(4, int(share * 5))


def _score_caseload(per_specialist: float) -> int:
    for limit, score in ((20, 5), (30, 4), (40, 3), (50, 2)):
        if per_specialist <= limit:
            return score
    return 1


def _share(n: int, of: int) -> float:
    return n / of if of else 0.0


def ips_fidelity(*, actor: Membership, programme: Programme) -> list[PartnerFidelity]:
    require(actor, Perm.PROGRAMME_VIEW)
    rows = (
        Participation.objects.filter(programme=programme)
        .values("partner_id", "partner__name")
        .annotate(
            people=Count("id"),
            open=Count("id", filter=Q(left_on__isnull=True)),
            specialists=Count("case__adviser_id", filter=Q(left_on__isnull=True), distinct=True),
            contacted=Count("id", filter=Q(first_employer_contact_on__isnull=False)),
            rapid=Count("id", filter=Q(first_employer_contact_on__lte=F("started_on") + timedelta(days=30))),
            sustained=Count("id", filter=Q(sustained_on__isnull=False)),
            supported_on=Count("id", filter=Q(sustained_on__isnull=False, in_work_support_on__gt=F("sustained_on"))),
            treatment=Count("id", filter=Q(route__in=TREATMENT_ROUTES)),
            better_off=Count("id", filter=Q(case_id__in=case_selectors.better_off_case_ids())),
        )
        .order_by("partner__name")
    )
    declines = referral_facts.declines_by_partner(reason_codes=READINESS_REASONS)
    return [_fidelity(dict(row), declines.get(row["partner_id"], 0)) for row in rows]


def _fidelity(row: dict[str, Any], declined: int) -> PartnerFidelity:
    people, specialists = row["people"], row["specialists"] or 1
    per = row["open"] / specialists
    better_off = row["better_off"]
    items = [
        FidelityItem(
            "Caseload size",
            _score_caseload(per),
            f"{row['open']} people on support with {row['specialists']} employment specialists: "
            f"{per:.0f} each (IPS: {CASELOAD_LIMIT} or fewer)",
        ),
        FidelityItem(
            "Rapid job search",
            _score_share(_share(row["rapid"], people)),
            f"{row['rapid']} of {people} had a first employer contact within a month of starting "
            f"({row['contacted']} have had one at all)",
        ),
        FidelityItem(
            "Time-unlimited in-work support",
            _score_share(_share(row["supported_on"], row["sustained"])),
            f"{row['supported_on']} of {row['sustained']} in work 26 weeks had in-work support after that",
        ),
        FidelityItem(
            "Zero exclusion",
            5 if declined == 0 else _score_share(1 - _share(declined, people + declined)),
            f"{declined} referrals handed back as needing other support first (not ready for work)",
        ),
        FidelityItem(
            "Benefits counselling",
            _score_share(_share(better_off, people)),
            f"{better_off} of {people} have had a better-off-in-work calculation",
        ),
        FidelityItem(
            "Integration with the treatment team",
            _score_share(_share(row["treatment"], people)),
            f"{row['treatment']} of {people} were referred by NHS Talking Therapies or a community mental health team",
        ),
    ]
    return PartnerFidelity(row["partner_id"], row["partner__name"], items)
