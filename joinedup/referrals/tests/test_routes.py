"""Each referral route: the questions that referrer has, through the one `referral_create`; self-referral."""

from __future__ import annotations

import html
import time

import pytest
from django.core import signing
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.organisations.models import OrganisationKind, Role
from joinedup.people.models import Consent, Person
from joinedup.referrals import routes
from joinedup.referrals.forms import spam_token_issue
from joinedup.referrals.models import Referral
from joinedup.testkit import MembershipFactory, OrganisationFactory, input_value

from .test_views import counts, error_summary, form_data

# route -> (organisation kind, the route's own answers as posted, what is stored in details)
ROUTE_CASES = {
    "gp": (OrganisationKind.GP_PRACTICE, {"fit_note": "may_be_fit"}, {"fit_note": "may_be_fit"}),
    "social_prescribing": (
        OrganisationKind.OTHER_REFERRER,
        {"what_matters": "Getting out of the house"},
        {"what_matters": "Getting out of the house"},
    ),
    "first_contact_practitioner": (
        OrganisationKind.GP_PRACTICE,
        {"msk_area": "back", "fit_note": "not_fit"},
        {"msk_area": "back", "fit_note": "not_fit"},
    ),
    "talking_therapies": (
        OrganisationKind.TALKING_THERAPIES,
        {"treatment_step": "step_3"},
        {"treatment_step": "step_3"},
    ),
    "community_mental_health": (
        OrganisationKind.COMMUNITY_MENTAL_HEALTH,
        {"care_coordinator": "Jo Smith", "severe_mental_illness": "on"},
        {"care_coordinator": "Jo Smith", "severe_mental_illness": True},
    ),
    "social_worker": (
        OrganisationKind.SOCIAL_CARE,
        {"domestic_abuse": "on", "financial_difficulty": "on"},
        {
            "domestic_abuse": True,
            "homelessness": False,
            "disability": False,
            "financial_difficulty": True,
            "ex_offender": False,
        },
    ),
    "care_leaver": (
        OrganisationKind.SOCIAL_CARE,
        {"leaving_care_adviser": "Sam Patel"},
        {"leaving_care_adviser": "Sam Patel", "ehc_plan": False},
    ),
    "work_coach": (
        OrganisationKind.JOBCENTRE,
        {"national_insurance_number": "ab 12 34 56 c", "months_on_benefits": "14", "months_out_of_work": "20"},
        {"months_on_benefits": 14, "months_out_of_work": 20},
    ),
    "disability_employment_adviser": (
        OrganisationKind.JOBCENTRE,
        {"national_insurance_number": "AB123456C", "months_out_of_work": "3"},
        {"months_out_of_work": 3},
    ),
    "housing": (
        OrganisationKind.HOUSING,
        {"tenancy": "social", "at_risk_of_homelessness": "on"},
        {"tenancy": "social", "at_risk_of_homelessness": True, "rent_arrears": False},
    ),
}

# route -> (missing or bad answers, the message shown)
ROUTE_ERRORS = {
    "first_contact_practitioner": ({"msk_area": None}, "Select where the problem is"),
    "talking_therapies": ({"treatment_step": "step_9"}, "Select a valid choice"),
    "community_mental_health": ({"care_coordinator": ""}, "Enter the care coordinator's name"),
    "care_leaver": ({"leaving_care_adviser": " "}, "Enter the leaving-care personal adviser's name"),
    "work_coach": ({"national_insurance_number": "QQ123456C"}, "National Insurance number in the correct format"),
    "disability_employment_adviser": ({"national_insurance_number": ""}, "Enter their National Insurance number"),
    "housing": ({"tenancy": None}, "Select their housing"),
    "gp": ({"nhs_number": ""}, "Enter the person's NHS number"),
}


def referrer_for(kind: str):
    org = OrganisationFactory(name=f"Referrer {kind}", kind=kind)
    return MembershipFactory(organisation=org, role=Role.REFERRER)


@pytest.mark.parametrize("route", ROUTE_CASES)
def test_each_route_makes_a_referral_with_its_own_answers(client, partnership, route):
    kind, answers, stored = ROUTE_CASES[route]
    member = referrer_for(kind)
    client.force_login(member.user)
    page = client.get(f"/referrals/new/{route}/")
    assert page.status_code == 200
    for name in answers:
        assert f'name="{name}"' in page.content.decode()
    response = client.post(f"/referrals/new/{route}/", form_data(**answers))
    assert response.status_code == 302, error_summary(response)
    referral = Referral.objects.get()
    assert (referral.route, referral.details, referral.referring_organisation) == (route, stored, member.organisation)
    assert AuditEvent.objects.get(verb=AuditVerb.CREATED).payload["route"] == route
    if "national_insurance_number" in answers:
        assert referral.person.national_insurance_number == "AB123456C"


@pytest.mark.parametrize("route", ROUTE_ERRORS)
def test_each_route_checks_its_own_answers(client, partnership, route):
    kind, answers, _stored = ROUTE_CASES[route]
    bad, message = ROUTE_ERRORS[route]
    client.force_login(referrer_for(kind).user)
    before = counts()
    response = client.post(f"/referrals/new/{route}/", form_data(**{**answers, **bad}))
    assert response.status_code == 400
    assert message in error_summary(response)
    assert counts() == before


def test_the_general_form_lists_the_routes_for_the_organisation(client, partnership):
    client.force_login(partnership.referrer.user)  # a GP practice
    page = client.get("/referrals/new/").content.decode()
    for code in ("gp", "social_prescribing", "first_contact_practitioner"):
        assert f"/referrals/new/{code}/" in page
    assert "/referrals/new/work_coach/" not in page


@pytest.mark.parametrize("route", ["work_coach", "self", "clinical_system", "no-such-route"])
def test_a_gp_practice_cannot_use_another_kinds_route(client, partnership, route):
    client.force_login(partnership.referrer.user)
    assert client.get(f"/referrals/new/{route}/").status_code == 404
    assert client.post(f"/referrals/new/{route}/", form_data()).status_code == 404
    assert Referral.objects.count() == 0


def test_the_service_refuses_a_route_of_another_kind(partnership):
    from joinedup.core.errors import DomainError

    with pytest.raises(DomainError, match="cannot refer as"):
        partnership.refer(route="work_coach", national_insurance_number="AB123456C")
    with pytest.raises(DomainError, match="public site"):
        partnership.refer(route="self")


def test_every_route_is_declared_consistently():
    routes.check_registry()
    assert set(routes.FORM_ROUTES) | {"self", "clinical_system"} == set(routes.ROUTES)
    groups = {r.group for r in routes.ROUTES.values()}
    assert groups == {"health", "care", "employment", "housing", "self"}


# Self-referral on the public site --------------------------------------------------------------


def self_data(client, **overrides) -> dict:
    page = client.get("/refer-yourself/")
    data = form_data(consent_share_progress=None)
    data["submission_key"] = input_value(page, "submission_key")
    data["form_token"] = input_value(page, "form_token")
    data["website"] = ""
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.fixture
def quick(settings):
    settings.SELF_REFERRAL_MIN_SECONDS = 0
    return settings


def test_self_referral_needs_no_sign_in_and_shows_the_reference(client, db, quick):
    page = client.get("/refer-yourself/")
    assert page.status_code == 200 and "Your first name" in page.content.decode()
    assert Person.objects.count() == 0  # showing the form stores nothing
    response = client.post("/refer-yourself/", self_data(client))
    assert response.status_code == 302, error_summary(response)
    referral = Referral.objects.get()
    assert referral.route == "self"
    assert referral.referring_organisation.name == "Self-referral (public website)"
    assert not Consent.objects.get(purpose="share_progress").given
    assert AuditEvent.objects.get(verb=AuditVerb.CREATED).channel == "public"
    sent = client.get(response["Location"])
    assert referral.reference in sent.content.decode()
    assert "Siobhán" not in sent.content.decode()  # no personal data on the confirmation


def test_self_referral_double_submit_makes_one_referral(client, db, quick):
    data = self_data(client)
    first = client.post("/refer-yourself/", data)
    second = client.post("/refer-yourself/", data)
    assert Referral.objects.count() == 1
    # Both replies confirm the one referral. The confirmation links are signed with the time they
    # were made, so two replies a second apart differ in their links, not in what they confirm.
    reference = Referral.objects.get().reference
    for reply in (first, second):
        assert reply.status_code == 302
        assert reference in client.get(reply["Location"]).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"website": "http://spam.example"}, "Leave the last box blank"),
        ({"form_token": ""}, "This form has expired"),
        ({"form_token": "forged:token:value"}, "This form has expired"),
        ({"submission_key": "1b1b1b1b-1b1b-4b1b-9b1b-1b1b1b1b1b1b"}, "This form has expired"),
    ],
)
def test_self_referral_spam_checks(client, db, quick, overrides, message):
    before = counts()
    response = client.post("/refer-yourself/", self_data(client, **overrides))
    assert response.status_code == 400
    assert message in error_summary(response)
    assert counts() == before


def test_self_referral_posted_too_fast_is_refused(client, db, settings):
    settings.SELF_REFERRAL_MIN_SECONDS = 60
    response = client.post("/refer-yourself/", self_data(client))
    assert response.status_code == 400
    assert "very quick" in error_summary(response)
    assert Referral.objects.count() == 0


def test_self_referral_old_form_has_expired(client, db, settings):
    settings.SELF_REFERRAL_MIN_SECONDS = 0
    settings.SELF_REFERRAL_MAX_AGE = 1
    data = self_data(client)
    key = data["submission_key"]
    signer = signing.TimestampSigner(salt="joinedup.self-referral")
    data["form_token"] = signer.sign(key).replace(
        signer.sign(key).split(":")[1], signing.b62_encode(int(time.time()) - 7200)
    )
    response = client.post("/refer-yourself/", data)
    assert response.status_code == 400
    assert "This form has expired" in error_summary(response)
    assert spam_token_issue(key).startswith(key)


def test_self_referral_validates_like_any_referral(client, db, quick):
    before = counts()
    response = client.post(
        "/refer-yourself/",
        self_data(client, given_name="", postcode="nowhere", consent_referral=None, help_wanted="<script>x</script>"),
    )
    assert response.status_code == 400
    summary = error_summary(response)
    assert "Enter your first name" in summary and "postcode" in summary and "You need to agree" in summary
    assert "the person" not in summary  # the reader is the person
    assert counts() == before


def test_self_referral_confirmation_link_cannot_be_forged(client, db):
    assert client.get("/refer-yourself/sent/JU-AAAAAAA/").status_code == 404


def test_route_answers_are_shown_to_the_triage_officer_and_hostile_text_is_inert(client, partnership):
    member = referrer_for(OrganisationKind.COMMUNITY_MENTAL_HEALTH)
    client.force_login(member.user)
    script = "<script>alert(1)</script>"
    response = client.post(
        "/referrals/new/community_mental_health/",
        form_data(care_coordinator=script, severe_mental_illness="on"),
    )
    assert response.status_code == 302, error_summary(response)
    referral = Referral.objects.get()
    assert referral.details["care_coordinator"] == script  # kept verbatim
    client.force_login(partnership.programme.user)
    page = client.get(f"/referrals/triage/{referral.pk}/").content.decode()
    assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Community mental health team" in page and "Care coordinator's name" in html.unescape(page)


def test_a_clinician_may_not_know_the_benefits(client, partnership):
    from joinedup.referrals.matching import circumstances_for

    client.force_login(partnership.referrer.user)
    response = client.post("/referrals/new/gp/", form_data(benefits=None))
    assert response.status_code == 302, error_summary(response)
    referral = Referral.objects.get()
    assert referral.benefits == []
    assert circumstances_for(referral)[0].benefits is None  # a question for matching, not "none"
    client.force_login(partnership.programme.user)
    assert "Not known" in client.get(f"/referrals/triage/{referral.pk}/").content.decode()


def test_a_work_coach_must_say_which_benefits(client, partnership):
    client.force_login(referrer_for(OrganisationKind.JOBCENTRE).user)
    response = client.post(
        "/referrals/new/work_coach/", form_data(benefits=None, national_insurance_number="AB123456C")
    )
    assert response.status_code == 400
    assert "Select the benefits the person gets" in error_summary(response)


def test_blank_answers_are_missing_answers_whatever_the_channel(partnership):
    assert routes.route_problems(routes.ROUTES["care_leaver"], {"leaving_care_adviser": "   "}) == {
        "leaving_care_adviser": "Enter the leaving-care personal adviser's name"
    }
    assert "msk_area" in routes.route_problems(routes.ROUTES["first_contact_practitioner"], {"msk_area": ["back"]})
    assert "months_out_of_work" in routes.route_problems(routes.ROUTES["work_coach"], {"months_out_of_work": True})


_ANSWERS = st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.lists(st.text(max_size=5), max_size=2)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(routes.ROUTES)),
    st.dictionaries(
        st.sampled_from(sorted({f.name for r in routes.ROUTES.values() for f in r.fields} | {"other"})),
        _ANSWERS,
        max_size=5,
    ),
)
def test_route_problems_never_crash(code, details):
    problems = routes.route_problems(routes.ROUTES[code], details)
    assert all(isinstance(m, str) and m for m in problems.values())


# Telling the person by email ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_self_referral_can_ask_for_the_reference_by_email(client, quick, mailoutbox):
    response = client.post("/refer-yourself/", self_data(client, email="siobhan@example.com", notify_person="on"))
    assert response.status_code == 302, error_summary(response)
    referral = Referral.objects.get()
    assert Consent.objects.get(purpose="notify_person").given
    sent = client.get(response["Location"]).content.decode()
    assert 'data-testid="emailed"' in sent
    to_person = [m for m in mailoutbox if m.to == ["siobhan@example.com"]]
    assert len(to_person) == 1 and referral.reference in to_person[0].body
    assert "Siobhán" not in to_person[0].body  # the reference only, never personal details


def test_asking_for_email_updates_needs_an_email_address(client, db, quick):
    before = counts()
    response = client.post("/refer-yourself/", self_data(client, email="", notify_person="on"))
    assert response.status_code == 400
    assert "Enter an email address" in error_summary(response)
    assert counts() == before


def test_without_asking_the_person_is_not_emailed(client, db, quick):
    response = client.post("/refer-yourself/", self_data(client, email="siobhan@example.com"))
    assert response.status_code == 302, error_summary(response)
    assert not Consent.objects.filter(purpose="notify_person").exists()
    assert 'data-testid="emailed"' not in client.get(response["Location"]).content.decode()


def test_a_professional_referral_can_record_that_the_person_wants_email_updates(client, partnership):
    client.force_login(partnership.referrer.user)
    response = client.post("/referrals/new/", form_data(email="ann@example.com", notify_person="on"))
    assert response.status_code == 302, error_summary(response)
    consent = Consent.objects.get(purpose="notify_person")
    assert consent.given and consent.recorded_by_organisation == partnership.gp
