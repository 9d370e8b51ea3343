"""The monthly tallies kept from the referral and case events, in the announcing service's transaction.

Registered, in this order, from `OutcomesConfig.ready()`. Each counts what `selectors.live_counts`
counts afresh, so the stored tallies and a recount agree (`tallies_differences`)."""

from __future__ import annotations

from joinedup.cases.events import CaseEvent, Enrolled, JobStarted, MilestoneRecorded
from joinedup.employers.events import EmployerEngaged, EmployerEvent, PutForward, StartedFromVacancy, VacancyOpened
from joinedup.referrals.events import PartnerChanged, Received, ReferralEvent

from .models import Measure
from .services import tally_add, tally_move


def count_referral(event: Received) -> None:
    """A referral received, in the month received, with no partner yet (in triage)."""
    tally_add(measure=Measure.REFERRALS, partner_id=None, on=event.received_at)


def move_referral(event: PartnerChanged) -> None:
    """A referral is counted by the partner it is with now: moved from the old to the new."""
    tally_move(
        measure=Measure.REFERRALS,
        old_partner_id=event.old_partner_id,
        new_partner_id=event.new_partner_id,
        on=event.received_at,
    )


def count_start(event: Enrolled) -> None:
    """A start, in the month the person was enrolled."""
    tally_add(measure=Measure.STARTS, partner_id=event.delivery_partner_id, on=event.enrolled_on)


def count_conversion(event: Enrolled) -> None:
    """A referral that started, in the month the referral was received."""
    tally_add(measure=Measure.CONVERTED, partner_id=event.delivery_partner_id, on=event.referral_created_at)


def count_job_start(event: JobStarted) -> None:
    tally_add(measure=Measure.JOB_STARTS, partner_id=event.delivery_partner_id, on=event.start_date)


def count_sustained_26(event: MilestoneRecorded) -> None:
    """26 weeks in work (still in work or in a changed job), in the month it was reached."""
    if event.weeks == 26 and event.in_work:
        tally_add(measure=Measure.SUSTAINED_26, partner_id=event.delivery_partner_id, on=event.achieved_on)


def count_employer_engaged(event: EmployerEngaged) -> None:
    tally_add(measure=Measure.EMPLOYERS_ENGAGED, partner_id=event.partner_id, on=event.happened_on)


def count_vacancy(event: VacancyOpened) -> None:
    tally_add(measure=Measure.VACANCIES, partner_id=event.partner_id, on=event.opened_on)


def count_put_forward(event: PutForward) -> None:
    tally_add(measure=Measure.PUT_FORWARD, partner_id=event.partner_id, on=event.on)


def count_vacancy_start(event: StartedFromVacancy) -> None:
    tally_add(measure=Measure.VACANCY_STARTS, partner_id=event.partner_id, on=event.start_date)


SUBSCRIBERS = {
    ReferralEvent.RECEIVED: [count_referral],
    ReferralEvent.PARTNER_CHANGED: [move_referral],
    CaseEvent.ENROLLED: [count_start, count_conversion],
    CaseEvent.JOB_STARTED: [count_job_start],
    CaseEvent.MILESTONE_RECORDED: [count_sustained_26],
    EmployerEvent.ENGAGED: [count_employer_engaged],
    EmployerEvent.VACANCY_OPENED: [count_vacancy],
    EmployerEvent.PUT_FORWARD: [count_put_forward],
    EmployerEvent.STARTED_FROM_VACANCY: [count_vacancy_start],
}
