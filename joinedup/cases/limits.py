"""The length limits of what an adviser types into a case, each declared once with its one message.

A form field (`Limit.field`), the service's check (`Limit.check`) and the model's `max_length`
read the same `Limit`, so the number and the wording cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from joinedup.core.errors import DomainError


@dataclass(frozen=True)
class Limit:
    label: str  # the noun the message starts with: "Employer", "Job title"
    max_length: int

    @property
    def message(self) -> str:
        return f"{self.label} must be {self.max_length:,} characters or fewer."

    def check(self, value: str, *, field: str) -> None:
        """The service's check: a DomainError on `field` when `value` is too long."""
        if len(value) > self.max_length:
            raise DomainError(self.message, field=field)

    def field(self, label: str, *, required: str | None = None, **kwargs: Any) -> forms.CharField:
        """A form's text field with this limit. `required`: the message when it is left empty
        (without it the field is optional)."""
        messages = {"max_length": self.message}
        if required:
            messages["required"] = required
        return forms.CharField(
            label=label, max_length=self.max_length, required=bool(required), error_messages=messages, **kwargs
        )


# Enrolment and the caseload
ELIGIBILITY_EVIDENCE = Limit("Evidence", 2000)
NEXT_ACTION = Limit("Next action", 300)
# Contacts
CONTACT_NOTES = Limit("Notes", 5000)
# A message or note the person writes on their own pages (decision 022)
PERSON_MESSAGE = Limit("Your message", 1000)
# Work: job starts, milestones, job search, permitted work and volunteering
EMPLOYER = Limit("Employer", 200)
JOB_TITLE = Limit("Job title", 200)
WORK_EVIDENCE = Limit("Evidence", 2000)
ORGANISATION = Limit("Organisation", 200)
ROLE = Limit("Role", 200)
# The personal plan
GOAL = Limit("Goal", 500)
ACTION = Limit("Action", 500)
ACTION_OWNER_NAME = Limit("Name", 200)
REFERRAL_REASON = Limit("Reason", 1000)
# Wellbeing and assessment
ASSESSMENT_SUMMARY = Limit("Summary", 5000)
# Support: early help, exit and re-engagement
EMPLOYER_CONTACT = Limit("Employer contact", 300)
RETURN_PLAN_NOTES = Limit("Return-to-work plan", 2000)
EXIT_REASON = Limit("Reason", 2000)
REENGAGE_REASON = Limit("Reason", 2000)
# Better off in work
CHILDREN_AGES = Limit("Ages of the children", 100)
