"""Setting up a programme: the programme and its funders, yearly targets, contracts, the tariff and
its rules, unit savings and their shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db import IntegrityError, transaction

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.organisations.permissions import Membership, Perm
from joinedup.organisations.selectors import delivery_partners

from .. import limits
from ..checks import audit, require, shares_total
from ..choices import FunderKind, InvestmentPriority, Outcome, TariffModel
from ..defaults import DEFAULT_SAVINGS
from ..models import Contract, Funder, Programme, SavingShare, Target, Tariff, TariffRule, UnitCost


@dataclass(frozen=True)
class FunderInput:
    name: str
    kind: str
    share_percent: Decimal


@dataclass(frozen=True)
class RuleInput:
    outcome: str
    share_percent: Decimal
    definition: str
    min_hours_per_week: Decimal | None = None
    counts_self_employed: bool = True
    sustained_weeks: int | None = None


@dataclass(frozen=True)
class ShareInput:
    beneficiary: str
    share_percent: Decimal


def _text(value: str, limit: limits.Limit, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"Enter {limit.noun}", field=field)
    if len(value) > limit.max_length:
        raise DomainError(limit.message, field=field)
    return value


def _check_funders(funders: list[FunderInput]) -> None:
    if not funders:
        raise DomainError("Add at least one funder", field="funders")
    for f in funders:
        _text(f.name, limits.FUNDER, "funders")
        if f.kind not in FunderKind.values:
            raise DomainError("Choose what kind of funding each funder gives", field="funders")
        if f.share_percent <= 0:
            raise DomainError("Each funder's share must be more than 0%", field="funders")
    shares_total([f.share_percent for f in funders], "funders' shares", "funders")


def programme_create(
    *,
    actor: Membership,
    name: str,
    code: str,
    investment_priority: str,
    starts_on: date,
    ends_on: date,
    contract_value: Decimal,
    funders: list[FunderInput],
) -> Programme:
    require(actor, Perm.PROGRAMME_MANAGE)
    name = _text(name, limits.NAME, "name")
    code = _text(code, limits.CODE, "code").lower()
    if investment_priority not in InvestmentPriority.values:
        raise DomainError("Choose the investment priority", field="investment_priority")
    if ends_on <= starts_on:
        raise DomainError("The programme must end after it starts", field="ends_on")
    if contract_value <= 0:
        raise DomainError("The contract value must be more than £0", field="contract_value")
    _check_funders(funders)
    if Programme.objects.filter(name__iexact=name).exists() or Programme.objects.filter(code=code).exists():
        raise DomainError("A programme with that name or code already exists", field="name")
    with transaction.atomic():
        programme = Programme.objects.create(
            name=name,
            code=code,
            lead_organisation_id=actor.organisation_id,
            investment_priority=investment_priority,
            starts_on=starts_on,
            ends_on=ends_on,
            contract_value=contract_value,
            created_by=actor.user,
        )
        Funder.objects.bulk_create(
            Funder(programme=programme, name=f.name.strip(), kind=f.kind, share_percent=f.share_percent)
            for f in funders
        )
        for saving in DEFAULT_SAVINGS:
            unit = UnitCost.objects.create(
                programme=programme,
                label=saving.label,
                kind=saving.kind,
                basis=saving.basis,
                amount=saving.amount,
                source=saving.source,
                year=saving.year,
                active=saving.active,
            )
            SavingShare.objects.bulk_create(
                SavingShare(unit_cost=unit, beneficiary=b, share_percent=s) for b, s in saving.shares.items()
            )
        audit(actor, AuditVerb.CREATED, programme, name=name, funders=len(funders))
    return programme


def target_set(
    *, actor: Membership, programme: Programme, year: int, starts: int, job_entries: int, sustained_jobs: int
) -> Target:
    require(actor, Perm.PROGRAMME_MANAGE)
    if not programme.starts_on.year <= year <= programme.ends_on.year:
        raise DomainError(
            f"{year} is outside the programme, which runs from {programme.starts_on:%-d %B %Y} "
            f"to {programme.ends_on:%-d %B %Y}",
            field="year",
        )
    if min(starts, job_entries, sustained_jobs) < 0:
        raise DomainError("Targets cannot be negative", field="starts")
    if sustained_jobs > job_entries or job_entries > starts:
        raise DomainError("Sustained jobs cannot exceed job entries, nor job entries starts", field="sustained_jobs")
    with transaction.atomic():
        target, _ = Target.objects.update_or_create(
            programme=programme,
            year=year,
            defaults={"starts": starts, "job_entries": job_entries, "sustained_jobs": sustained_jobs},
        )
        audit(actor, AuditVerb.UPDATED, target, year=year, starts=starts, job_entries=job_entries)
    return target


def contract_set(
    *, actor: Membership, programme: Programme, partner_id: UUID, allocated_starts: int, value: Decimal
) -> Contract:
    require(actor, Perm.PROGRAMME_MANAGE)
    if not delivery_partners().filter(pk=partner_id).exists():
        raise DomainError("Choose a delivery partner", field="partner")
    if allocated_starts <= 0 or value <= 0:
        raise DomainError("The allocation and the contract value must be more than 0", field="allocated_starts")
    with transaction.atomic():
        contract, _ = Contract.objects.update_or_create(
            programme=programme, partner_id=partner_id, defaults={"allocated_starts": allocated_starts, "value": value}
        )
        others = Contract.objects.filter(programme=programme).exclude(pk=contract.pk)
        if sum(c.value for c in others) + value > programme.contract_value:
            raise DomainError("The partners' contracts would be worth more than the programme", field="value")
        audit(actor, AuditVerb.UPDATED, contract, partner=partner_id, allocated_starts=allocated_starts, value=value)
    return contract


def _check_rule(rule: RuleInput) -> None:
    if rule.outcome not in Outcome.values:
        raise DomainError("Choose the outcome each payment is for", field="rules")
    _text(rule.definition, limits.DEFINITION, "rules")
    if rule.share_percent < 0:
        raise DomainError("A payment's share cannot be negative", field="rules")
    if rule.outcome == Outcome.SUSTAINED and rule.sustained_weeks not in (13, 26):
        raise DomainError("Say whether sustained employment is measured at 13 or 26 weeks in work", field="rules")


def tariff_set(
    *,
    actor: Membership,
    programme: Programme,
    model: str,
    price_per_participant: Decimal,
    delivery_fee_percent: Decimal,
    rules: list[RuleInput],
) -> Tariff:
    require(actor, Perm.PROGRAMME_MANAGE)
    if model not in TariffModel.values:
        raise DomainError("Choose the payment model", field="model")
    if price_per_participant <= 0:
        raise DomainError("The price per participant must be more than £0", field="price_per_participant")
    fee = delivery_fee_percent if model == TariffModel.FEE_AND_OUTCOMES else Decimal(0)
    if model == TariffModel.FEE_AND_OUTCOMES and not 0 < fee < 100:
        raise DomainError("The delivery fee must be between 0% and 100% of the contract", field="delivery_fee_percent")
    if len({r.outcome for r in rules}) != len(rules) or not rules:
        raise DomainError("Give each outcome's payment once", field="rules")
    for rule in rules:
        _check_rule(rule)
    shares_total([r.share_percent for r in rules], "outcome payments' shares", "rules")
    with transaction.atomic():
        tariff, _ = Tariff.objects.update_or_create(
            programme=programme,
            defaults={"model": model, "price_per_participant": price_per_participant, "delivery_fee_percent": fee},
        )
        TariffRule.objects.filter(tariff=tariff).delete()
        try:
            TariffRule.objects.bulk_create(
                TariffRule(
                    tariff=tariff,
                    outcome=r.outcome,
                    share_percent=r.share_percent,
                    definition=r.definition.strip(),
                    min_hours_per_week=r.min_hours_per_week,
                    counts_self_employed=r.counts_self_employed,
                    sustained_weeks=r.sustained_weeks,
                )
                for r in rules
            )
        except IntegrityError as exc:  # pragma: no cover - the outcomes were checked unique above
            raise DomainError("Give each outcome's payment once", field="rules") from exc
        audit(
            actor,
            AuditVerb.UPDATED,
            tariff,
            model=model,
            rules=",".join(f"{r.outcome}:{r.share_percent}" for r in rules),
        )
    return tariff


def unit_cost_set(
    *, actor: Membership, unit_cost: UnitCost, amount: Decimal, active: bool, shares: list[ShareInput]
) -> UnitCost:
    require(actor, Perm.PROGRAMME_MANAGE)
    if amount < 0:
        raise DomainError("The amount cannot be negative", field="amount")
    if any(s.share_percent < 0 for s in shares):
        raise DomainError("A share cannot be negative", field="shares")
    shares = [s for s in shares if s.share_percent > 0]
    shares_total([s.share_percent for s in shares], "shares of who gains", "shares")
    with transaction.atomic():
        unit_cost.amount, unit_cost.active = amount, active
        unit_cost.save(update_fields=["amount", "active", "updated_at"])
        SavingShare.objects.filter(unit_cost=unit_cost).delete()
        SavingShare.objects.bulk_create(
            SavingShare(unit_cost=unit_cost, beneficiary=s.beneficiary, share_percent=s.share_percent) for s in shares
        )
        audit(actor, AuditVerb.UPDATED, unit_cost, amount=amount, active=active)
    return unit_cost
