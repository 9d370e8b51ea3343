"""The programme's participants (issue 15): a participation per case with its ESF characteristics,
leaving status and six-month follow-up; a job entry per job start; courses for some; expenses for
some; and the claims the case events made (attachment, job entry, 26-week sustained), each with its
evidence, those before the last full month gathered into paid monthly batches per partner and the
rest waiting to be claimed. The programme itself is set up through the services first
(`joinedup.demo.synth.programmes`), which also fills each participation's cohort snapshot from its
case and rebuilds the tallies after the load."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from joinedup.demo.synth.base import NULL, check_copy_text, weighted_table
from joinedup.demo.synth.programmes import amount
from joinedup.programmes.models import Claim, ClaimBatch, ClaimEvidence, Course, Expense, JobEntry, Participation

from . import synthetic

if TYPE_CHECKING:
    from joinedup.demo.synth.plan import Plan

GENDER = {"female": 48, "male": 50, "other": 2}
LABOUR_MARKET = {"unemployed": 25, "long_term_unemployed": 35, "inactive": 30, "inactive_education": 3}
LABOUR_MARKET["employed"] = 7
ISCED = {"isced0": 2, "isced1": 8, "isced2": 35, "isced3": 30, "isced4": 10, "isced5_8": 15}
YES_NO = {"yes": 30, "no": 70}
HOMELESS = {"yes": 8, "no": 92}
RURAL = {"yes": 20, "no": 80}
DISABILITY = {"yes": 45, "no": 45, "prefer_not": 10}
MINORITY = {"yes": 15, "no": 78, "prefer_not": 7}
OTHER = {"yes": 10, "no": 85, "prefer_not": 5}
DISTANCE = {"near": 30, "middle": 45, "far": 25}
FOLLOWED_UP = 0.6  # share of leavers whose six-month follow-up is done once due
COURSE_SHARE = 0.25  # share of participants on a course
EXPENSE_SHARE = 0.15  # share of participants with an expense paid
COURSES = [
    ("Functional Skills English", "entry"), ("Functional Skills maths", "1"), ("Food hygiene", "2"),
    ("Health and social care", "2"), ("Forklift licence", "none"), ("CSCS card", "1"), ("First aid at work", "none"),
    ("Customer service", "2"), ("Digital skills for work", "1"), ("Warehousing and storage", "2"),
    ("Security industry licence", "2"), ("Counselling skills", "3"),
]  # fmt: skip
PROVIDERS = ["Adult Learning Service", "City College", "Learn Direct Centre", "WEA", "Community Learning Hub"]
EXPENSES = {"travel": 45, "clothing": 20, "childcare": 15, "equipment": 15, "hardship": 5}
EXPENSE_AMOUNTS = ["12.40", "25.00", "38.60", "45.00", "60.00", "85.00", "120.00", "150.00"]
EXPENSE_NOTES = {
    "travel": "Bus pass for the first month in work",
    "clothing": "Interview clothes",
    "childcare": "Childcare for the first two weeks of the job",
    "equipment": "Safety boots for the job",
    "hardship": "Food and electricity until the first wage",
}
check_copy_text([c for c, _level in COURSES], PROVIDERS, EXPENSE_NOTES.values())


def _first_of_month(ordinal: int) -> date:
    return date.fromordinal(ordinal).replace(day=1)


def claimed_before(plan: Plan) -> date:
    """Claims achieved before the last full month before the as-of date are paid; the rest wait."""
    return (plan.as_of.replace(day=1) - timedelta(days=1)).replace(day=1)


def outcomes(plan: Plan, i: int) -> list[tuple[str, int]]:
    """The outcomes case `i` reached by the as-of date: (outcome, day)."""
    found = [("attachment", plan.t2[i] // 1440)]
    if plan.job[i] >= 0:
        found.append(("job_entry", plan.job[i]))
    if plan.s26[i] >= 0:
        found.append(("sustained", plan.s26[i]))
    return found


@synthetic(Participation, demo="programmes.participation_join when a case is enrolled, then esf_record")
def participations(plan: Plan, row: Callable[..., str]) -> Iterator[str]:
    """ESF characteristics in the proportions above (cohort columns filled from the case after the load)."""
    rng = plan.rng("participations")
    ids, case_ids = plan.ids["participation"], plan.ids["case"]
    tables = [
        weighted_table(t, 100)
        for t in (GENDER, LABOUR_MARKET, ISCED, YES_NO, YES_NO, YES_NO, HOMELESS, RURAL, DISABILITY, MINORITY)
    ]
    other, distance = weighted_table(OTHER, 100), weighted_table(DISTANCE, 100)
    last_day = plan.cutoff_day - 1
    for i in plan.enrolled():
        start = plan.t2[i] // 1440
        g, lms, isced, jobless, children, skills, homeless, rural, disability, minority = (
            t[rng.randrange(100)] for t in tables
        )
        single = "yes" if children == "yes" and rng.random() < 0.3 else "no"
        closed, job = plan.closed[i], plan.job[i]
        left = plan.day(closed) if closed >= 0 else NULL
        due = follow_up = NULL
        employed = improved = "f"
        if closed >= 0:
            due_day = closed + 182
            due = date.fromordinal(due_day).isoformat()
            if due_day < plan.cutoff_day and rng.random() < FOLLOWED_UP:
                follow_up = due
                employed = "t" if job >= 0 and rng.random() < 0.8 else "f"
                improved = "t" if employed == "t" or rng.random() < 0.3 else "f"
        last_contact = min(closed if closed >= 0 else last_day, start + 7 + rng.randrange(120))
        in_work = plan.day(min(last_day, job + 28)) if job >= 0 and job + 28 < plan.cutoff_day else NULL
        ts = plan.ts(plan.t2[i])
        yield row(
            id=ids(i), created_at=ts, updated_at=ts, programme=plan.programme_id, case=case_ids(i),
            partner=plan.partners[plan.partner[i]].id, started_on=plan.day(start), esf_recorded_on=plan.day(start),
            gender=g, labour_market_status=lms, isced=isced, jobless_household=jobless, dependent_children=children,
            single_adult_dependent_children=single, basic_skills_need=skills, homeless=homeless, rural=rural,
            disability=disability, ethnic_minority_migrant=minority, other_disadvantage=other[rng.randrange(100)],
            distance=distance[rng.randrange(100)], first_job_on=plan.day(job) if job >= 0 else NULL,
            sustained_on=plan.day(plan.s26[i]) if plan.s26[i] >= 0 else NULL,
            first_employer_contact_on=plan.day(min(last_day, start + 10 + rng.randrange(40))),
            last_contact_on=plan.day(last_contact), in_work_support_on=in_work, left_on=left,
            leaving_job_search="t" if closed >= 0 and job < 0 and rng.random() < 0.3 else "f",
            leaving_education="t" if closed >= 0 and rng.random() < 0.05 else "f",
            leaving_qualification="t" if closed >= 0 and rng.random() < 0.1 else "f",
            leaving_employed="t" if closed >= 0 and job >= 0 else "f",
            follow_up_due_on=due, follow_up_on=follow_up, follow_up_employed=employed, follow_up_improved=improved,
        )  # fmt: skip


@synthetic(JobEntry, demo="programmes.subscribers on case.job_started")
def job_entries(plan: Plan, row: Callable[..., str]) -> Iterator[str]:
    ids, job_ids, participation = plan.ids["job_entry"], plan.ids["job"], plan.ids["participation"]
    for i in plan.enrolled():
        if plan.job[i] >= 0:
            ts = plan.day(plan.job[i]) + " 15:00:00"
            yield row(
                id=ids(i), created_at=ts, updated_at=ts, participation=participation(i), job_start_id=job_ids(i),
                start_date=plan.day(plan.job[i]),
            )  # fmt: skip


@synthetic(Course, demo="programmes.course_record")
def courses(plan: Plan, row: Callable[..., str]) -> Iterator[str]:
    rng = plan.rng("courses")
    ids, participation = plan.ids["course"], plan.ids["participation"]
    n = 0
    for i in plan.enrolled():
        if rng.random() >= COURSE_SHARE:
            continue
        start = plan.t2[i] // 1440 + 14 + rng.randrange(60)
        if start >= plan.cutoff_day:
            continue
        name, level = rng.choice(COURSES)
        done = start + 20 + rng.randrange(60)
        completed = plan.day(done) if done < plan.cutoff_day and rng.random() < 0.8 else NULL
        gained = "t" if completed != NULL and level != "none" and rng.random() < 0.85 else "f"
        ts = plan.day(start) + " 10:00:00"
        yield row(
            id=ids(n), created_at=ts, updated_at=ts, created_by=plan.adviser_uid(i), participation=participation(i),
            name=name, provider=rng.choice(PROVIDERS), level=level, started_on=plan.day(start),
            completed_on=completed, qualification_gained=gained,
        )  # fmt: skip
        n += 1


@synthetic(Expense, demo="programmes.expense_request, then expense_decide")
def expenses(plan: Plan, row: Callable[..., str]) -> Iterator[str]:
    rng = plan.rng("expenses")
    ids, participation = plan.ids["expense"], plan.ids["participation"]
    kinds = weighted_table(EXPENSES, 100)
    n = 0
    for i in plan.enrolled():
        if rng.random() >= EXPENSE_SHARE:
            continue
        needed = plan.t2[i] // 1440 + 7 + rng.randrange(90)
        if needed >= plan.cutoff_day:
            continue
        kind = kinds[rng.randrange(100)]
        approved = rng.random() < 0.9
        ts = plan.day(needed) + " 09:30:00"
        yield row(
            id=ids(n), created_at=ts, updated_at=ts, created_by=plan.adviser_uid(i),
            budget=plan.budget_ids[plan.partners[plan.partner[i]].id], participation=participation(i), kind=kind,
            amount=rng.choice(EXPENSE_AMOUNTS), needed_on=plan.day(needed), note=EXPENSE_NOTES[kind],
            status="approved" if approved else "refused", decided_by=plan.programme_manager_uid,
            decided_at=plan.day(needed) + " 14:00:00",
        )  # fmt: skip
        n += 1


def _batches(plan: Plan) -> dict[tuple[int, date], list]:
    """The paid batches: (partner index, month) -> [n, total in pence], from the outcomes before the month claimed."""
    before = claimed_before(plan)
    batches: dict[tuple[int, date], list] = {}
    for i in plan.enrolled():
        for outcome, day in outcomes(plan, i):
            month = _first_of_month(day)
            if month < before:
                batch = batches.setdefault((plan.partner[i], month), [0, 0])
                batch[1] += round(float(amount(outcome)) * 100)
    for n, key in enumerate(sorted(batches)):
        batches[key][0] = n
    return batches


@synthetic(ClaimBatch, demo="programmes.claim_run, then batch_submit, batch_decide and batch_pay")
def claim_batches(plan: Plan, row: Callable[..., str]) -> Iterator[str]:
    """A paid batch per partner per month claimed; each total the sum of its claims (no delivery fee)."""
    ids = plan.ids["claim_batch"]
    plan.claim_batches = _batches(plan)
    for (partner, month), (n, pence) in sorted(plan.claim_batches.items(), key=lambda kv: kv[1][0]):
        nxt = (month + timedelta(days=32)).replace(day=1)
        submitted, decided, paid = nxt + timedelta(days=3), nxt + timedelta(days=10), nxt + timedelta(days=20)
        ts = f"{nxt.isoformat()} 09:00:00"
        yield row(
            id=ids(n), created_at=ts, updated_at=f"{paid.isoformat()} 12:00:00", programme=plan.programme_id,
            partner=plan.partners[partner].id, month=month.isoformat(), status="paid", delivery_fee="0.00",
            total=f"{pence / 100:.2f}", submitted_at=f"{submitted.isoformat()} 10:00:00",
            decided_at=f"{decided.isoformat()} 10:00:00", decided_by=plan.programme_manager_uid,
            paid_on=paid.isoformat(),
        )  # fmt: skip


def _claims(plan: Plan) -> Iterator[tuple[int, int, str, int, int | None]]:
    """(claim number, case index, outcome, day, batch number or None), in order."""
    n = 0
    for i in plan.enrolled():
        for outcome, day in outcomes(plan, i):
            batch = plan.claim_batches.get((plan.partner[i], _first_of_month(day)))
            yield n, i, outcome, day, batch[0] if batch else None
            n += 1


@synthetic(Claim, demo="programmes.subscribers making claims from the case events")
def claims(plan: Plan, row: Callable[..., str]) -> Iterator[str]:
    ids, participation, entry = plan.ids["claim"], plan.ids["participation"], plan.ids["job_entry"]
    batches = plan.ids["claim_batch"]
    for n, i, outcome, day, batch in _claims(plan):
        ts = plan.day(day) + " 17:00:00"
        yield row(
            id=ids(n), created_at=ts, updated_at=ts, programme=plan.programme_id, participation=participation(i),
            partner=plan.partners[plan.partner[i]].id, outcome=outcome, amount=amount(outcome),
            achieved_on=plan.day(day), job_entry=NULL if outcome == "attachment" else entry(i),
            status="pending" if batch is None else "paid", batch=NULL if batch is None else batches(batch),
        )  # fmt: skip


EVIDENCE = {"attachment": "enrolment", "job_entry": "job_start", "sustained": "sustainment"}
DESCRIBED = {"attachment": "Enrolled on the programme", "job_entry": "Job start", "sustained": "In work at 26 weeks"}


@synthetic(ClaimEvidence, demo="programmes.subscribers, with each claim's evidence")
def claim_evidence(plan: Plan, row: Callable[..., str]) -> Iterator[str]:
    """The record behind each claim: the case for an attachment, the job start for a job entry or a
    sustained job (the sustainment hangs off it)."""
    ids, claim_ids = plan.ids["claim_evidence"], plan.ids["claim"]
    case_ids, job_ids = plan.ids["case"], plan.ids["job"]
    for n, i, outcome, day, _batch in _claims(plan):
        record = case_ids(i) if outcome == "attachment" else job_ids(i)
        ts = plan.day(day) + " 17:00:00"
        yield row(
            id=ids(n), created_at=ts, updated_at=ts, claim=claim_ids(n), kind=EVIDENCE[outcome], record_id=record,
            happened_on=plan.day(day), described=DESCRIBED[outcome], document_note="Seen by the adviser",
        )  # fmt: skip
