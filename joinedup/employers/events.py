"""What happens with employers, declared once (`joinedup.core.events`). The employers services
announce these inside their transaction; `outcomes.subscribers` keeps the monthly tallies."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from joinedup.core.events import Event, declare


@dataclass(frozen=True)
class EmployerEngaged:
    """The first engagement a partner logged with an employer in a month."""

    employer_id: uuid.UUID
    partner_id: uuid.UUID
    happened_on: date


@dataclass(frozen=True)
class VacancyOpened:
    vacancy_id: uuid.UUID
    partner_id: uuid.UUID  # the organisation holding the employer relationship
    opened_on: date


@dataclass(frozen=True)
class PutForward:
    nomination_id: uuid.UUID
    partner_id: uuid.UUID  # the person's delivery partner
    on: date


@dataclass(frozen=True)
class StartedFromVacancy:
    job_start_id: uuid.UUID
    vacancy_id: uuid.UUID
    partner_id: uuid.UUID
    start_date: date


class EmployerEvent:
    ENGAGED = Event("employers.engaged", EmployerEngaged)
    VACANCY_OPENED = Event("employers.vacancy_opened", VacancyOpened)
    PUT_FORWARD = Event("employers.put_forward", PutForward)
    STARTED_FROM_VACANCY = Event("employers.started_from_vacancy", StartedFromVacancy)


ALL = (
    EmployerEvent.ENGAGED,
    EmployerEvent.VACANCY_OPENED,
    EmployerEvent.PUT_FORWARD,
    EmployerEvent.STARTED_FROM_VACANCY,
)
declare(*ALL)
