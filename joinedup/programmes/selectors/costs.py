"""Costs and savings per programme and partner: cost per participant, per job entry and per
sustained job from contract values and spend; fiscal and economic savings from the programme's
labelled unit savings, split by who gains."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from joinedup.organisations.permissions import Membership, Perm

from ..checks import require
from ..choices import Beneficiary, ClaimStatus, ExpenseStatus, SavingBasis
from ..cohorts import HEALTH_BENEFITS
from ..defaults import COST_BENCHMARK, COST_BENCHMARK_LABEL, COST_BENCHMARK_SOURCE
from ..models import Claim, Expense, Participation, Programme, UnitCost

PENNY = Decimal("0.01")


def _per(total: Decimal, n: int) -> Decimal | None:
    return (total / n).quantize(PENNY) if n else None


@dataclass
class Saving:
    unit: UnitCost
    count: int  # the job entries or sustained jobs it is counted on
    total: Decimal
    by_beneficiary: dict[str, Decimal]


@dataclass
class CostLine:
    """One programme or partner: what it cost and what it saved."""

    name: str
    contract_value: Decimal
    spend: Decimal  # claims approved or paid, and expenses approved
    participants: int
    job_entries: int
    sustained: int
    savings: list[Saving] = field(default_factory=list)

    @property
    def per_participant(self) -> Decimal | None:
        return _per(self.spend, self.participants)

    @property
    def per_job_entry(self) -> Decimal | None:
        return _per(self.spend, self.job_entries)

    @property
    def per_sustained(self) -> Decimal | None:
        return _per(self.spend, self.sustained)

    def saved(self, kind: str) -> Decimal:
        return sum((s.total for s in self.savings if s.unit.kind == kind), Decimal(0))

    def by_beneficiary(self) -> dict[str, Decimal]:
        out = dict.fromkeys(Beneficiary.values, Decimal(0))
        for s in self.savings:
            for b, amount in s.by_beneficiary.items():
                out[b] += amount
        return out


@dataclass(frozen=True)
class BudgetLine:
    partner: str
    budget: Decimal
    approved: Decimal
    waiting: Decimal

    @property
    def left(self) -> Decimal:
        return self.budget - self.approved - self.waiting


@dataclass
class Costs:
    programme: Programme
    total: CostLine
    partners: list[CostLine]
    units: list[UnitCost]
    budgets: list[BudgetLine]
    benchmark: tuple[str, Decimal, str] = (COST_BENCHMARK_LABEL, COST_BENCHMARK, COST_BENCHMARK_SOURCE)


def _savings(units: list[UnitCost], counts: dict[str, int]) -> list[Saving]:
    out = []
    for unit in units:
        n = counts[f"{unit.basis}{'_health' if unit.health_benefit_only else ''}"]
        total = (unit.amount * n).quantize(PENNY)
        shares = {s.beneficiary: (total * s.share_percent / 100).quantize(PENNY) for s in unit.shares.all()}
        out.append(Saving(unit, n, total, shares))
    return out


def _line(name: str, value: Decimal, found: dict[str, int], spend: Decimal, units: list[UnitCost]) -> CostLine:
    line = CostLine(name, value, spend, found["participants"], found["job_entry"], found["sustained"])
    line.savings = _savings(units, found)
    return line


def costs(*, actor: Membership, programme: Programme) -> Costs:
    """Each partner's line, and the programme's total as the sum of the same lines: the spend and
    the participants, job entries and sustained jobs it is divided by come from the same partners
    (every partner contracted, or with participants, claims or expenses on the programme)."""
    require(actor, Perm.PROGRAMME_VIEW)
    units = list(programme.unit_costs.filter(active=True).prefetch_related("shares"))
    health = Q(benefit__in=sorted(HEALTH_BENEFITS))
    grouped = (
        Participation.objects.filter(programme=programme)
        .values("partner_id", "partner__name")
        .annotate(
            participants=Count("id"),
            **{SavingBasis.JOB_ENTRY.value: Count("id", filter=Q(first_job_on__isnull=False))},
            **{SavingBasis.SUSTAINED.value: Count("id", filter=Q(sustained_on__isnull=False))},
            job_entry_health=Count("id", filter=Q(first_job_on__isnull=False) & health),
            sustained_health=Count("id", filter=Q(sustained_on__isnull=False) & health),
        )
        .order_by()
    )
    names: dict[Any, str] = {}
    counts: dict[Any, dict[str, int]] = {}
    for row in grouped:
        names[row["partner_id"]] = row["partner__name"]
        counts[row["partner_id"]] = {k: int(str(v)) for k, v in row.items() if k not in ("partner_id", "partner__name")}
    claimed: dict[Any, Decimal] = {}
    for pid, name, amount in (
        Claim.objects.filter(programme=programme, status__in=[ClaimStatus.APPROVED, ClaimStatus.PAID])
        .values_list("partner_id", "partner__name")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        names[pid], claimed[pid] = name, amount
    expenses: dict[Any, Decimal] = {}
    for pid, name, amount in (
        Expense.objects.filter(budget__programme=programme, status=ExpenseStatus.APPROVED)
        .values_list("budget__partner_id", "budget__partner__name")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        names[pid], expenses[pid] = name, amount
    values: dict[Any, Decimal] = {}
    for contract in programme.contracts.select_related("partner"):
        names[contract.partner_id], values[contract.partner_id] = contract.partner.name, contract.value
    empty = dict.fromkeys(("participants", "job_entry", "sustained", "job_entry_health", "sustained_health"), 0)
    partners = []
    for pid in sorted(names, key=lambda k: names[k]):
        spend = (claimed.get(pid) or Decimal(0)) + (expenses.get(pid) or Decimal(0))
        partners.append(_line(names[pid], values.get(pid, Decimal(0)), counts.get(pid, empty), spend, units))
    summed = {k: sum(counts.get(pid, empty)[k] for pid in names) for k in empty}
    spend = sum((p.spend for p in partners), Decimal(0))
    total = _line(programme.name, programme.contract_value, summed, spend, units)
    return Costs(programme, total, partners, units, _budgets(programme))


def _budgets(programme: Programme) -> list[BudgetLine]:
    """Each partner's expenses budget against what is approved and what is waiting for approval
    (one query for every budget)."""
    found = (
        programme.budgets.select_related("partner")
        .annotate(
            approved_sum=Sum("expenses__amount", filter=Q(expenses__status=ExpenseStatus.APPROVED)),
            waiting_sum=Sum("expenses__amount", filter=Q(expenses__status=ExpenseStatus.REQUESTED)),
        )
        .order_by("partner__name")
    )
    return [
        BudgetLine(b.partner.name, b.amount, b.approved_sum or Decimal(0), b.waiting_sum or Decimal(0)) for b in found
    ]
