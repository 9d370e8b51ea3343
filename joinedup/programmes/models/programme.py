"""A programme (contract) as data: funders and shares, period, investment priority, targets by
year, the delivery partners contracted and their allocations, the tariff, unit costs, budgets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel

from .. import limits
from ..choices import (
    Beneficiary,
    ExpenseKind,
    ExpenseStatus,
    FunderKind,
    InvestmentPriority,
    Outcome,
    SavingBasis,
    SavingKind,
    TariffModel,
)


def money(**kwargs: Any) -> models.DecimalField:
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


def percent(**kwargs: Any) -> models.DecimalField:
    return models.DecimalField(max_digits=5, decimal_places=2, **kwargs)


class Programme(BaseModel):
    name = models.CharField(max_length=limits.NAME.max_length, unique=True)
    code = models.SlugField(max_length=limits.CODE.max_length, unique=True)
    lead_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    investment_priority = models.CharField(max_length=5, choices=InvestmentPriority.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    contract_value = money()

    class Meta:
        ordering = ["starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def months(self) -> int:
        return (self.ends_on.year - self.starts_on.year) * 12 + self.ends_on.month - self.starts_on.month + 1


class Funder(BaseModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="funders")
    name = models.CharField(max_length=limits.FUNDER.max_length)
    kind = models.CharField(max_length=10, choices=FunderKind.choices)
    share_percent = percent()

    class Meta:
        ordering = ["-share_percent", "name"]


class Target(BaseModel):
    """A year's targets (a calendar year inside the programme's period)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField()
    starts = models.PositiveIntegerField()
    job_entries = models.PositiveIntegerField()
    sustained_jobs = models.PositiveIntegerField()

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="programme_target_year_unique")]


class Contract(BaseModel):
    """A delivery partner contracted on the programme, with its allocation."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="contracts")
    partner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    allocated_starts = models.PositiveIntegerField()
    value = money()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "partner"], name="programme_contract_unique")]


class Tariff(BaseModel):
    """The payment model: outcome payments of a price per participant (shares in `TariffRule`),
    with or without a delivery fee (a share of each contract's value, paid in equal monthly parts)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="tariff")
    model = models.CharField(max_length=20, choices=TariffModel.choices)
    price_per_participant = money()
    delivery_fee_percent = percent(default=Decimal(0))


class TariffRule(BaseModel):
    """One outcome's payment: its share of the price and its definition."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="rules")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    share_percent = percent()
    definition = models.TextField(max_length=limits.DEFINITION.max_length)
    # Job entry: the fewest hours a week that count, and whether self-employment counts.
    min_hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    counts_self_employed = models.BooleanField(default=True)
    # Sustained: the in-work milestone (weeks after the job start) that proves it.
    sustained_weeks = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tariff", "outcome"], name="tariff_rule_outcome_unique")]

    def amount(self) -> Decimal:
        return (self.tariff.price_per_participant * self.share_percent / 100).quantize(Decimal("0.01"))


class UnitCost(BaseModel):
    """A labelled unit saving with its source and year, counted per job entry or sustained job
    (of everyone, or only of people on a health-related benefit), split by who gains."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="unit_costs")
    label = models.CharField(max_length=limits.LABEL.max_length)
    kind = models.CharField(max_length=10, choices=SavingKind.choices)
    basis = models.CharField(max_length=20, choices=SavingBasis.choices)
    health_benefit_only = models.BooleanField(default=True)
    amount = money()
    source = models.CharField(max_length=limits.SOURCE.max_length)
    year = models.PositiveSmallIntegerField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "label"]


class SavingShare(BaseModel):
    unit_cost = models.ForeignKey(UnitCost, on_delete=models.CASCADE, related_name="shares")
    beneficiary = models.CharField(max_length=20, choices=Beneficiary.choices)
    share_percent = percent()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit_cost", "beneficiary"], name="saving_share_unique")]


class Budget(BaseModel):
    """A partner's participant expenses and hardship budget on a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    partner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    amount = money()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "partner"], name="programme_budget_unique")]


class Expense(BaseModel):
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="expenses")
    participation = models.ForeignKey("programmes.Participation", on_delete=models.CASCADE, related_name="expenses")
    kind = models.CharField(max_length=20, choices=ExpenseKind.choices)
    amount = money()
    needed_on = models.DateField()
    note = models.TextField(max_length=limits.NOTE.max_length)
    status = models.CharField(max_length=20, choices=ExpenseStatus.choices, default=ExpenseStatus.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The form's one-time key: a retried or double-clicked request returns the first payment asked for.
    submission_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-needed_on", "-created_at"]
