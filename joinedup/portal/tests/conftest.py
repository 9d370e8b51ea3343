"""Fixtures for the person's own pages: a person referred, assigned and enrolled, with a plan, and a
browser-like client signed in as them through the emailed link (the real sign-in, the real queue)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from joinedup.cases.models import ActionOwner
from joinedup.cases.services import plan_action_add, plan_goal_add
from joinedup.jobs.models import Job, JobStatus
from joinedup.jobs.services import job_run

LINK = re.compile(r"https?://[^\s]+/you/sign-in/([0-9a-f-]{36})/([A-Za-z0-9_-]+)/")
CODE = re.compile(r"code on the page where you asked: (\d{6})")


def run_jobs() -> int:
    """Run what is queued (on_commit never fires inside a test's transaction)."""
    ran = 0
    for pk in Job.objects.filter(status=JobStatus.QUEUED).order_by("created_at").values_list("pk", flat=True):
        job_run(job_id=str(pk))
        ran += 1
    return ran


def emailed(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def link_in(message) -> tuple[str, str]:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1), found.group(2)


def code_in(message) -> str:
    found = CODE.search(message.body)
    assert found, message.body
    return found.group(1)


class Someone:
    """A person with a case and a plan (goal, two actions) at partner A, adviser A."""

    def __init__(self, p, *, given_name: str, email: str) -> None:
        self.email = email
        self.referral = p.assign(p.refer(given_name=given_name, family_name="Tester", email=email))
        self.case = p.enrol(self.referral)
        self.person = self.case.person
        goal = plan_goal_add(case=self.case, actor=p.adviser_a, text=f"{given_name} wants part-time work")
        due = timezone.localdate() + timedelta(days=14)
        self.action = plan_action_add(
            case=self.case,
            actor=p.adviser_a,
            description="Update my CV",
            owner=ActionOwner.PERSON,
            due_on=due,
            goal=goal,
        )
        self.other_action = plan_action_add(
            case=self.case, actor=p.adviser_a, description="Call the library", owner=ActionOwner.PERSON, due_on=due
        )


@pytest.fixture
def alice(partnership) -> Someone:
    return Someone(partnership, given_name="Alice", email="alice@example.com")


@pytest.fixture
def bob(partnership) -> Someone:
    return Someone(partnership, given_name="Bob", email="bob@example.com")


def sign_in(client: Client, email: str) -> Client:
    """Ask for a link, run the queue, follow the emailed link and press Continue."""
    before = len(emailed(email))
    response = client.post("/you/sign-in/", {"address": email})
    assert response.status_code == 302, response.content
    run_jobs()
    messages = emailed(email)
    assert len(messages) == before + 1
    pk, token = link_in(messages[-1])
    response = client.post(f"/you/sign-in/{pk}/{token}/")
    assert response.status_code == 302 and response["Location"] == "/you/"
    return client


@pytest.fixture
def as_alice(alice) -> Client:
    return sign_in(Client(), alice.email)
