"""Each length limit is declared once (`cases/limits.py`): the form, the service and the model read it,
and say the same thing in the same words."""

from __future__ import annotations

from functools import partial

import pytest
from django.utils import timezone

from joinedup.cases import limits
from joinedup.cases.enrolment.forms import NextStepForm
from joinedup.cases.enrolment.models import Case
from joinedup.cases.plan.forms import GoalForm, PlanActionForm
from joinedup.cases.plan.models import PlanAction, PlanGoal
from joinedup.cases.support.forms import EarlyHelpForm, ExitForm
from joinedup.cases.support.models import CaseExit, EarlyHelp
from joinedup.cases.work.forms import JobApplicationForm, JobStartForm, WorkActivityForm
from joinedup.cases.work.models import JobApplication, JobStart, WorkActivity
from joinedup.cases.work.services import job_application_record, job_start_record, work_activity_record
from joinedup.core.errors import DomainError

from .test_services import backdate


def test_one_wording_for_every_limit():
    assert limits.EMPLOYER.message == "Employer must be 200 characters or fewer."
    assert limits.EXIT_REASON.message == "Reason must be 2,000 characters or fewer."
    declared = [v for v in vars(limits).values() if isinstance(v, limits.Limit)]
    assert len(declared) == 19  # PERSON_MESSAGE: the person writes on their own pages (issue 20)
    for limit in declared:
        assert limit.message == f"{limit.label} must be {limit.max_length:,} characters or fewer."


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        (Case, "eligibility_evidence", limits.ELIGIBILITY_EVIDENCE),
        (Case, "next_action", limits.NEXT_ACTION),
        (JobStart, "employer_name", limits.EMPLOYER),
        (JobStart, "job_title", limits.JOB_TITLE),
        (JobApplication, "employer_name", limits.EMPLOYER),
        (WorkActivity, "role", limits.ROLE),
        (PlanGoal, "text", limits.GOAL),
        (PlanAction, "owner_name", limits.ACTION_OWNER_NAME),
        (CaseExit, "reason", limits.EXIT_REASON),
        (EarlyHelp, "employer_contact", limits.EMPLOYER_CONTACT),
    ],
)
def test_the_models_read_the_limits(model, field, limit):
    assert model._meta.get_field(field).max_length == limit.max_length


@pytest.mark.parametrize(
    ("form", "field", "limit"),
    [
        (JobStartForm, "employer_name", limits.EMPLOYER),
        (JobStartForm, "job_title", limits.JOB_TITLE),
        (JobStartForm, "evidence", limits.WORK_EVIDENCE),
        (JobApplicationForm, "employer_name", limits.EMPLOYER),
        (WorkActivityForm, "organisation_name", limits.ORGANISATION),
        (WorkActivityForm, "role", limits.ROLE),
        (NextStepForm, "next_action", limits.NEXT_ACTION),
        (GoalForm, "text", limits.GOAL),
        (PlanActionForm, "owner_name", limits.ACTION_OWNER_NAME),
        (ExitForm, "reason", limits.EXIT_REASON),
        (partial(EarlyHelpForm, starting=False), "plan_notes", limits.RETURN_PLAN_NOTES),
    ],
)
def test_a_form_refuses_one_character_too_many_with_the_limits_message(form, field, limit):
    bound = form({field: "x" * (limit.max_length + 1)})
    assert not bound.is_valid()
    assert bound.errors[field] == [limit.message]
    fine = form({field: "x" * limit.max_length})
    fine.is_valid()
    assert field not in fine.errors


@pytest.fixture
def case(partnership):
    return partnership.enrol(partnership.assign(backdate(partnership.refer(), 100)), days_ago=60)


def test_the_services_refuse_with_the_same_message_on_the_field(partnership, case):
    a, today, long = partnership.adviser_a, timezone.localdate(), "x" * 201
    job = {"hours_per_week": 16, "hourly_pay": 12, "start_date": today}
    with pytest.raises(DomainError) as refused:
        job_start_record(case=case, actor=a, employer_name="Tesco", job_title=long, **job)
    assert (refused.value.message, refused.value.field) == (limits.JOB_TITLE.message, "job_title")
    with pytest.raises(DomainError) as refused:
        job_application_record(case=case, actor=a, employer_name=long, job_title="Baker", applied_on=today)
    assert (refused.value.message, refused.value.field) == (limits.EMPLOYER.message, "employer_name")
    activity = {"kind": "volunteering", "hours_per_week": 4, "started_on": today}
    with pytest.raises(DomainError) as refused:
        work_activity_record(case=case, actor=a, organisation_name="Oxfam", role=long, **activity)
    assert (refused.value.message, refused.value.field) == (limits.ROLE.message, "role")
