"""Enforcing the retention periods (`retention.RULES`): who is due, then erasure through the registry.

`retention_run(dry_run=True)` only reports; without it, each person due is erased in their own
transaction (one failure does not undo the others), then the consent evidence and the audit events
past their periods are deleted, and the run is recorded with one audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from joinedup.audit.services import audit_events_before, audit_events_delete, audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.employers.retention import employers_retention_apply
from joinedup.people.records import REGISTRY
from joinedup.people.selectors import consents_past_retention, people_by_ids
from joinedup.people.services import consents_delete_past_retention
from joinedup.programmes.retention import programme_records_retention_apply

from .erasure import held_person_ids, person_erase
from .models import Erasure, ErasureTrigger, RetentionRun
from .retention import (
    ADVICE_REQUESTS,
    AUDIT_EVENTS,
    CLOSED_CASE,
    CONSENT_EVIDENCE,
    EMPLOYER_CONTACTS,
    ENGAGEMENT_NOTES,
    PERSON_RULES,
    PORTAL_SIGN_INS,
    PROGRAMME_RECORDS,
    REFERRAL_NOT_ENROLLED,
    RULES,
)


@dataclass
class RetentionReport:
    dry_run: bool
    due: dict[Any, str]  # person id -> the rule that made them due
    held: set[Any]  # people who would be due but are under a legal hold
    consents: int
    audit_events: int
    erased: list[Any] = field(default_factory=list)
    failed: dict[Any, str] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)  # the other rules: rule key -> rows done

    def lines(self) -> list[str]:
        verb = "Would" if self.dry_run else "Did"
        by_rule = {key: sum(1 for r in self.due.values() if r == key) for key in PERSON_RULES}
        lines = [f"Retention {'dry run' if self.dry_run else 'run'} at {timezone.now():%Y-%m-%d %H:%M %Z}"]
        for rule in RULES.values():
            lines.append(f"  {rule.key}: {rule.days} days from {rule.starts}; then {rule.action}")
        erased = len(self.due) if self.dry_run else len(self.erased)
        lines += [
            f"{verb} erase {erased} people ({by_rule['referral_not_enrolled']} for a referral never enrolled, "
            f"{by_rule['closed_case']} for a closed case)",
            f"Kept under a legal hold: {len(self.held)} people",
            f"{verb} delete {self.consents} consent records of erased people",
            f"{verb} delete {self.audit_events} audit events",
        ]
        lines += [f"{verb} apply {key} to {n} records: {RULES[key].action}" for key, n in self.records.items()]
        lines += [f"Could not erase {pid}: {why}" for pid, why in self.failed.items()]
        return lines


def _due(now: datetime) -> dict[Any, str]:
    referrals, cases = REGISTRY["referrals"].model._default_manager, REGISTRY["cases"].model._default_manager
    cut_referral, cut_case = REFERRAL_NOT_ENROLLED.cutoff(now=now), CLOSED_CASE.cutoff(now=now).date()
    live_referral = referrals.filter(case__isnull=True).filter(
        Q(status_changed_at__gte=cut_referral) | Q(status_changed_at__isnull=True, created_at__gte=cut_referral)
    )
    live_case = cases.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=cut_case))
    due = (
        referrals.exclude(person_id__in=live_referral.values("person_id"))
        .exclude(person_id__in=live_case.values("person_id"))
        .exclude(person_id__in=Erasure.objects.values("person_id"))
        .values_list("person_id", flat=True)
        .distinct()
    )
    with_case = set(cases.filter(person_id__in=due).values_list("person_id", flat=True))
    return {pid: (CLOSED_CASE.key if pid in with_case else REFERRAL_NOT_ENROLLED.key) for pid in due}


def _consent_scope(now: datetime, held: set[Any]) -> tuple[list[Any], list[Any], datetime]:
    cut = CONSENT_EVIDENCE.cutoff(now=now)
    erased = Erasure.objects.exclude(person_id__in=held)
    return (
        list(erased.values_list("person_id", flat=True)),
        list(erased.filter(created_at__lt=cut).values_list("person_id", flat=True)),
        cut,
    )


def _consents_due(now: datetime, held: set[Any]) -> int:
    erased, erased_long_ago, cut = _consent_scope(now, held)
    return consents_past_retention(person_ids=erased, ended_before=cut, erased_before_ids=erased_long_ago).count()


def _portal_sign_ins(now: datetime, *, dry_run: bool) -> int:
    """The person's sign-ins asked for, and sessions ended or expired, before the period (through
    the registry: the portal app sits above governance)."""
    cut = PORTAL_SIGN_INS.cutoff(now=now)
    sign_ins = REGISTRY["portal_sign_ins"].model._default_manager.filter(created_at__lt=cut)
    sessions = REGISTRY["portal_sessions"].model._default_manager.filter(Q(ended_at__lt=cut) | Q(expires_at__lt=cut))
    if dry_run:
        return sign_ins.count() + sessions.count()
    return sign_ins.delete()[0] + sessions.delete()[0]


def _other_records(now: datetime, held: set[Any], *, dry_run: bool) -> dict[str, int]:
    """The employers', programmes' and portal's own rules (their tables are not a person's records)."""
    done = employers_retention_apply(
        contacts_before=EMPLOYER_CONTACTS.cutoff(now=now).date(),
        notes_before=ENGAGEMENT_NOTES.cutoff(now=now).date(),
        advice_before=ADVICE_REQUESTS.cutoff(now=now),
        dry_run=dry_run,
    )
    done[PROGRAMME_RECORDS.key] = programme_records_retention_apply(  # their tallies kept in step
        ended_before=PROGRAMME_RECORDS.cutoff(now=now).date(), held_person_ids=held, dry_run=dry_run
    )
    done[PORTAL_SIGN_INS.key] = _portal_sign_ins(now, dry_run=dry_run)
    return done


def _erase_due(report: RetentionReport, channel: str) -> None:
    people = {p.pk: p for p in people_by_ids(list(report.due))}
    for pid, rule in report.due.items():
        try:
            with transaction.atomic():
                erasure = person_erase(person=people[pid], trigger=ErasureTrigger.RETENTION, rule=rule)
                audit_record(
                    actor=None,
                    verb=AuditVerb.ERASED,
                    target=erasure,
                    person_id=pid,
                    channel=channel,
                    payload={"rule": rule},
                )
            report.erased.append(pid)
        except Exception as exc:
            report.failed[pid] = str(exc)


def retention_run(*, dry_run: bool, now: datetime | None = None, channel: str = "command") -> RetentionReport:
    """Apply (or with `dry_run`, report) every retention rule. Legal holds stop all of them for the person.
    `channel` is how it was started, for the audit trail: "command" by hand, "job" by the daily job."""
    now = now or timezone.now()
    held = held_person_ids()
    due = _due(now)
    report = RetentionReport(
        dry_run=dry_run,
        due={pid: rule for pid, rule in due.items() if pid not in held},
        held={pid for pid in due if pid in held},
        consents=0,
        audit_events=0,
    )
    cut_audit = AUDIT_EVENTS.cutoff(now=now)
    if dry_run:
        report.consents = _consents_due(now, held)
        report.audit_events = audit_events_before(before=cut_audit, keep_person_ids=held)
        report.records = _other_records(now, held, dry_run=True)
        return report
    _erase_due(report, channel)
    with transaction.atomic():
        erased, erased_long_ago, cut = _consent_scope(now, held)
        report.consents = consents_delete_past_retention(
            person_ids=erased, ended_before=cut, erased_before_ids=erased_long_ago
        )
        report.audit_events = audit_events_delete(before=cut_audit, keep_person_ids=held)
        report.records = _other_records(now, held, dry_run=False)
        run = RetentionRun.objects.create(
            records=report.records,
            periods={key: rule.days for key, rule in RULES.items()},
            erased=len(report.erased),
            held=len(report.held),
            consents_deleted=report.consents,
            audit_events_deleted=report.audit_events,
        )
        audit_record(
            actor=None,
            verb=AuditVerb.RETENTION_APPLIED,
            target=run,
            channel=channel,
            payload={
                "erased": len(report.erased),
                "consents": report.consents,
                "audit_events": report.audit_events,
                **report.records,
            },
        )
    return report
