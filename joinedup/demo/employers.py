"""The demo partnership's employers (issue 14): a dozen of the kinds the source reports name, with
sites, contacts, engagement, vacancies, a charter self-assessment, sickness absence, an advice request,
people put forward with consent, a job start from a vacancy with adjustments and an Access to Work
award, and a signed-in employer. Made through the employers services; idempotent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.cases.models import Case
from joinedup.directory.selectors import published_services
from joinedup.employers import placement, services, workplace
from joinedup.employers.invitations import employer_invite
from joinedup.employers.models import Employer

D = Decimal
DESCRIPTION = "Flexible about how the job is done; tell us what helps you work well."
QUESTION = "A member of staff with anxiety wants to return on reduced hours. What should a phased return plan include?"
# name, SIC section, size, Disability Confident, health award, postcode, Companies House number, publish
EMPLOYERS: list[tuple[str, str, str, str, str, str, str, bool]] = [
    (
        "Sherwood Forest Hospitals NHS Foundation Trust",
        "Q",
        "large",
        "leader",
        "charter_excellence",
        "NG17 4JL",
        "",
        True,
    ),
    ("Oakwood Home Care Ltd", "Q", "medium", "employer", "charter_commitment", "NG18 1AB", "08123456", True),
    ("Mansfield Precision Engineering Ltd", "C", "medium", "committed", "", "NG19 7JZ", "03456789", True),
    ("Trent Valley Foods Ltd", "C", "large", "employer", "bhaw_silver", "NG24 1AA", "02345678", True),
    ("Market Street Hardware", "G", "micro", "", "", "NG18 1HT", "", True),
    ("Sutton Superstore Ltd", "G", "large", "committed", "", "NG17 1BT", "04567890", True),
    ("Forest Town Cafe", "I", "micro", "", "", "NG19 0BQ", "", False),
    ("Bassetlaw Community Transport", "H", "small", "committed", "", "S80 1AA", "05678901", True),
    ("Newark Logistics Hub Ltd", "H", "large", "", "", "NG24 2AA", "06789012", True),
    ("Nottinghamshire County Council (employer)", "O", "large", "leader", "charter_achievement", "NG2 7QP", "", True),
    ("Ollerton Garden Centre", "G", "small", "", "", "NG22 9AA", "07890123", True),
    ("Worksop Print and Design", "M", "micro", "", "", "S81 7AA", "", False),
]
JOBS: dict[str, list[tuple[str, str, str, str, str]]] = {
    # title, kind, pattern, wage an hour, adjustments offered (comma-separated)
    "Sherwood Forest Hospitals NHS Foundation Trust": [
        ("Healthcare support worker", "job", "shifts", "12.95", "hours,equipment,support_worker"),
        ("Ward housekeeper", "job", "part_time", "12.95", "hours,duties"),
        ("Supported internship: hospital portering", "supported_internship", "part_time", "0", "support_worker"),
    ],
    "Oakwood Home Care Ltd": [("Care assistant", "job", "flexible", "12.80", "hours,travel")],
    "Mansfield Precision Engineering Ltd": [
        ("Machine operator apprentice", "apprenticeship", "full_time", "8.00", "equipment")
    ],
    "Trent Valley Foods Ltd": [("Production operative", "job", "shifts", "12.75", "hours")],
    "Market Street Hardware": [("Shop assistant (micro-job, Saturdays)", "micro_job", "part_time", "12.71", "hours")],
    "Sutton Superstore Ltd": [("Retail assistant", "job", "part_time", "12.90", "hours,workplace")],
    "Bassetlaw Community Transport": [("Volunteer driver's assistant", "volunteering", "flexible", "0", "hours")],
    "Newark Logistics Hub Ltd": [("Warehouse work trial", "work_trial", "full_time", "0", "")],
    "Ollerton Garden Centre": [("Garden centre assistant", "job", "term_time", "12.71", "hours")],
}


def _employer(actor: Any, row: tuple[str, str, str, str, str, str, str, bool], today: Any) -> Employer:
    name, sic, size, dc, award, postcode, number, publish = row
    data = services.EmployerInput(
        name=name,
        sic_section=sic,
        size_band=size,
        companies_house_number=number,
        disability_confident=dc,
        disability_confident_on=today - timedelta(days=400) if dc else None,
        disability_confident_expires_on=today + timedelta(days=700) if dc else None,
        health_award=award,
        health_award_on=today - timedelta(days=200) if award else None,
        publishes_vacancies=publish,
    )
    return services.employer_create(
        actor=actor, data=data, site=services.SiteInput(name="Main site", postcode=postcode), not_a_duplicate=True
    )


def _vacancies(actor: Any, employer: Employer, today: Any) -> list[Any]:
    out = []
    site = employer.sites.get()
    for title, kind, pattern, wage, adjustments in JOBS.get(employer.name, []):
        full = pattern == "full_time"
        out.append(
            services.vacancy_create(
                actor=actor,
                employer=employer,
                data=services.VacancyInput(
                    title=title,
                    site_id=site.pk,
                    description=f"{title} with {employer.name}. {DESCRIPTION}",
                    hours_min=D(37) if full else D(16),
                    hours_max=D(37) if full else D(25),
                    pattern=pattern,
                    contract_type="apprenticeship" if kind == "apprenticeship" else "permanent",
                    wage=D(wage),
                    wage_period="hour",
                    age_band="apprentice" if kind == "apprenticeship" else "21_and_over",
                    kind=kind,
                    openings=2,
                    closing_on=today + timedelta(days=45),
                    how_to_apply="Ask your Personal Adviser to put you forward.",
                    adjustments_offered=[a for a in adjustments.split(",") if a],
                    guaranteed_interview=bool(employer.disability_confident) and kind == "job",
                    status="open",
                ),
            )
        )
    return out


def _engagement(actor: Any, employer: Employer, today: Any, i: int) -> None:
    services.contact_add(
        actor=actor,
        employer=employer,
        name="Jo Bramley",
        role="HR manager",
        email=f"hr{i}@employer.example",
        phone="01623 000000",
        agreed_to_contact=True,
    )
    for days, kind, channel, notes in (
        (60 + i, "first_contact", "visit", "Met the HR manager; interested in inclusive recruitment."),
        (20 + i, "vacancy_discussion", "phone", "Agreed to list vacancies with adjustments."),
    ):
        services.engagement_record(
            actor=actor,
            employer=employer,
            happened_on=today - timedelta(days=days),
            kind=kind,
            channel=channel,
            notes=notes,
        )
    services.engagement_record(
        actor=actor,
        employer=employer,
        happened_on=today,
        kind="charter_support",
        channel="email",
        notes="Sent the charter self-assessment.",
        follow_up="Check the self-assessment is done",
        follow_up_on=today + timedelta(days=10),
    )


def _workplace(member: Any, employer: Employer, today: Any) -> None:
    answers = [
        workplace.Answer(s, lv, lv != "excellence" or s in ("leadership", "mental_health"), "Policy seen")
        for s in (
            "leadership",
            "attendance",
            "health_safety",
            "mental_health",
            "smoking",
            "physical_activity",
            "healthy_eating",
            "alcohol",
        )
        for lv in ("commitment", "achievement", "excellence")
    ]
    workplace.assessment_record(
        actor=member, employer=employer, assessed_on=today - timedelta(days=30), answers=answers
    )
    for quarter in range(3):
        end = today.replace(day=1) - timedelta(days=1 + 91 * quarter)
        workplace.absence_record(
            actor=member,
            employer=employer,
            period_start=end - timedelta(days=90),
            period_end=end,
            days_lost=D(120 + 15 * quarter),
            headcount=60,
        )
    provider = published_services().first()
    if provider is not None:
        workplace.advice_request(
            actor=member,
            employer=employer,
            provider_id=provider.pk,
            about_employee=True,
            urgency="soon",
            question=QUESTION,
        )


def _placements(adviser: Any, vacancies: list[Any], today: Any) -> None:
    cases = list(
        Case.objects.filter(delivery_partner_id=adviser.organisation_id, stage="enrolled").order_by("enrolled_on")[:6]
    )
    for i, case in enumerate(cases):
        placement.work_preferences_set(
            actor=adviser,
            case=case,
            data=placement.PreferencesInput(
                hours_min=D(16),
                hours_max=D(25),
                travel_districts=["NG17", "NG18", "NG19"],
                kinds=["job", "work_trial"],
                adjustments_needed=["hours"] if i % 2 else [],
            ),
        )
    if len(cases) < 2 or not vacancies:
        return
    hcsw = vacancies[0]
    for case in cases[:2]:
        placement.put_forward(
            actor=adviser,
            case=case,
            vacancy=hcsw,
            consent_given=True,
            expires_on=today + timedelta(days=90),
            shares_contact=True,
            shares_adjustments=True,
        )
    job = placement.job_start_from_vacancy(
        actor=adviser, case=cases[0], vacancy=hcsw, start_date=today - timedelta(days=35), hours_per_week=D(22)
    )
    workplace.adjustment_record(
        actor=adviser,
        job=job,
        kind="equipment",
        description="Supportive footwear and a seat on long shifts",
        who_pays="access_to_work",
        in_place_on=today - timedelta(days=20),
    )
    workplace.adjustment_record(
        actor=adviser, job=job, kind="hours", description="Later start on clinic days", who_pays="no_cost"
    )
    workplace.access_to_work_set(
        actor=adviser,
        job=job,
        status="awarded",
        elements=["equipment", "mental_health"],
        applied_on=today - timedelta(days=33),
        decided_on=today - timedelta(days=21),
    )


def load_employer_demo(*, members: dict[str, Any], password: str) -> int:
    """The demo employers, once (nothing is made when they are already there). Returns how many."""
    if Employer.objects.filter(name=EMPLOYERS[0][0]).exists():
        return 0
    adviser, manager = members["pa.framework"], members["manager.framework"]
    today = timezone.localdate()
    with transaction.atomic():
        made = []
        for i, row in enumerate(EMPLOYERS):
            employer = _employer(adviser if i % 3 else manager, row, today)
            _engagement(adviser, employer, today, i)
            made.append((employer, _vacancies(adviser, employer, today)))
        nhs = made[0][0]
        invitation = employer_invite(actor=manager, employer=nhs, email="employer.nhs@example.org")
        user = invitation.membership.user
        user.username, user.first_name, user.last_name = "employer.nhs", "Rachel", "Hinds"
        user.set_password(password)
        user.save()
        nhs.refresh_from_db()
        _workplace(invitation.membership, nhs, today)
        _placements(adviser, made[0][1], today)
    return len(made)
