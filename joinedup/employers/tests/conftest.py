import pytest
from django.utils import timezone

from joinedup.cases.models import JobStart
from joinedup.employers.placement import PreferencesInput, put_forward, work_preferences_set
from joinedup.testkit.employers import employer, employer_member, vacancy


class World:
    """Partner A holds employer A (with a vacancy, a member who signs in, a person put forward);
    employer B (also held by A) has its own member and vacancy."""

    def __init__(self, p) -> None:
        from datetime import timedelta

        self.p = p
        self.case = p.enrol(p.assign(p.refer(given_name="Asha", family_name="Khan")))
        work_preferences_set(actor=p.adviser_a, case=self.case, data=PreferencesInput(travel_districts=["NG18"]))
        self.employer = employer(p.adviser_a, publishes_vacancies=True)
        self.vacancy = vacancy(p.adviser_a, self.employer)
        self.member = employer_member(self.employer)
        self.other = employer(p.adviser_a, name="Other Employer Ltd", postcode="NG19 7AA")
        self.other_vacancy = vacancy(p.adviser_a, self.other, title="Warehouse operative")
        self.other_member = employer_member(self.other, email="b@other.example")
        self.nomination = put_forward(
            actor=p.adviser_a,
            case=self.case,
            vacancy=self.vacancy,
            consent_given=True,
            expires_on=timezone.localdate() + timedelta(days=60),
            shares_contact=True,
        )
        self.job = p.job_start(self.case)

    def members(self) -> dict:
        p = self.p
        return {
            "referrer": p.referrer,
            "adviser_a": p.adviser_a,
            "adviser_b": p.adviser_b,
            "manager_a": p.manager_a,
            "programme": p.programme,
            "analyst": p.analyst,
            "admin": p.admin,
            "employer_a": self.member,
            "employer_b": self.other_member,
        }


@pytest.fixture
def world(partnership) -> World:
    return World(partnership)


__all__ = ["JobStart"]
