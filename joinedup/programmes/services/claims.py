"""Claim batches: a partner's month of claims, draft -> submitted -> approved or rejected -> paid;
rejecting and correcting a claim; withdrawing a job start's evidence (which reverses its claims)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from joinedup.audit.verbs import AuditVerb
from joinedup.cases import selectors as case_selectors
from joinedup.core.errors import DomainError
from joinedup.organisations.permissions import Membership, Perm

from .. import engine, limits
from ..checks import audit, require, require_own_or_manage
from ..choices import BATCH_MOVES, BatchStatus, ClaimStatus, TariffModel
from ..models import Claim, ClaimBatch, Contract, JobEntry, Participation, Programme


def month_start(on: date) -> date:
    return on.replace(day=1)


def month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason", field="reason")
    if len(reason) > limits.REASON.max_length:
        raise DomainError(limits.REASON.message, field="reason")
    return reason


def _delivery_fee(programme: Programme, contract: Contract) -> Decimal:
    tariff = getattr(programme, "tariff", None)
    if tariff is None or tariff.model != TariffModel.FEE_AND_OUTCOMES:
        return Decimal(0)
    return (contract.value * tariff.delivery_fee_percent / 100 / programme.months).quantize(Decimal("0.01"))


def _generate(programme: Programme, contract: Contract, month: date, actor: Membership) -> ClaimBatch:
    batch = (
        ClaimBatch.objects.exclude(status=BatchStatus.REJECTED)
        .filter(programme=programme, partner_id=contract.partner_id, month=month)
        .first()
    )
    if batch is not None and batch.status != BatchStatus.DRAFT:
        raise DomainError(f"The claim for {month:%B %Y} has already been submitted", field="month")
    if batch is None:
        batch = ClaimBatch.objects.create(
            programme=programme,
            partner_id=contract.partner_id,
            month=month,
            delivery_fee=_delivery_fee(programme, contract),
            created_by=actor.user,
        )
    mine = Claim.objects.filter(programme=programme, partner_id=contract.partner_id)
    # Claims are held until the participant's ESF data is recorded (the evidence of eligibility).
    mine.filter(
        status=ClaimStatus.PENDING,
        reversed_at__isnull=True,
        achieved_on__lte=month_end(month),
        participation__esf_recorded_on__isnull=False,
    ).update(batch=batch, status=ClaimStatus.CLAIMED, updated_at=timezone.now())
    mine.filter(status=ClaimStatus.REVERSED, batch__status=BatchStatus.PAID, recovered_in__isnull=True).update(
        recovered_in=batch
    )
    engine.batch_total_refresh(batch)
    return batch


def _month(programme: Programme, month: date) -> date:
    month = month_start(month)
    if not month_start(programme.starts_on) <= month <= month_start(programme.ends_on):
        raise DomainError(f"{month:%B %Y} is outside the programme", field="month")
    if month > month_start(timezone.localdate()):
        raise DomainError("You cannot claim for a month that has not started", field="month")
    return month


def claims_batch_generate(*, actor: Membership, programme: Programme, partner_id: UUID, month: date) -> ClaimBatch:
    """Gather a partner's claims ready by the end of the month (and any recoveries) into its draft batch."""
    require_own_or_manage(actor, partner_id, Perm.CLAIM_SUBMIT_ORG)
    month = _month(programme, month)
    contract = Contract.objects.filter(programme=programme, partner_id=partner_id).first()
    if contract is None:
        raise DomainError("That partner is not contracted on the programme", field="partner")
    with transaction.atomic():
        batch = _generate(programme, contract, month, actor)
        audit(actor, AuditVerb.CLAIMS_BATCHED, batch, month=month, total=batch.total)
    return batch


def claim_run(*, actor: Membership, programme: Programme, month: date) -> list[ClaimBatch]:
    """The month's claim run: every contracted partner's draft batch, in one transaction."""
    require(actor, Perm.PROGRAMME_MANAGE)
    month = _month(programme, month)
    with transaction.atomic():
        batches = [_generate(programme, c, month, actor) for c in programme.contracts.order_by("created_at")]
        for batch in batches:
            audit(actor, AuditVerb.CLAIMS_BATCHED, batch, month=month, total=batch.total)
    return batches


def _move(batch: ClaimBatch, to: str) -> None:
    if to not in BATCH_MOVES[batch.status]:
        raise DomainError(f"A {batch.get_status_display().lower()} claim cannot be made {to}", field="status")
    batch.status = to


def batch_submit(*, actor: Membership, batch: ClaimBatch) -> ClaimBatch:
    require_own_or_manage(actor, batch.partner_id, Perm.CLAIM_SUBMIT_ORG)
    if not batch.claims.exists() and not batch.delivery_fee:
        raise DomainError("There is nothing to claim in this batch", field="status")
    _move(batch, BatchStatus.SUBMITTED)
    with transaction.atomic():
        batch.submitted_at = timezone.now()
        batch.save(update_fields=["status", "submitted_at", "updated_at"])
        audit(actor, AuditVerb.STATUS_CHANGED, batch, status=batch.status, total=batch.total)
    return batch


def claim_reject(*, actor: Membership, claim: Claim, reason: str) -> Claim:
    """The programme manager rejects one claim of a submitted batch, with the reason."""
    require(actor, Perm.PROGRAMME_MANAGE)
    reason = _reason(reason)
    if claim.batch is None or claim.batch.status != BatchStatus.SUBMITTED or claim.status != ClaimStatus.CLAIMED:
        raise DomainError("Only a claim in a submitted batch can be rejected", field="reason")
    with transaction.atomic():
        claim.status, claim.rejected_reason = ClaimStatus.REJECTED, reason
        claim.save(update_fields=["status", "rejected_reason", "updated_at"])
        engine.batch_total_refresh(claim.batch)
        audit(actor, AuditVerb.STATUS_CHANGED, claim, status=claim.status, reason=reason)
    return claim


def batch_decide(*, actor: Membership, batch: ClaimBatch, approve: bool, reason: str = "") -> ClaimBatch:
    """Approve a submitted batch (its claims not rejected), or reject it all with the reason."""
    require(actor, Perm.PROGRAMME_MANAGE)
    reason = reason.strip() if approve else _reason(reason)
    _move(batch, BatchStatus.APPROVED if approve else BatchStatus.REJECTED)
    with transaction.atomic():
        claims = batch.claims.filter(status=ClaimStatus.CLAIMED)
        if approve:
            claims.update(status=ClaimStatus.APPROVED)
        else:
            claims.update(status=ClaimStatus.REJECTED, rejected_reason=reason)
            Claim.objects.filter(recovered_in=batch).update(recovered_in=None)
            batch.delivery_fee = Decimal(0)
        batch.reason, batch.decided_at, batch.decided_by = reason, timezone.now(), actor.user
        batch.save()
        engine.batch_total_refresh(batch)
        audit(actor, AuditVerb.STATUS_CHANGED, batch, status=batch.status, reason=reason, total=batch.total)
    return batch


def batch_pay(*, actor: Membership, batch: ClaimBatch, paid_on: date) -> ClaimBatch:
    require(actor, Perm.PROGRAMME_MANAGE)
    if paid_on > timezone.localdate() or (batch.decided_at and paid_on < batch.decided_at.date()):
        raise DomainError("Enter the date it was paid: not in the future, nor before it was approved", field="paid_on")
    _move(batch, BatchStatus.PAID)
    with transaction.atomic():
        batch.claims.filter(status=ClaimStatus.APPROVED).update(status=ClaimStatus.PAID)
        batch.paid_on = paid_on
        batch.save(update_fields=["status", "paid_on", "updated_at"])
        audit(actor, AuditVerb.STATUS_CHANGED, batch, status=batch.status, paid_on=paid_on, total=batch.total)
    return batch


def claim_correct(*, actor: Membership, claim: Claim, correction: str) -> Claim:
    """A rejected claim, corrected: ready to claim again in the partner's next batch."""
    require_own_or_manage(actor, claim.partner_id, Perm.CLAIM_SUBMIT_ORG)
    if claim.status != ClaimStatus.REJECTED:
        raise DomainError("Only a rejected claim can be corrected", field="correction")
    correction = (correction or "").strip()
    if not correction:
        raise DomainError("Say what was corrected", field="correction")
    if len(correction) > limits.NOTE.max_length:
        raise DomainError(limits.NOTE.message, field="correction")
    with transaction.atomic():
        claim.status, claim.batch, claim.correction = ClaimStatus.PENDING, None, correction
        claim.save(update_fields=["status", "batch", "correction", "updated_at"])
        audit(actor, AuditVerb.UPDATED, claim, correction=correction)
    return claim


def job_entry_withdraw(*, actor: Membership, job_entry: JobEntry, reason: str) -> list[Claim]:
    """The job start's evidence is withdrawn: its claims (job entry, and sustained on it) are
    reversed, and another qualifying job start of the participant is claimed instead."""
    participation = job_entry.participation
    require_own_or_manage(actor, participation.partner_id, Perm.CLAIM_SUBMIT_ORG)
    reason = _reason(reason)
    if job_entry.withdrawn_at is not None:
        raise DomainError("This job start's evidence has already been withdrawn", field="reason")
    with transaction.atomic():
        job_entry.withdrawn_at, job_entry.withdrawn_reason = timezone.now(), reason
        job_entry.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at"])
        reversed_claims = list(job_entry.claims.filter(reversed_at__isnull=True).select_related("batch"))
        for claim in reversed_claims:
            engine.reverse(claim, reason)
        for other in participation.job_entries.filter(withdrawn_at__isnull=True).exclude(pk=job_entry.pk):
            engine.claim_job_entry(participation, other)
        claims = ",".join(f"{c.outcome}:{c.pk}" for c in reversed_claims)
        audit(actor, AuditVerb.CLAIM_REVERSED, job_entry, None, reason=reason, claims=claims)
    return reversed_claims


def claims_catch_up(*, actor: Membership, programme: Programme, participation: Participation) -> list[Claim]:
    """Claim what a participant's records prove that has not been claimed (for a case recorded
    before the tariff was set). Refused for someone who is not a participant of the programme."""
    require_own_or_manage(actor, participation.partner_id, Perm.CLAIM_SUBMIT_ORG)
    if participation.programme_id != programme.pk:
        raise DomainError(
            f"This person is not a participant of {programme.name}: their case is on another programme",
            field="programme",
        )
    facts = case_selectors.case_facts(participation.case_id)
    jobs, milestones = case_selectors.case_work(participation.case_id)
    with transaction.atomic():
        made = [engine.claim_attachment(participation, facts.eligibility_evidence if facts else "")]
        for job_id in jobs:
            job = case_selectors.job_start_facts(job_id)
            if job is not None:
                entry = engine.job_entry_seen(participation, job_id, job.happened_on, "")
                made.append(engine.claim_job_entry(participation, entry))
        for m in milestones:
            if m.in_work:
                made.append(engine.claim_sustained(participation, m.sustainment_id, m.job_start_id, m.weeks))
        claims = [c for c in made if c is not None]
        audit(actor, AuditVerb.CREATED, participation, None, claims=",".join(c.outcome for c in claims))
    return claims
