"""What the programmes app keeps from the case events, in the announcing service's transaction:
the case's place on a programme, the outcome dates the performance tables read, the leaving
status, and the claims (`engine`). Registered, in this order, from `ProgrammesConfig.ready()`."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from django.db.models import Func, Q
from django.db.models.functions import Greatest, Least

from joinedup.cases import selectors as case_selectors
from joinedup.cases.events import (
    CaseEvent,
    ContactRecorded,
    Enrolled,
    JobStarted,
    LeftSupport,
    MilestoneRecorded,
    Reengaged,
)
from joinedup.core.events import Event, Subscriber

from . import engine
from .models import Participation, Programme
from .services.participants import participation_join, set_leaving
from .tally import tallied

EMPLOYED_DESTINATIONS = frozenset({"paid_work", "self_employed"})
EDUCATION_DESTINATIONS = frozenset({"education"})
EMPLOYER_CONTACT = "employer_contact"
IN_WORK_SUPPORT = "in_work_support"


def _participation(case_id: UUID) -> Participation | None:
    return Participation.objects.select_related("programme").filter(case_id=case_id).first()


def join_programme(event: Enrolled) -> None:
    """A case joins the programme its partner is contracted on, when there is exactly one running
    on the day it starts (with more, the adviser chooses on the case's programme page)."""
    running = Programme.objects.filter(
        contracts__partner_id=event.delivery_partner_id,
        starts_on__lte=event.enrolled_on,
        ends_on__gte=event.enrolled_on,
    ).distinct()[:2]
    if len(running) != 1:
        return
    participation = participation_join(
        programme=running[0], case_id=event.case_id, partner_id=event.delivery_partner_id, started_on=event.enrolled_on
    )
    facts = case_selectors.case_facts(event.case_id)
    engine.claim_attachment(participation, facts.eligibility_evidence if facts else "")


def see_job_start(event: JobStarted) -> None:
    participation = _participation(event.case_id)
    if participation is None:
        return
    with tallied(participation.pk, participation.programme_id):
        Participation.objects.filter(pk=participation.pk).update(
            first_job_on=Least("first_job_on", event.start_date) if participation.first_job_on else event.start_date
        )
    entry = engine.job_entry_seen(participation, event.job_start_id, event.start_date, event.contract_type)
    engine.claim_job_entry(participation, entry)


def see_milestone(event: MilestoneRecorded) -> None:
    participation = _participation(event.case_id)
    if participation is None or not event.in_work or event.weeks is None:
        return
    if event.weeks == 26 and participation.sustained_on is None:
        with tallied(participation.pk, participation.programme_id):
            Participation.objects.filter(pk=participation.pk).update(sustained_on=event.achieved_on)
    engine.claim_sustained(participation, event.sustainment_id, event.job_start_id, event.weeks)


def see_contact(event: ContactRecorded) -> None:
    on = event.happened_on
    changes: dict[str, Func] = {"last_contact_on": Greatest("last_contact_on", on)}
    if event.kind == EMPLOYER_CONTACT:
        changes["first_employer_contact_on"] = Least("first_employer_contact_on", on)
    if event.kind == IN_WORK_SUPPORT:
        changes["in_work_support_on"] = Greatest("in_work_support_on", on)
    found = Participation.objects.filter(case_id=event.case_id)
    # GREATEST/LEAST of a NULL differ between databases: set the empty ones first.
    for column in changes:
        found.filter(Q(**{f"{column}__isnull": True})).update(**{column: on})
    found.update(**changes)


def see_leaving(event: LeftSupport) -> None:
    participation = _participation(event.case_id)
    if participation is None or participation.left_on is not None:
        return
    set_leaving(
        participation,
        event.closed_on,
        job_search=False,
        education=event.destination in EDUCATION_DESTINATIONS,
        qualification=participation.leaving_qualification,
        employed=event.destination in EMPLOYED_DESTINATIONS,
    )


def see_reengaged(event: Reengaged) -> None:
    """Back on support: not left, and no follow-up due until they leave again."""
    participation = _participation(event.case_id)
    if participation is None:
        return
    with tallied(participation.pk, participation.programme_id):
        Participation.objects.filter(pk=participation.pk).update(
            left_on=None,
            follow_up_due_on=None,
            leaving_job_search=False,
            leaving_education=False,
            leaving_employed=False,
        )


SUBSCRIBERS: dict[Event | str, Sequence[Subscriber]] = {
    CaseEvent.ENROLLED: [join_programme],
    CaseEvent.CONTACT_RECORDED: [see_contact],
    CaseEvent.JOB_STARTED: [see_job_start],
    CaseEvent.MILESTONE_RECORDED: [see_milestone],
    CaseEvent.LEFT_SUPPORT: [see_leaving],
    CaseEvent.REENGAGED: [see_reengaged],
}
