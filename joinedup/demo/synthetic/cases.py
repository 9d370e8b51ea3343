"""Cases and the journey into work: a case per enrolment, about 40 contacts each (fewer for recent
ones), job starts and sustainment at 13 and 26 weeks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from joinedup.cases.enrolment import stages
from joinedup.cases.models import Case, Contact, ContactChannel, ContactKind, JobStart, Sustainment
from joinedup.demo.synth.base import NULL, check_copy_text, weighted_table

from . import synthetic

STAGES = [stages.ENROLLED, stages.IN_WORK, stages.SUSTAINED_13, stages.SUSTAINED_26, stages.CLOSED]
ELIGIBILITY = [
    "Benefit award letter seen",
    "Universal Credit journal seen",
    "Fit note seen",
    "GP letter confirming condition",
    "ESA award letter seen",
    "Confirmed with Jobcentre work coach",
]
NEXT_ACTIONS = [
    "Phone to check on job applications",
    "Review the plan together",
    "Meet at the library to update the CV",
    "Follow up with the employer",
    "Check in after the interview",
    "In-work support call",
    "Discuss the better-off calculation",
]
CHANNELS = {ContactChannel.PHONE: 40, ContactChannel.FACE_TO_FACE: 35, ContactChannel.VIDEO: 10}
CHANNELS[ContactChannel.MESSAGE] = 15
KINDS_BEFORE_WORK = {ContactKind.SUPPORT: 45, ContactKind.JOB_SEARCH: 40, ContactKind.EMPLOYER: 15}
KINDS_IN_WORK = {ContactKind.IN_WORK: 80, ContactKind.SUPPORT: 20}
MINUTES = {15: 15, 20: 10, 30: 35, 45: 20, 60: 15, 90: 5}
NOTES = [
    "",
    "Talked through goals for the next month",
    "Updated CV together",
    "Looked at vacancies on Find a job",
    "Practised interview questions",
    "Discussed managing symptoms at work",
    "Agreed to apply for two roles this week",
    "Checked in after a difficult week",
    "Better-off calculation done",
    "Spoke to employer about a work trial",
    "Reviewed action plan",
    "Referred to debt advice",
    "Talked about reasonable adjustments",
    "Discussed travel to work",
    "Supported with online application",
    "Discussed disclosing condition to employer",
    "In-work check-in: going well",
    "In-work check-in: talked through a problem with shifts",
    "Met employer with person to agree adjustments",
]
BLANK_NOTES = 35  # per cent of contacts with no note
JOBS = [
    "Warehouse operative", "Care assistant", "Customer service adviser", "Kitchen porter", "Cleaner",
    "Retail assistant", "Administrator", "Driver", "Groundworker", "Receptionist", "Support worker",
    "Picker packer", "Barista", "Chef", "Security officer", "Teaching assistant", "Delivery driver",
    "Call centre agent", "Data entry clerk", "Forklift driver", "Gardener", "Painter and decorator",
    "Housekeeper", "Porter", "Shelf stacker", "Production operative", "Bookkeeper", "Mechanic",
]  # fmt: skip
HOURS = ["16.0", "20.0", "22.5", "25.0", "30.0", "37.5", "16.0", "24.0"]
PAY_ABOVE_MINIMUM = [0, 0, 0, 0.19, 0.39, 0.79, 1.29, 2.29, 3.79]  # on top of 12.21 an hour
JOB_EVIDENCE = ["Contract seen", "Offer letter seen", "First payslip seen", "Confirmed by employer"]
SUSTAINMENT_EVIDENCE = ["Payslip seen", "Confirmed by employer", "Payslips seen", "RTI record checked"]
check_copy_text(ELIGIBILITY, NEXT_ACTIONS, NOTES, JOBS, JOB_EVIDENCE, SUSTAINMENT_EVIDENCE)


@synthetic(Case, demo="case_services.case_enrol, then case_next_step_set")
def cases(plan, row: Callable[..., str]) -> Iterator[str]:
    """The plan's stage; open cases have a next step, most reviews in the coming weeks, some overdue."""
    rng = plan.rng("cases")
    ids, referral, person = plan.ids["case"], plan.ids["referral"], plan.ids["person"]
    for i in plan.enrolled():
        ts = plan.ts(plan.t2[i])
        changed = ts
        last = max(plan.job[i], plan.s13[i], plan.s26[i], plan.closed[i])
        if last >= 0:
            changed = plan.day(last) + " 16:00:00"
        closed = plan.day(plan.closed[i]) if plan.closed[i] >= 0 else NULL
        eligibility = rng.choice(ELIGIBILITY)
        if plan.closed[i] >= 0:
            next_action, review = "", NULL
        else:
            next_action = rng.choice(NEXT_ACTIONS)
            review = date.fromordinal(max(plan.t2[i] // 1440, plan.cutoff_day - 14 + rng.randrange(56))).isoformat()
        uid = plan.adviser_uid(i)
        yield row(
            id=ids(i), created_at=ts, updated_at=changed, created_by=uid, referral=referral(i), person=person(i),
            delivery_partner=plan.partners[plan.partner[i]].id, adviser=uid, stage=STAGES[plan.stage[i]],
            enrolled_on=plan.day(plan.t2[i] // 1440), eligibility_evidence=eligibility, closed_on=closed,
            next_action=next_action, next_review_on=review,
        )  # fmt: skip


@synthetic(Contact, demo="case_services.contact_record for each planned contact")
def contacts(plan, row: Callable[..., str]) -> Iterator[str]:
    """12-70 contacts a case (about 40), spread over its span; in-work kinds after a job start."""
    rng = plan.rng("contacts")
    ids, case_ids = plan.ids["contact"], plan.ids["case"]
    getrandbits, gauss = rng.getrandbits, rng.gauss
    channels = weighted_table(CHANNELS, 32)
    before, after = weighted_table(KINDS_BEFORE_WORK, 32), weighted_table(KINDS_IN_WORK, 32)
    minutes = weighted_table(MINUTES, 16)
    notes = weighted_table({n: (BLANK_NOTES if not n else (100 - BLANK_NOTES) / (len(NOTES) - 1)) for n in NOTES}, 64)
    days, times, base = plan._days, plan._times, plan._day_base
    last_day = plan.cutoff_day - 1
    n = 0
    for i in plan.enrolled():
        cid, uid = case_ids(i), plan.adviser_uid(i)
        start = plan.t2[i] // 1440
        end = plan.closed[i] if plan.closed[i] >= 0 else last_day
        job = plan.job[i] if plan.job[i] >= 0 else 1 << 40
        span = max(0, end - start)
        count = min(max(12, min(70, int(gauss(40, 10)))), 1 + span // 5)
        gap = max(1, span // count)
        for k in range(count):
            r = getrandbits(48)
            d = min(end, start + k * gap + (r >> 24) % gap)
            kind = ContactKind.SUPPORT if k < 2 else (after if d >= job else before)[(r >> 5) & 31]
            ts = days[d - base] + times[540 + (r >> 30) % 480]
            yield row(
                id=ids(n), created_at=ts, updated_at=ts, created_by=uid, case=cid, happened_on=days[d - base],
                channel=channels[r & 31], kind=kind, duration_minutes=minutes[(r >> 10) & 15],
                notes=notes[(r >> 14) & 63],
            )  # fmt: skip
            n += 1


@synthetic(JobStart, demo="case_services.job_start_record for cases planned into work")
def job_starts(plan, row: Callable[..., str]) -> Iterator[str]:
    """About four in ten cases start a job, at or a little above the minimum wage."""
    rng = plan.rng("jobs")
    ids, case_ids = plan.ids["job"], plan.ids["case"]
    for i in plan.enrolled():
        if plan.job[i] < 0:
            continue
        ts = plan.day(plan.job[i]) + " 15:00:00"
        hours = rng.choice(HOURS)
        pay = f"{12.21 + rng.choice(PAY_ABOVE_MINIMUM):.2f}"
        evidence = rng.choice(JOB_EVIDENCE)
        yield row(
            id=ids(i), created_at=ts, updated_at=ts, created_by=plan.adviser_uid(i), case=case_ids(i),
            employer_name=rng.choice(plan.employers), job_title=rng.choice(JOBS), hours_per_week=hours,
            hourly_pay=pay, start_date=plan.day(plan.job[i]), evidence=evidence,
        )  # fmt: skip


@synthetic(Sustainment, demo="case_services.sustainment_record at 4, 13 and 26 weeks")
def sustainments(plan, row: Callable[..., str]) -> Iterator[str]:
    """The 13- and 26-week sustainments the plan reached by the as-of date."""
    rng = plan.rng("sustainments")
    ids, job_ids = plan.ids["sust"], plan.ids["job"]
    n = 0
    for i in plan.enrolled():
        for weeks, achieved in ((13, plan.s13[i]), (26, plan.s26[i])):
            if achieved < 0:
                continue
            ts = plan.day(achieved) + " 11:00:00"
            yield row(
                id=ids(n), created_at=ts, updated_at=ts, created_by=plan.adviser_uid(i), job_start=job_ids(i),
                weeks=weeks, achieved_on=plan.day(achieved), evidence=rng.choice(SUSTAINMENT_EVIDENCE),
            )  # fmt: skip
            n += 1
