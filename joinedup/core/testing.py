"""Test utilities: factories that build real records through the real services."""

from __future__ import annotations

import html
import uuid
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

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

    def by_role(self) -> dict[str, Membership]:
        return {
            Role.REFERRER: self.referrer,
            Role.PERSONAL_ADVISER: self.adviser_a,
            Role.PARTNER_MANAGER: self.manager_a,
            Role.PROGRAMME_MANAGER: self.programme,
            Role.ANALYST: self.analyst,
            Role.ADMINISTRATOR: self.admin,
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


class _Fields(HTMLParser):
    """The values of a page's form fields, as a browser would submit them (for tests: pages are
    Jinja2 templates, so a test reads what the page shows, not the view's context)."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, list[str]] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            self.inputs.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "select":
            self._select = a.get("name")
            self.options.setdefault(self._select or "", [])
        elif tag == "option" and self._select is not None:
            self.options[self._select].append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _fields(response) -> _Fields:
    parser = _Fields()
    parser.feed(response.content.decode())
    return parser


def loaded_fields(obj) -> dict:
    """Every loaded field of a model instance, which are deferred, and its database state: for
    tests that a read makes exactly the instances the ORM would (`core.compiled.CompiledQuery`)."""
    deferred = obj.get_deferred_fields()
    loaded = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname not in deferred}
    return {"loaded": loaded, "deferred": deferred, "db": obj._state.db, "adding": obj._state.adding}


def page_text(response) -> str:
    """The page's markup with its character references decoded, so that a name such as O'Brien
    (which the templates write as ``O&#39;Brien``) can be looked for as a person would read it."""
    return html.unescape(response.content.decode())


def input_value(response, name: str) -> str:
    """The value of the page's one input called `name` (hidden fields included)."""
    values = _fields(response).inputs.get(name, [])
    assert len(values) == 1, f"{len(values)} inputs called {name!r} on the page"
    return values[0]


def select_options(response, name: str) -> list[str]:
    """The option values of the page's select called `name`, in order ("" for a blank choice)."""
    options = _fields(response).options
    assert name in options, f"no select called {name!r} on the page"
    return options[name]
