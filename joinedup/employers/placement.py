"""Putting people forward for vacancies: what they want from work, their consent to share named
details with the employer (purpose and expiry, withdrawn like any consent), the nomination and how it
went, and the job start recorded from the vacancy (employer and role carried over)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from joinedup.audit.verbs import AuditVerb
from joinedup.cases import services as case_services
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.core.events import announce
from joinedup.directory.areas import PostcodeProblem, parse_postcode
from joinedup.organisations.permissions import Perm, has_perm

from .access import audit
from .choices import CLOSED_NOMINATIONS, PAID_KINDS, AdjustmentKind, NominationStatus, VacancyKind
from .events import EmployerEvent, PutForward, StartedFromVacancy
from .match_table import match_rows_refresh
from .models import JobStartLink, Nomination, ShareConsent, TravelArea, Vacancy, WorkPreferences
from .selectors import employer_for_member
from .wages import hourly_equivalent

if TYPE_CHECKING:
    from joinedup.organisations.permissions import Membership

LONGEST_SHARE_DAYS = 365  # a consent to share with an employer lasts at most a year


def _require_case(actor: Membership, case: Any) -> None:
    if not has_perm(actor, Perm.CASE_CHANGE_ORG) or case.delivery_partner_id != actor.organisation_id:
        raise NotPermitted("You can only do this for people your organisation supports.")


@dataclass
class PreferencesInput:
    hours_min: Decimal | None = None
    hours_max: Decimal | None = None
    travel_districts: list[str] | None = None
    kinds: list[str] | None = None
    adjustments_needed: list[str] | None = None


def _districts(texts: list[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        try:
            value = parse_postcode(text).split(" ")[0]
        except PostcodeProblem as exc:
            raise DomainError(f"{text!r}: {exc}", field="travel_districts") from exc
        if value not in out:
            out.append(value)
    if len(out) > 30:
        raise DomainError("Enter at most 30 postcode districts.", field="travel_districts")
    return out


def _check_preferences(data: PreferencesInput) -> None:
    lo, hi = data.hours_min, data.hours_max
    if (lo is None) != (hi is None):
        raise DomainError("Enter both the fewest and the most hours a week they want, or neither.", field="hours_min")
    if lo is not None and hi is not None and hi < lo:
        raise DomainError("The most hours a week cannot be fewer than the fewest.", field="hours_max")
    if data.kinds is not None and set(data.kinds) - set(VacancyKind.values):
        raise DomainError("Select kinds of work from the list.", field="kinds")
    if data.adjustments_needed is not None and set(data.adjustments_needed) - set(AdjustmentKind.values):
        raise DomainError("Select adjustments from the list.", field="adjustments_needed")


def work_preferences_set(*, actor: Membership, case: Any, data: PreferencesInput) -> WorkPreferences:
    """What the person wants from work, for matching: hours, where they can travel, kinds of work,
    adjustments they need. A field left out is "not known". Audited as a change to their record."""
    _require_case(actor, case)
    _check_preferences(data)
    districts = None if data.travel_districts is None else _districts(data.travel_districts)
    with transaction.atomic():
        prefs, _ = WorkPreferences.objects.select_for_update().get_or_create(
            case_id=case.pk, defaults={"created_by": actor.user}
        )
        prefs.hours_min, prefs.hours_max = data.hours_min, data.hours_max
        prefs.travel_districts, prefs.kinds = districts, data.kinds
        prefs.adjustments_needed = data.adjustments_needed
        prefs.save()
        TravelArea.objects.filter(preferences=prefs).delete()
        TravelArea.objects.bulk_create([TravelArea(preferences=prefs, district=d) for d in districts or ()])
        match_rows_refresh(case_ids=[case.pk])
        audit(actor, AuditVerb.UPDATED, prefs, person_id=case.person_id, case=case.pk)
    return prefs


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def put_forward(
    *,
    actor: Membership,
    case: Any,
    vacancy: Vacancy,
    consent_given: bool,
    expires_on: date,
    shares_contact: bool = False,
    shares_adjustments: bool = False,
) -> Nomination:
    """Put the person forward for `vacancy`, recording their consent to share their name (and, if
    they agree, contact details and the adjustments they need) with that employer until
    `expires_on`. Putting the same person forward for the same vacancy again returns the first."""
    _require_case(actor, case)
    if not consent_given:
        raise DomainError(
            "The person must agree to their details being shared with the employer before they are put forward.",
            field="consent_given",
        )
    today = timezone.localdate()
    if expires_on <= today:
        raise DomainError("The date the consent ends must be in the future.", field="expires_on")
    if expires_on > today + timedelta(days=LONGEST_SHARE_DAYS):
        raise DomainError("Consent to share with an employer can last at most a year.", field="expires_on")
    if not vacancy.is_open:
        raise DomainError("This vacancy is not open, so nobody can be put forward for it.")
    with transaction.atomic():
        Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        existing = Nomination.objects.select_related("consent").filter(vacancy=vacancy, case_id=case.pk).first()
        if existing is not None and existing.consent.in_force():
            return existing  # a retried submission
        consent = ShareConsent.objects.create(
            person_id=case.person_id,
            employer=vacancy.employer,
            purpose=f"To share their details with {vacancy.employer.name} about the vacancy {vacancy.title}"[:300],
            shares_contact=shares_contact,
            shares_adjustments=shares_adjustments,
            expires_at=_end_of(expires_on),
            recorded_by_organisation=actor.organisation,
            created_by=actor.user,
        )
        if existing is not None:
            return _consent_renew(actor, existing, consent, expires_on)
        nomination = Nomination.objects.create(
            vacancy=vacancy, case_id=case.pk, consent=consent, status_changed_on=today, created_by=actor.user
        )
        announce(EmployerEvent.PUT_FORWARD, PutForward(nomination.pk, case.delivery_partner_id, today))
        audit(
            actor,
            AuditVerb.PUT_FORWARD,
            nomination,
            person_id=case.person_id,
            vacancy=vacancy.pk,
            consent=consent.pk,
            expires_on=expires_on,
        )
    return nomination


def _consent_renew(actor: Membership, nomination: Nomination, consent: ShareConsent, expires_on: date) -> Nomination:
    """Put forward again after the consent ended or was withdrawn: the nomination rests on the new
    consent (the old one stays, as the record of what was shared until when). Not counted again."""
    old = nomination.consent_id
    nomination.consent = consent
    nomination.save(update_fields=["consent", "updated_at"])
    audit(
        actor,
        AuditVerb.PUT_FORWARD,
        nomination,
        person_id=consent.person_id,
        vacancy=nomination.vacancy_id,
        consent=consent.pk,
        replaces_consent=old,
        expires_on=expires_on,
    )
    return nomination


def share_consent_withdraw(*, actor: Membership, consent: ShareConsent) -> ShareConsent:
    """The person withdraws consent to share with the employer: from now the employer sees nothing."""
    case = consent.nominations.select_related("case").first()
    if case is None:
        raise DomainError("That consent is not for a vacancy.")
    _require_case(actor, case.case)
    with transaction.atomic():
        consent = ShareConsent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is None:
            consent.withdrawn_at = timezone.now()
            consent.save(update_fields=["withdrawn_at", "updated_at"])
            audit(
                actor, AuditVerb.CONSENT_WITHDRAWN, consent, person_id=consent.person_id, employer=consent.employer_id
            )
    return consent


_MOVES: dict[str, frozenset[str]] = {
    NominationStatus.PUT_FORWARD: frozenset(
        {NominationStatus.INTERVIEW, NominationStatus.OFFER, NominationStatus.NOT_SUCCESSFUL, NominationStatus.WITHDREW}
    ),
    NominationStatus.INTERVIEW: frozenset(
        {NominationStatus.OFFER, NominationStatus.NOT_SUCCESSFUL, NominationStatus.WITHDREW}
    ),
    NominationStatus.OFFER: frozenset({NominationStatus.NOT_SUCCESSFUL, NominationStatus.WITHDREW}),
}


# What an employer's own people may record of the people put forward to them; "withdrew" is the
# person's (through their adviser) and "started" comes from recording the job start.
EMPLOYER_MOVES = frozenset({NominationStatus.INTERVIEW, NominationStatus.OFFER, NominationStatus.NOT_SUCCESSFUL})


def allowed_moves(nomination: Nomination, *, actor: Membership | None = None) -> list[str]:
    """The statuses a nomination may move to by hand ("started" is set by recording the job start);
    for an employer's own people, only those of `EMPLOYER_MOVES`."""
    moves = _MOVES.get(nomination.status, frozenset())
    if actor is not None and has_perm(actor, Perm.EMPLOYER_SELF):
        moves = moves & EMPLOYER_MOVES
    return sorted(moves)


def _require_mover(actor: Membership, nomination: Nomination) -> None:
    """An adviser at the person's partner, or a person at the employer it was put forward to while
    the consent to share with that employer is in force."""
    if not has_perm(actor, Perm.EMPLOYER_SELF):
        _require_case(actor, nomination.case)
        return
    employer = employer_for_member(actor=actor)
    consent = nomination.consent
    if nomination.vacancy.employer_id != employer.pk or consent.employer_id != employer.pk or not consent.in_force():
        raise NotPermitted("You can only update people put forward to you while they agree to share.")


def nomination_update(*, actor: Membership, nomination: Nomination, status: str) -> Nomination:
    """Move a nomination along (audited): by the person's adviser, or by the employer's own people
    for the steps that are theirs (interview, offer, not successful)."""
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("case", "vacancy", "consent")
            .get(pk=nomination.pk)
        )
        _require_mover(actor, nomination)
        if status == nomination.status:
            return nomination  # a retried submission
        if status not in allowed_moves(nomination, actor=actor):
            label = NominationStatus(nomination.status).label.lower()
            if status in _MOVES.get(nomination.status, frozenset()):
                raise DomainError("Only their adviser can record that. Contact their adviser.", field="status")
            raise DomainError(f"A nomination that is '{label}' cannot move to that status.", field="status")
        before = nomination.status
        nomination.status, nomination.status_changed_on = status, timezone.localdate()
        nomination.save(update_fields=["status", "status_changed_on", "updated_at"])
        audit(
            actor,
            AuditVerb.STATUS_CHANGED,
            nomination,
            person_id=nomination.case.person_id,
            before=before,
            after=status,
            by_employer=has_perm(actor, Perm.EMPLOYER_SELF),
        )
    return nomination


def job_start_from_vacancy(
    *,
    actor: Membership,
    case: Any,
    vacancy: Vacancy,
    start_date: date,
    hours_per_week: Decimal,
    hourly_pay: Decimal | None = None,
    evidence: str = "",
) -> Any:
    """Record the job start through `cases.services.job_start_record`, employer and role carried
    over from the vacancy (never re-typed), the pay from the vacancy unless given, and link it to the
    vacancy; a nomination for it is marked started. One transaction; the job start's audit event."""
    _require_case(actor, case)
    if vacancy.kind not in PAID_KINDS:
        raise DomainError("Only paid work is a job start. Record a work trial or volunteering as work activity.")
    if hourly_pay is None:
        hourly_pay = hourly_equivalent(vacancy.wage, vacancy.wage_period, hours_per_week)
    contract = "apprenticeship" if vacancy.kind == VacancyKind.APPRENTICESHIP else vacancy.contract_type
    with transaction.atomic():
        job = case_services.job_start_record(
            case=case,
            actor=actor,
            employer_name=vacancy.employer.name,
            job_title=vacancy.title,
            hours_per_week=hours_per_week,
            hourly_pay=hourly_pay,
            start_date=start_date,
            contract_type=contract,
            evidence=evidence,
        )
        nomination = Nomination.objects.select_for_update().filter(vacancy=vacancy, case_id=case.pk).first()
        if nomination is not None and nomination.status not in CLOSED_NOMINATIONS:
            nomination.status, nomination.status_changed_on = NominationStatus.STARTED, timezone.localdate()
            nomination.save(update_fields=["status", "status_changed_on", "updated_at"])
        JobStartLink.objects.create(job_start=job, vacancy=vacancy, nomination=nomination, created_by=actor.user)
        announce(
            EmployerEvent.STARTED_FROM_VACANCY,
            StartedFromVacancy(job.pk, vacancy.pk, case.delivery_partner_id, start_date),
        )
    return job
