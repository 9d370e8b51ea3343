"""Partnership performance figures. Aggregates only: no personal data leaves this module."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from joinedup.core.errors import NotPermitted
from joinedup.core.replica import replica_read
from joinedup.organisations.models import Membership, Organisation
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.outcomes.models import MonthlyTally

UNASSIGNED = "Not assigned to a partner (in triage or declined)"
UNASSIGNED_KEY = "unassigned"


@dataclass
class Figures:
    referrals: int = 0
    starts: int = 0  # enrolments on the programme
    converted: int = 0  # of the referrals received this month, how many have started
    job_starts: int = 0
    sustained_26: int = 0
    employers_engaged: int = 0  # employers a partner engaged in the month (once each)
    vacancies: int = 0  # vacancies opened, by the partner holding the employer
    put_forward: int = 0  # people put forward for vacancies
    vacancy_starts: int = 0  # job starts recorded from a vacancy

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
        self.employers_engaged += other.employers_engaged
        self.vacancies += other.vacancies
        self.put_forward += other.put_forward
        self.vacancy_starts += other.vacancy_starts


@dataclass
class PartnerFigures:
    partner: str
    key: str = UNASSIGNED_KEY  # the delivery partner's id, or UNASSIGNED_KEY
    months: dict[date, Figures] = field(default_factory=dict)
    total: Figures = field(default_factory=Figures)


@dataclass(frozen=True)
class Period:
    """Months from `start` to `end` inclusive (first days of months); None is open-ended."""

    code: str
    label: str
    start: date | None = None
    end: date | None = None


def _months_back(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def periods(*, today: date | None = None) -> list[Period]:
    """The periods the dashboard offers: the last 12 months (the default), this and last financial
    year (April to March), and all time."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    fy = today.year if today.month >= 4 else today.year - 1
    return [
        Period("12m", "Last 12 months", start=_months_back(this_month, 11)),
        Period("fy", f"This financial year (April {fy} to March {fy + 1})", start=date(fy, 4, 1)),
        Period(
            "lastfy",
            f"Last financial year (April {fy - 1} to March {fy})",
            start=date(fy - 1, 4, 1),
            end=date(fy, 3, 1),
        ),
        ALL_TIME,
    ]


def period_for(code: object, *, today: date | None = None) -> Period:
    """The period with this code; anything else (a link or bookmark gone wrong) is the default."""
    offered = periods(today=today)
    return next((p for p in offered if p.code == code), offered[0])


ALL_TIME = Period("all", "All time")


@dataclass
class Dashboard:
    partners: list[PartnerFigures]
    total: Figures
    months: list[date]
    period: Period = ALL_TIME

    def partner(self, key: object) -> PartnerFigures | None:
        return next((p for p in self.partners if p.key == key), None)

    @property
    def by_month(self) -> list[tuple[date, Figures]]:
        """The whole partnership's figures month by month, newest first."""
        cells: dict[date, Figures] = defaultdict(Figures)
        for pf in self.partners:
            for month, figures in pf.months.items():
                cells[month].add(figures)
        return sorted(cells.items(), reverse=True)


@replica_read
def dashboard(*, actor: Membership, period: Period | None = None) -> Dashboard:
    """Referrals, starts, conversion, job starts and 26-week sustained jobs by partner and month.

    Each measure is counted in the month it happened: referrals when received, starts when the
    person enrolled, job starts on the start date, sustained jobs when 26 weeks was reached.
    Conversion follows a month's referrals: the share of them that have started so far.
    Reads the monthly tallies (`joinedup.outcomes`), which the services keep as work is recorded:
    two queries whatever the size of the partnership. `period` limits the months (all by default).
    """
    if not has_perm(actor, Perm.DASHBOARD_VIEW):
        raise NotPermitted("You do not have permission to see the dashboard.")
    period = period or ALL_TIME
    cells: dict[tuple[str, date], Figures] = defaultdict(Figures)
    keys: dict[str, str] = {}
    rows = MonthlyTally.objects.filter(n__gt=0)
    if period.start:
        rows = rows.filter(month__gte=period.start)
    if period.end:
        rows = rows.filter(month__lte=period.end)
    tallies = list(rows.values_list("measure", "partner_key", "month", "n"))
    names = dict(Organisation.objects.filter(pk__in={key for _, key, _, _ in tallies if key}).values_list("pk", "name"))
    names = {str(pk): name for pk, name in names.items()}
    for measure, partner_key, month, n in tallies:
        partner = names.get(partner_key, UNASSIGNED) if partner_key else UNASSIGNED
        keys[partner] = partner_key if partner != UNASSIGNED else UNASSIGNED_KEY
        figures = cells[(partner, month)]
        setattr(figures, measure, getattr(figures, measure) + n)
    by_partner: dict[str, PartnerFigures] = {}
    total = Figures()
    for (partner, month), figures in cells.items():
        pf = by_partner.setdefault(partner, PartnerFigures(partner, keys[partner]))
        pf.months[month] = figures
        pf.total.add(figures)
        total.add(figures)
    partners = sorted(by_partner.values(), key=lambda p: (p.partner == UNASSIGNED, p.partner))
    for pf in partners:
        pf.months = dict(sorted(pf.months.items(), reverse=True))
    months = sorted({m for (_, m) in cells}, reverse=True)
    return Dashboard(partners=partners, total=total, months=months, period=period)
