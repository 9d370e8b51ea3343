"""Claims from the case events: at most one live claim per outcome per participation, each with
its evidence. Called by the subscribers (inside the announcing case service's transaction) and by
the evidence-withdrawal service. The tariff's rules say what counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Q
from django.utils import timezone

from joinedup.cases import selectors as case_selectors
from joinedup.cases.selectors import WorkFacts

from .choices import BatchStatus, ClaimStatus, Outcome
from .models import Claim, ClaimBatch, ClaimEvidence, JobEntry, Participation, TariffRule

# Claims that are no longer open to change by the engine (a batch has them, or they are decided).
SETTLED = (ClaimStatus.CLAIMED, ClaimStatus.APPROVED, ClaimStatus.PAID)


@dataclass(frozen=True)
class Evidence:
    kind: str
    record_id: UUID
    happened_on: date
    described: str
    document_note: str


def rule_for(participation: Participation, outcome: str) -> TariffRule | None:
    return (
        TariffRule.objects.select_related("tariff")
        .filter(tariff__programme_id=participation.programme_id, outcome=outcome)
        .first()
    )


def live_claim(participation: Participation, outcome: str) -> Claim | None:
    return Claim.objects.filter(participation=participation, outcome=outcome, reversed_at__isnull=True).first()


def _create(
    participation: Participation,
    rule: TariffRule,
    achieved_on: date,
    evidence: list[Evidence],
    job_entry: JobEntry | None = None,
) -> Claim:
    claim = Claim.objects.create(
        programme_id=participation.programme_id,
        participation=participation,
        partner_id=participation.partner_id,
        outcome=rule.outcome,
        amount=rule.amount(),
        achieved_on=achieved_on,
        job_entry=job_entry,
    )
    ClaimEvidence.objects.bulk_create(
        ClaimEvidence(
            claim=claim,
            kind=e.kind,
            record_id=e.record_id,
            happened_on=e.happened_on,
            described=e.described[:300],
            document_note=e.document_note,
        )
        for e in evidence
    )
    return claim


def claim_attachment(participation: Participation, eligibility_evidence: str) -> Claim | None:
    rule = rule_for(participation, Outcome.ATTACHMENT)
    if rule is None or live_claim(participation, Outcome.ATTACHMENT):
        return None
    on = participation.started_on
    evidence = Evidence("enrolment", participation.case_id, on, f"Enrolled on {on:%-d %B %Y}", eligibility_evidence)
    return _create(participation, rule, on, [evidence])


def _work_evidence(kind: str, facts: WorkFacts) -> Evidence:
    return Evidence(kind, facts.record_id, facts.happened_on, facts.described, facts.evidence)


def qualifies(rule: TariffRule, participation: Participation, facts: WorkFacts) -> bool:
    """Whether a job start counts as a job entry under the tariff's definition."""
    programme = participation.programme
    if not (participation.started_on <= facts.happened_on <= programme.ends_on):
        return False
    if facts.self_employed and not rule.counts_self_employed:
        return False
    return rule.min_hours_per_week is None or facts.hours_per_week >= rule.min_hours_per_week


def job_entry_seen(participation: Participation, job_start_id: UUID, start_date: date, contract_type: str) -> JobEntry:
    entry, _ = JobEntry.objects.get_or_create(
        job_start_id=job_start_id,
        defaults={"participation": participation, "start_date": start_date, "contract_type": contract_type},
    )
    return entry


def claim_job_entry(participation: Participation, entry: JobEntry) -> Claim | None:
    """The job entry claim, for the earliest qualifying job start: a job start that arrives after a
    later one moves a claim not yet in a batch onto it."""
    rule = rule_for(participation, Outcome.JOB_ENTRY)
    if rule is None or entry.withdrawn_at is not None:
        return None
    facts = case_selectors.job_start_facts(entry.job_start_id)
    if facts is None or not qualifies(rule, participation, facts):
        return None
    existing = live_claim(participation, Outcome.JOB_ENTRY)
    if existing is None:
        return _create(participation, rule, facts.happened_on, [_work_evidence("job_start", facts)], entry)
    if existing.status == ClaimStatus.PENDING and existing.achieved_on > facts.happened_on:
        existing.job_entry, existing.achieved_on = entry, facts.happened_on
        existing.save(update_fields=["job_entry", "achieved_on", "updated_at"])
        existing.evidence.all().delete()
        ClaimEvidence.objects.create(claim=existing, **_work_evidence("job_start", facts).__dict__)
        return existing
    return None


def claim_sustained(
    participation: Participation, sustainment_id: UUID, job_start_id: UUID, weeks: int | None
) -> Claim | None:
    """Sustained employment: the tariff's milestone, in work, on a job start that is not withdrawn,
    never before the participant's job entry is claimed (it is claimed first if it can be)."""
    rule = rule_for(participation, Outcome.SUSTAINED)
    if rule is None or weeks != rule.sustained_weeks or live_claim(participation, Outcome.SUSTAINED):
        return None
    entry = JobEntry.objects.filter(job_start_id=job_start_id).first()
    if entry is None:  # the milestone arrived before its job start: see the job start first
        job = case_selectors.job_start_facts(job_start_id)
        if job is None:
            return None
        entry = job_entry_seen(participation, job_start_id, job.happened_on, "")
    if entry.withdrawn_at is not None:
        return None
    job_claim = live_claim(participation, Outcome.JOB_ENTRY) or claim_job_entry(participation, entry)
    if job_claim is None and rule_for(participation, Outcome.JOB_ENTRY) is not None:
        return None
    milestone = case_selectors.sustainment_facts(sustainment_id)
    job = case_selectors.job_start_facts(job_start_id)
    if milestone is None or job is None:
        return None
    if job_claim is not None and milestone.happened_on < job_claim.achieved_on:
        return None
    evidence = [_work_evidence("job_start", job), _work_evidence("sustainment", milestone)]
    return _create(participation, rule, milestone.happened_on, evidence, entry)


def reverse(claim: Claim, reason: str) -> None:
    """Reverse a claim: out of a draft batch; recovered from the next batch if it was paid."""
    batch = claim.batch
    claim.reversed_at, claim.reversed_reason = timezone.now(), reason
    was_paid = claim.status == ClaimStatus.PAID
    claim.status = ClaimStatus.REVERSED
    if batch is not None and batch.status == BatchStatus.DRAFT:
        claim.batch = None
    claim.save()
    if batch is not None and not was_paid:
        batch_total_refresh(batch)


def batch_total_refresh(batch: ClaimBatch) -> None:
    """The batch's total: its delivery fee, plus its live claims, less the paid claims it recovers."""
    claims = batch.claims.filter(status__in=SETTLED).values_list("amount", flat=True)
    recovered = Claim.objects.filter(recovered_in=batch).values_list("amount", flat=True)
    batch.total = batch.delivery_fee + sum(claims) - sum(recovered)
    batch.save(update_fields=["total", "updated_at"])


def live_claims_q() -> Q:
    return Q(reversed_at__isnull=True)
