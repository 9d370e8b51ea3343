"""The demo partnership: organisations from the source reports, one user per role, synthetic people.

Everything goes through the real services, so demo data obeys the same rules as real data. Dates
are back-dated afterwards so the journey spreads over the last year. Idempotent: each synthetic
referral has a fixed submission key, and a second run finds it instead of making another.
"""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker import Faker

from config.env import BASE_DIR
from joinedup.cases import services as case_services
from joinedup.cases.models import ActionOwner, AssessmentArea, ContactChannel, ContactKind
from joinedup.governance.demo import load_governance_demo
from joinedup.organisations.models import Membership, Organisation, OrganisationKind, Role
from joinedup.organisations.services import membership_add
from joinedup.outcomes.services import tallies_rebuild
from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition
from joinedup.referrals import services as referral_services
from joinedup.referrals import statuses
from joinedup.referrals.demo import load_route_demo
from joinedup.referrals.models import Referral, ReferralStatusChange

from .employers import EMPLOYERS as EMPLOYER_ROWS
from .employers import load_employer_demo
from .portal import load_portal_demo
from .programmes import programmes_activity, programmes_set_up
from .two_factor import demo_devices

EMPLOYER_DEMO_NAME = EMPLOYER_ROWS[0][0]

_UNIT = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward part of a postcode
DEMO_NAMESPACE = uuid.UUID("5b0f7f1e-3d7c-4c1e-9a55-6a1d2f0c9e01")

LEAD = "Nottinghamshire County Council"
PARTNERS = ["Framework Housing Association", "Nottingham CVS", "Derventio Housing Trust"]
REFERRERS = [
    ("Riverside Medical Practice, Mansfield", OrganisationKind.GP_PRACTICE),
    ("Let's Talk Wellbeing (NHS Talking Therapies)", OrganisationKind.TALKING_THERAPIES),
    ("Mansfield Jobcentre Plus", OrganisationKind.JOBCENTRE),
    ("Bassetlaw CVS social prescribing", OrganisationKind.OTHER_REFERRER),
    ("Nottinghamshire adult social care", OrganisationKind.SOCIAL_CARE),
    ("Nottinghamshire community mental health team", OrganisationKind.COMMUNITY_MENTAL_HEALTH),
    ("Victory Housing Association", OrganisationKind.HOUSING),
]
OTHERS = [
    ("Nottingham University Hospitals NHS Trust", OrganisationKind.EMPLOYER),
    ("The Work Foundation", OrganisationKind.EVALUATOR),
]

# username, full name, organisation, role — one demo sign-in per role, plus the GP system account.
DEMO_USERS = [
    ("gp.referrer", "Dr Amara Okafor", REFERRERS[0][0], Role.REFERRER),
    ("pa.framework", "Sam Whitworth", PARTNERS[0], Role.PERSONAL_ADVISER),
    ("manager.framework", "Priya Shah", PARTNERS[0], Role.PARTNER_MANAGER),
    ("programme.manager", "Helen Marsh", LEAD, Role.PROGRAMME_MANAGER),
    ("analyst", "Tom Barker", LEAD, Role.ANALYST),
    ("admin", "Grace Lindqvist", LEAD, Role.ADMINISTRATOR),
    ("demo-gp-system", "Riverside GP clinical system", REFERRERS[0][0], Role.REFERRER),
]
# Background staff who make and work the synthetic referrals (not printed).
STAFF = [
    ("pa.nottscvs", "Jordan Ellis", PARTNERS[1], Role.PERSONAL_ADVISER),
    ("pa.derventio", "Chris Naylor", PARTNERS[2], Role.PERSONAL_ADVISER),
] + [(f"referrer.{i}", f"Referrer {i}", name, Role.REFERRER) for i, (name, _k) in enumerate(REFERRERS[1:], 1)]

EMPLOYERS = [
    "Boots",
    "Nottingham City Transport",
    "Sherwood Forest Hospitals",
    "Experian",
    "Capital One",
    "Greggs",
    "Tesco",
    "Mansfield District Council",
    "Wilko",
    "a local care home",
]
JOBS = [
    "Warehouse operative",
    "Care assistant",
    "Customer service adviser",
    "Kitchen porter",
    "Cleaner",
    "Retail assistant",
    "Administrator",
    "Driver",
    "Groundworker",
    "Receptionist",
]
HELP = [
    "Getting back to work after a long time off sick",
    "Confidence and finding part-time work",
    "Working out what jobs I could do with my back condition",
    "Help with CV and interviews",
    "Worried about losing benefits if I work",
    "Staying in my job while I recover",
]
POSTCODE_DISTRICTS = ["NG18", "NG19", "NG20", "NG21", "NG17", "NG15", "NG5", "NG7", "S80", "S81", "NG22", "NG24"]


@dataclass
class DemoResult:
    password: str
    users: list[tuple[str, str, str]]
    people: int
    created: int
    people_you: list[tuple[str, str]] = field(default_factory=list)  # issue 20: (email, name) for /you/


def demo_password() -> str:
    """A per-checkout demo password kept in var/ (never in the repo), made on first use."""
    path = BASE_DIR / "var" / "demo_password"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text("demo-" + secrets.token_urlsafe(9), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def _organisations() -> dict[str, Organisation]:
    orgs = {}
    specs = [(LEAD, OrganisationKind.LEAD_BODY)] + [(p, OrganisationKind.DELIVERY_PARTNER) for p in PARTNERS]
    for name, kind in specs + REFERRERS + OTHERS:
        orgs[name], _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    return orgs


def _user(username: str, full_name: str, org: Organisation, role: str, password: str) -> Membership:
    User = get_user_model()
    first, _, last = full_name.partition(" ")
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    return membership_add(user=user, organisation=org, role=role)


def _backdate(referral: Referral, when: datetime) -> None:
    Referral.objects.filter(pk=referral.pk).update(created_at=when, status_changed_at=when)
    ReferralStatusChange.objects.filter(referral=referral).update(at=when)
    referral.refresh_from_db()


def load_demo(*, people: int = 300, seed: int = 2026) -> DemoResult:
    password = demo_password()
    orgs = _organisations()
    members = {u: _user(u, n, orgs[o], r, password) for (u, n, o, r) in DEMO_USERS + STAFF}
    demo_devices(list(members.values()))  # issue 17: the second sign-in step, with the demo key
    referrers = [m for m in members.values() if m.role == Role.REFERRER and m.user.username != "demo-gp-system"]
    advisers = {m.organisation.name: m for m in members.values() if m.role == Role.PERSONAL_ADVISER}
    programme = members["programme.manager"]
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    today = timezone.localdate()
    programmes_set_up(manager=programme, partners=[orgs[p] for p in PARTNERS])  # issue 15, before enrolment
    created = 0
    for i in range(people):
        key, stage, data, referrer, partner, referred_at, plan = _draw(i, fake, rng, referrers, today)
        if Referral.objects.filter(submission_key=key).exists():
            continue  # made by an earlier run
        with transaction.atomic():
            referral, _ = referral_services.referral_create(
                actor=referrer, data=data, submission_key=key, channel="command"
            )
            created += 1
            _backdate(referral, referred_at)
            _advance(referral, stage, programme, advisers[partner], orgs[partner], referred_at.date(), plan, today)
    created += load_route_demo(members=members, partner=orgs[PARTNERS[0]])  # issue 4: routes and routing
    created += load_governance_demo(admin=members["admin"])  # issue 17: an agreement, a request
    programmes_activity(manager=programme, advisers=advisers, seed=seed)  # issue 15: ESF data, claims
    employers = load_employer_demo(members=members, password=password)  # issue 14: employers and vacancies
    people_you = load_portal_demo(  # issue 20: two people who can sign in to their own pages
        referrer=members["gp.referrer"], programme=programme, adviser=members["pa.framework"]
    )
    if created or employers:
        tallies_rebuild()  # the referrals were back-dated after the services counted them this month
    return DemoResult(
        password=password,
        users=[(u, n, f"{Role(r).label}, {o}") for (u, n, o, r) in DEMO_USERS]
        + [("employer.nhs", "Rachel Hinds", f"{Role.EMPLOYER.label}, {EMPLOYER_DEMO_NAME}")],
        people=Referral.objects.count(),
        created=created,
        people_you=people_you,
    )


def _draw(i: int, fake: Faker, rng: random.Random, referrers: list[Membership], today):
    """Every random value for demo person `i`, drawn up front so each person is the same on every run."""
    key = uuid.uuid5(DEMO_NAMESPACE, f"demo-person-{i}")
    stage = rng.choices(
        ["received", "assigned", "declined", "enrolled", "in_work", "sustained_13", "sustained_26"],
        weights=[12, 8, 5, 35, 15, 12, 13],
    )[0]
    days_ago = {
        "received": rng.randint(0, 20),
        "assigned": rng.randint(5, 40),
        "declined": rng.randint(5, 200),
        "enrolled": rng.randint(20, 360),
        "in_work": rng.randint(60, 360),
        "sustained_13": rng.randint(140, 360),
        "sustained_26": rng.randint(230, 365),
    }[stage]
    dob = fake.date_of_birth(minimum_age=18, maximum_age=64)
    sex = rng.choice(["m", "f"])
    data = referral_services.ReferralInput(
        given_name=fake.first_name_male() if sex == "m" else fake.first_name_female(),
        family_name=fake.last_name(),
        date_of_birth=dob,
        postcode=f"{rng.choice(POSTCODE_DISTRICTS)} {rng.randint(1, 9)}{''.join(rng.choices(_UNIT, k=2))}",
        employment_status=rng.choices(EmploymentStatus.values, weights=[45, 35, 12, 8])[0],
        health_condition=rng.choices(HealthCondition.values, weights=[45, 20, 12, 5, 5, 4, 4, 2, 3, 2])[0],
        help_wanted=rng.choice(HELP),
        consent_referral=True,
        consent_share_progress=rng.random() < 0.85,
        email=fake.free_email() if rng.random() < 0.7 else "",
        phone=fake.cellphone_number() if rng.random() < 0.8 else "",
        benefits=rng.choice(
            [
                [Benefit.UC],
                [Benefit.UC_LCW],
                [Benefit.UC_LCWRA],
                [Benefit.ESA],
                [Benefit.ESA, Benefit.PIP],
                [Benefit.UC_LCWRA, Benefit.PIP],
                [Benefit.NONE],
            ]
        ),
    )
    referrer = rng.choice(referrers)
    partner = rng.choice(PARTNERS)
    referred_at = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(10, 0)))
    plan = [
        rng.randint(1, 14),
        rng.randint(3, 20),
        rng.randint(15, 50),
        rng.randint(3, 9),
        rng.randint(0, 6),
        rng.choice(EMPLOYERS),
        rng.choice(JOBS),
        rng.choice([16, 20, 25, 30, 37.5]),
        rng.choice(["12.21", "12.60", "13.10", "14.00"]),
    ]
    return key, stage, data, referrer, partner, referred_at, plan


def _advance(referral, stage, programme, adviser, partner, referred_on, plan, today) -> None:
    """Move one synthetic referral along the journey to `stage`, through the real services."""
    assign_gap, enrol_gap, job_gap, contacts, extra, employer, job, hours, pay = plan
    if stage == "received":
        return
    if stage == "declined":
        referral_services.referral_decline(
            referral=referral, actor=programme, reason="Already getting similar support from another programme"
        )
        return
    referral = referral_services.referral_assign(
        referral=referral, actor=programme, delivery_partner=partner, adviser=adviser.user, reason=""
    )
    ReferralStatusChange.objects.filter(referral=referral, to_status=statuses.ASSIGNED).update(
        at=timezone.make_aware(datetime.combine(min(today, referred_on + timedelta(days=assign_gap)), time(11, 0)))
    )
    if stage == "assigned":
        return
    enrolled_on = min(today, referred_on + timedelta(days=assign_gap + enrol_gap))
    case = case_services.case_enrol(
        referral=referral,
        actor=adviser,
        enrolled_on=enrolled_on,
        eligibility_confirmed=True,
        eligibility_evidence="Benefit award letter seen",
        consent_to_support=True,
    )
    ReferralStatusChange.objects.filter(referral=referral, to_status=statuses.ENROLLED).update(
        at=timezone.make_aware(datetime.combine(enrolled_on, time(14, 0)))
    )
    span = max(1, (today - enrolled_on).days)
    for n in range(contacts):
        case_services.contact_record(
            case=case,
            actor=adviser,
            happened_on=enrolled_on + timedelta(days=min(span, 7 * n)),
            channel=ContactChannel.values[n % 4],
            kind=ContactKind.SUPPORT if n < 3 else ContactKind.JOB_SEARCH,
            duration_minutes=30 + 15 * (n % 3),
            notes="",
        )
    _workspace(case, adviser, enrolled_on, today, random.Random(str(referral.submission_key)))
    if stage == "enrolled":
        return
    _into_work(case, stage, adviser, enrolled_on, plan, today)


def _into_work(case, stage, adviser, enrolled_on, plan, today) -> None:
    """The job start of a case planned into work, with its sustainments up to `stage`."""
    _assign_gap, _enrol_gap, job_gap, _contacts, extra, employer, job, hours, pay = plan
    start = min(today - timedelta(days=1), enrolled_on + timedelta(days=job_gap))
    if stage == "sustained_13":
        start = min(start, today - timedelta(weeks=13, days=extra))
    if stage == "sustained_26":
        start = min(start, today - timedelta(weeks=26, days=extra))
    start = max(start, enrolled_on)
    job_start = case_services.job_start_record(
        case=case,
        actor=adviser,
        employer_name=employer,
        job_title=job,
        hours_per_week=Decimal(str(hours)),
        hourly_pay=Decimal(pay),
        start_date=start,
        evidence="Contract seen",
    )
    if job_start.due_on(4) <= today:
        case_services.sustainment_record(
            job_start=job_start,
            actor=adviser,
            weeks=4,
            achieved_on=min(today, job_start.due_on(4) + timedelta(days=extra)),
            evidence="Phoned the person: settling in well",
        )
    for weeks in (13, 26):
        due = job_start.due_on(weeks)
        if stage in ("sustained_13", "sustained_26") and (weeks == 13 or stage == "sustained_26") and due <= today:
            case_services.sustainment_record(
                job_start=job_start,
                actor=adviser,
                weeks=weeks,
                achieved_on=min(today, due + timedelta(days=extra)),
                evidence="Payslip seen",
            )


DEMO_GOALS = [
    "I want a job where I can be outside, not stuck in an office",
    "Get my confidence back so I can go to interviews",
    "Part-time work that fits round school pick-up",
    "Sort out my debts so I stop worrying all the time",
    "Use my forklift licence again",
]
DEMO_ACTIONS = [
    ("Update CV with the volunteering at the food bank", ActionOwner.PERSON),
    ("Find out about Access to Work for a support worker", ActionOwner.ADVISER),
    ("Book a debt advice appointment at Citizens Advice", ActionOwner.PERSON),
    ("Contact two local employers about work trials", ActionOwner.ADVISER),
]


def _workspace(case, adviser, enrolled_on, today, rng: random.Random) -> None:
    """Assessment, wellbeing, a plan and a next step for an enrolled case (its own seeded random numbers,
    so the people drawn by `load_demo` are the same as before these were added)."""
    area_start = {area: rng.randint(1, 4) for area in AssessmentArea.values}
    case_services.assessment_record(case=case, actor=adviser, assessed_on=enrolled_on, ratings=area_start)
    swemwbs = [rng.randint(1, 4) for _ in range(7)]
    case_services.wellbeing_record(
        case=case, actor=adviser, instrument="swemwbs", answers=swemwbs, recorded_on=enrolled_on, timepoint="start"
    )
    goal = case_services.plan_goal_add(case=case, actor=adviser, text=rng.choice(DEMO_GOALS))
    text, owner = rng.choice(DEMO_ACTIONS)
    case_services.plan_action_add(
        case=case, actor=adviser, goal=goal, description=text, owner=owner, due_on=enrolled_on + timedelta(days=14)
    )
    if (today - enrolled_on).days >= 56:
        review = enrolled_on + timedelta(days=56)
        better = {a: min(5, v + rng.randint(0, 2)) for a, v in area_start.items()}
        case_services.assessment_record(case=case, actor=adviser, assessed_on=review, ratings=better)
        case_services.wellbeing_record(
            case=case,
            actor=adviser,
            instrument="swemwbs",
            answers=[min(5, v + rng.randint(0, 1)) for v in swemwbs],
            recorded_on=review,
            timepoint="review",
        )
    case_services.case_next_step_set(
        case=case,
        actor=adviser,
        next_action=text,
        next_review_on=max(enrolled_on, today + timedelta(days=rng.randint(-10, 28))),
    )
