"""Factories that build real records through the real services, and the small partnership most tests use."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from joinedup.organisations.models import Membership, Organisation, OrganisationKind, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password("correct-horse-battery")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.DELIVERY_PARTNER


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PERSONAL_ADVISER


PASSWORD = "correct-horse-battery"  # noqa: S105 - the test users' password, not a secret


def referral_input(**overrides):
    from joinedup.referrals.services import ReferralInput

    values = {
        "given_name": "Siobhán",
        "family_name": "O'Connor-Łukasz",
        "date_of_birth": date(1988, 4, 12),
        "postcode": "ng18 1ab",
        "employment_status": "unemployed",
        "health_condition": "mental_health",
        "help_wanted": "Finding part-time work while I manage my anxiety",
        "consent_referral": True,
        "consent_share_progress": True,
        "email": "siobhan@example.com",
        "phone": "07700 900982",
        "nhs_number": "9434765919",
        "benefits": ["uc_lcw"],
    }
    values.update(overrides)
    return ReferralInput(**values)


class Partnership:
    """A small partnership with one membership per role, two delivery partners and two referrers."""

    def __init__(self) -> None:
        org = OrganisationFactory
        self.lead = org(name="Lead County Council", kind=OrganisationKind.LEAD_BODY)
        self.partner_a = org(name="Partner A", kind=OrganisationKind.DELIVERY_PARTNER)
        self.partner_b = org(name="Partner B", kind=OrganisationKind.DELIVERY_PARTNER)
        self.gp = org(name="Test GP Practice", kind=OrganisationKind.GP_PRACTICE)
        self.jobcentre = org(name="Test Jobcentre", kind=OrganisationKind.JOBCENTRE)
        m = MembershipFactory
        self.referrer = m(user__username="referrer", organisation=self.gp, role=Role.REFERRER)
        self.other_referrer = m(user__username="jc_referrer", organisation=self.jobcentre, role=Role.REFERRER)
        self.adviser_a = m(user__username="adviser_a", organisation=self.partner_a, role=Role.PERSONAL_ADVISER)
        self.adviser_b = m(user__username="adviser_b", organisation=self.partner_b, role=Role.PERSONAL_ADVISER)
        self.manager_a = m(user__username="manager_a", organisation=self.partner_a, role=Role.PARTNER_MANAGER)
        self.programme = m(user__username="programme", organisation=self.lead, role=Role.PROGRAMME_MANAGER)
        self.analyst = m(user__username="analyst", organisation=self.lead, role=Role.ANALYST)
        self.admin = m(user__username="administrator", organisation=self.lead, role=Role.ADMINISTRATOR)
        self.employer_org = org(name="Test Employer Ltd", kind=OrganisationKind.EMPLOYER)
        self.employer = m(user__username="employer", organisation=self.employer_org, role=Role.EMPLOYER)

    def by_role(self) -> dict[str, Membership]:
        return {
            Role.REFERRER: self.referrer,
            Role.PERSONAL_ADVISER: self.adviser_a,
            Role.PARTNER_MANAGER: self.manager_a,
            Role.PROGRAMME_MANAGER: self.programme,
            Role.ANALYST: self.analyst,
            Role.ADMINISTRATOR: self.admin,
            Role.EMPLOYER: cast(Membership, self.employer),
        }

    # Journey helpers, each through the real services.
    def refer(self, *, by: Membership | None = None, **overrides):
        from joinedup.referrals.services import referral_create

        referral, _ = referral_create(
            actor=by or self.referrer, data=referral_input(**overrides), submission_key=uuid.uuid4()
        )
        return referral

    def assign(self, referral, *, partner=None, adviser=None):
        from joinedup.referrals.services import referral_assign

        return referral_assign(
            referral=referral,
            actor=self.programme,
            delivery_partner=partner or self.partner_a,
            adviser=(adviser or self.adviser_a).user,
        )

    def enrol(self, referral, *, adviser=None, days_ago: int = 0):
        from joinedup.cases.services import case_enrol

        return case_enrol(
            referral=referral,
            actor=adviser or self.adviser_a,
            enrolled_on=timezone.localdate() - timedelta(days=days_ago),
            eligibility_confirmed=True,
            eligibility_evidence="UC award letter seen",
            consent_to_support=True,
        )

    def job_start(self, case, *, days_ago: int = 0, adviser=None):
        from joinedup.cases.models import JobStart
        from joinedup.cases.services import job_start_record

        # The same employer and start date twice is refused as a duplicate: a further job start on the
        # same day is with another employer ("Boots", then "Boots 2", ...).
        start_date = timezone.localdate() - timedelta(days=days_ago)
        same_day = JobStart.objects.filter(case=case, start_date=start_date).count()
        return job_start_record(
            case=case,
            actor=adviser or self.adviser_a,
            employer_name="Boots" if not same_day else f"Boots {same_day + 1}",
            job_title="Retail assistant",
            hours_per_week=Decimal("16"),
            hourly_pay=Decimal("12.21"),
            start_date=start_date,
        )
