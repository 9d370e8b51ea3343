"""Partnership performance figures. Aggregates only: no personal data leaves this module."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from joinedup.core.errors import NotPermitted
from joinedup.organisations.models import Membership, Organisation
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.outcomes.models import MonthlyTally

UNASSIGNED = "Not assigned to a partner (in triage or declined)"


@dataclass
class Figures:
    referrals: int = 0
    starts: int = 0  # enrolments on the programme
    converted: int = 0  # of the referrals received this month, how many have started
    job_starts: int = 0
    sustained_26: int = 0

    @property
    def conversion(self) -> float | None:
        """Referral-to-start conversion for the month's referrals (a cohort measure)."""
        return self.converted / self.referrals if self.referrals else None

    @property
    def conversion_percent(self) -> int | None:
        return None if self.conversion is None else round(100 * self.conversion)

    def add(self, other: Figures) -> None:
        self.referrals += other.referrals
        self.starts += other.starts
        self.converted += other.converted
        self.job_starts += other.job_starts
        self.sustained_26 += other.sustained_26


@dataclass
class PartnerFigures:
    partner: str
    months: dict[date, Figures] = field(default_factory=dict)
    total: Figures = field(default_factory=Figures)


@dataclass
class Dashboard:
    partners: list[PartnerFigures]
    total: Figures
    months: list[date]


def dashboard(*, actor: Membership) -> Dashboard:
    """Referrals, starts, conversion, job starts and 26-week sustained jobs by partner and month.

    Each measure is counted in the month it happened: referrals when received, starts when the
    person enrolled, job starts on the start date, sustained jobs when 26 weeks was reached.
    Conversion follows a month's referrals: the share of them that have started so far.
    Reads the monthly tallies (`joinedup.outcomes`), which the services keep as work is recorded:
    two queries whatever the size of the partnership.
    """
    if not has_perm(actor, Perm.DASHBOARD_VIEW):
        raise NotPermitted("You do not have permission to see the dashboard.")
    cells: dict[tuple[str, date], Figures] = defaultdict(Figures)
    tallies = list(MonthlyTally.objects.filter(n__gt=0).values_list("measure", "partner_key", "month", "n"))
    names = dict(Organisation.objects.filter(pk__in={key for _, key, _, _ in tallies if key}).values_list("pk", "name"))
    names = {str(pk): name for pk, name in names.items()}
    for measure, partner_key, month, n in tallies:
        figures = cells[(names.get(partner_key, UNASSIGNED) if partner_key else UNASSIGNED, month)]
        setattr(figures, measure, getattr(figures, measure) + n)
    by_partner: dict[str, PartnerFigures] = {}
    total = Figures()
    for (partner, month), figures in cells.items():
        pf = by_partner.setdefault(partner, PartnerFigures(partner))
        pf.months[month] = figures
        pf.total.add(figures)
        total.add(figures)
    partners = sorted(by_partner.values(), key=lambda p: (p.partner == UNASSIGNED, p.partner))
    for pf in partners:
        pf.months = dict(sorted(pf.months.items(), reverse=True))
    months = sorted({m for (_, m) in cells}, reverse=True)
    return Dashboard(partners=partners, total=total, months=months)
