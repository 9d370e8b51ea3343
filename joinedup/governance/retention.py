"""Retention, declared in one place: how long each kind of record is kept, why, and what then.

Each period is in days, read from `settings.RETENTION` (one key per rule, defaults below), so a
partnership sets its own in its settings without a code change. The `retention` command
(`manage.py retention [--dry-run]`, `governance.retention_run`) enforces them daily:

- `referral_not_enrolled` and `closed_case` decide when a *person* is due: when every one of their
  referrals that never became a case has been still (no status change) for its period, and every
  case they have has been closed for its period, the person is erased through the registry of
  person-linked records (`people.records`: each record deleted, anonymised or kept, as declared).
- `consent_evidence`: the consents of an erased person (kept at erasure as the evidence that what
  was shared was shared lawfully) are deleted this long after they ended.
- `audit_events`: the trail is deleted this long after each event.

A legal hold on a person (`governance.LegalHold`) stops all four for that person.

The employers' and programmes' tables (decisions 020 and 021) have their own rules, below the four:
an employer's named contacts, the engagement log's notes, occupational health questions and answers,
and a programme's participant records after the programme ends; the person's own pages' sign-ins
and sessions (decision 022) have `portal_sign_ins`. Their other tables hold no personal
data (employers, sites, vacancies, charter self-assessments, programmes' set-up, budgets, claim
batches) and are kept; what they hold about a person goes with the person (the registry's held
records).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class RetentionRule:
    key: str
    what: str  # the kind of record, in plain words
    starts: str  # when the clock starts
    default_days: int
    action: str  # what happens at the end
    legal_basis: str

    @property
    def days(self) -> int:
        return int(getattr(settings, "RETENTION", {}).get(self.key, self.default_days))

    def cutoff(self, *, now: datetime | None = None) -> datetime:
        """Records whose clock started before this are past their period."""
        return (now or timezone.now()) - timedelta(days=self.days)


REFERRAL_NOT_ENROLLED = RetentionRule(
    key="referral_not_enrolled",
    what="A referral that never became a case (declined, withdrawn, returned or never taken up)",
    starts="its last change of status (or when it was made)",
    default_days=2 * 365,
    action="the person is erased through the registry, when nothing else of theirs is still kept",
    legal_basis=(
        "UK GDPR article 5(1)(e) (storage limitation). Two years lets a new referral be linked to the "
        "earlier one and a complaint be answered; the programme's counts keep the coded, anonymised row."
    ),
)
CLOSED_CASE = RetentionRule(
    key="closed_case",
    what="A closed case (support ended)",
    starts="the day the case closed",
    default_days=6 * 365,
    action="the person is erased through the registry, when nothing else of theirs is still kept",
    legal_basis=(
        "The funders' audit requirement (the grant agreement names the period; set it in "
        "settings.RETENTION) under UK GDPR article 6(1)(e) and 9(2)(h); then article 5(1)(e)."
    ),
)
CONSENT_EVIDENCE = RetentionRule(
    key="consent_evidence",
    what="A consent decision of someone already erased",
    starts="the day the consent ended (expired or withdrawn), or the erasure if it had not",
    default_days=6 * 365,
    action="deleted",
    legal_basis=(
        "UK GDPR article 7(1): the controller must be able to show consent was given while the data "
        "was used; six years covers a claim under the Limitation Act 1980."
    ),
)
AUDIT_EVENTS = RetentionRule(
    key="audit_events",
    what="An audit event (who saw or changed a record)",
    starts="the event",
    default_days=6 * 365,
    action="deleted",
    legal_basis=(
        "NHS Records Management Code of Practice 2021 and the Data Security and Protection Toolkit: "
        "access logs kept long enough to investigate a complaint or breach; then article 5(1)(e)."
    ),
)

EMPLOYER_CONTACTS = RetentionRule(
    key="employer_contacts",
    what="A named contact at an employer (name, role, email, phone)",
    starts="the employer's last engagement (or when the contact was added, if it never had one)",
    default_days=2 * 365,
    action="deleted",
    legal_basis=(
        "UK GDPR article 6(1)(f) (legitimate interests) while the partnership works with the employer; "
        "two years without an engagement ends that interest (article 5(1)(e))."
    ),
)
ENGAGEMENT_NOTES = RetentionRule(
    key="engagement_notes",
    what="The notes of an engagement with an employer",
    starts="the engagement",
    default_days=6 * 365,
    action="the notes emptied; the date, channel and kind stay for the figures",
    legal_basis=(
        "The funders' audit of employer engagement (set the grant agreement's period); notes may name "
        "people, so they go at the end (article 5(1)(e))."
    ),
)
ADVICE_REQUESTS = RetentionRule(
    key="advice_requests",
    what="An occupational health advice request's question and answer",
    starts="the answer (or the question, if it was never answered)",
    default_days=2 * 365,
    action="the question and answer emptied; the urgency, dates and response time stay",
    legal_basis=(
        "Article 6(1)(e); a question about an employee's situation is about a person who is not named "
        "but may be recognised, so the words go once the advice is past use (article 5(1)(e))."
    ),
)
PROGRAMME_RECORDS = RetentionRule(
    key="programme_records",
    what="A programme's participant records (ESF data, courses, job entries, claims, evidence, expenses)",
    starts="the day the programme ended",
    default_days=10 * 365,
    action="deleted (the programme, its funders, targets and claim batches' totals stay)",
    legal_basis=(
        "The funder's document-retention requirement (ESF: kept for the audit period the grant agreement "
        "names after the programme closes; set it in settings.RETENTION) under article 6(1)(c); then 5(1)(e)."
    ),
)

PORTAL_SIGN_INS = RetentionRule(
    key="portal_sign_ins",
    what="A person's sign-in requests and sessions on their own pages (decision 022)",
    starts="the sign-in was asked for, or the session ended (or would have)",
    default_days=30,
    action="deleted (the audit trail keeps that the person signed in, under its own rule)",
    legal_basis=(
        "UK GDPR article 6(1)(e) and 32 (security): kept long enough to throttle and look into misuse of "
        "a sign-in; a link or code lasts minutes and a session hours, so a month is ample (article 5(1)(e))."
    ),
)

RULES: dict[str, RetentionRule] = {
    r.key: r
    for r in (
        REFERRAL_NOT_ENROLLED,
        CLOSED_CASE,
        CONSENT_EVIDENCE,
        AUDIT_EVENTS,
        EMPLOYER_CONTACTS,
        ENGAGEMENT_NOTES,
        ADVICE_REQUESTS,
        PROGRAMME_RECORDS,
        PORTAL_SIGN_INS,
    )
}
# The rules that decide when a person is due; the rest are applied to their own tables.
PERSON_RULES = (REFERRAL_NOT_ENROLLED.key, CLOSED_CASE.key)


def check_registry() -> None:
    """Start-up check: every configured period names a rule and is a whole number of days of at least one."""
    configured = getattr(settings, "RETENTION", {})
    unknown = set(configured) - set(RULES)
    if unknown:
        raise RuntimeError(f"settings.RETENTION names unknown retention rules: {', '.join(sorted(unknown))}")
    for rule in RULES.values():
        days = configured.get(rule.key, rule.default_days)
        if not isinstance(days, int) or days < 1:
            raise RuntimeError(f"settings.RETENTION[{rule.key!r}] must be a whole number of days, at least 1")
