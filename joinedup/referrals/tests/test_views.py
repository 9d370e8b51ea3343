"""The referral form at /referrals/new/: bad input, hostile input, non-ASCII input, double submits."""

from __future__ import annotations

import html
import re
import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent
from joinedup.people.models import Consent, Person
from joinedup.referrals.models import Referral, ReferralStatusChange

URL = "/referrals/new/"
SCRIPT = "<script>alert(1)</script>"
SQL = "Robert'); DROP TABLE referrals_referral;--"


def form_data(**overrides) -> dict:
    """Every field of the form, as a browser posts it. Date parts are day, month, year."""
    data = {
        "given_name": "Siobhán",
        "family_name": "O'Connor",
        "date_of_birth_0": "12",
        "date_of_birth_1": "4",
        "date_of_birth_2": "1988",
        "email": "siobhan@example.com",
        "phone": "07700 900982",
        "postcode": "NG18 1AB",
        "nhs_number": "943 476 5919",
        "employment_status": "unemployed",
        "benefits": ["uc_lcw", "pip"],
        "health_condition": "mental_health",
        "help_wanted": "Finding part-time work while I manage my anxiety",
        "consent_referral": "on",
        "consent_share_progress": "on",
        "submission_key": str(uuid.uuid4()),
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def dob(day: str, month: str, year: str) -> dict[str, str]:
    return {"date_of_birth_0": day, "date_of_birth_1": month, "date_of_birth_2": year}


def counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Referral.objects.count(),
        Consent.objects.count(),
        ReferralStatusChange.objects.count(),
        AuditEvent.objects.count(),
    )


def text(response) -> str:
    """The page as a reader sees it: entities decoded, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def error_summary(response) -> str:
    page = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert match, "no GOV.UK error summary on the page"
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", match.group(0))))


@pytest.fixture
def referrer_client(client, partnership):
    client.force_login(partnership.referrer.user)
    return client


def test_form_page_carries_a_fresh_submission_key(referrer_client):
    keys = set()
    for _ in range(2):
        response = referrer_client.get(URL)
        assert response.status_code == 200
        keys.add(re.search(r'name="submission_key" value="([^"]+)"', response.content.decode()).group(1))
    assert len(keys) == 2
    assert all(uuid.UUID(k) for k in keys)


def test_a_good_referral_is_saved_and_confirmed(referrer_client, partnership):
    response = referrer_client.post(URL, form_data())
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{referral.pk}/sent/"
    assert referral.referring_organisation == partnership.gp
    assert referral.benefits == ["pip", "uc_lcw"]
    person = referral.person
    assert (person.given_name, person.family_name, person.date_of_birth) == ("Siobhán", "O'Connor", date(1988, 4, 12))
    assert person.nhs_number == "9434765919"
    sent = referrer_client.get(response["Location"])
    assert sent.status_code == 200
    assert referral.reference in sent.content.decode()


# Invalid input: 400, the GOV.UK error summary, a plain-English message, and nothing saved. ------

FUTURE = timezone.localdate() + timedelta(days=30)

INVALID = {
    "missing date of birth": (dob("", "", ""), "Enter the date of birth"),
    "date of birth without day": (dob("", "4", "1988"), "Date of birth must include a day"),
    "31 February": (dob("31", "2", "1990"), "Date of birth must be a real date"),
    "month 13": (dob("1", "13", "1990"), "Date of birth must be a real date"),
    "day 0": (dob("0", "4", "1990"), "Date of birth must be a real date"),
    "two-digit year": (dob("12", "4", "19"), "Year must include 4 numbers"),
    "five-digit year": (dob("12", "4", "19888"), "Year must include 4 numbers"),
    "letters": (dob("aa", "bb", "cccc"), "Date of birth must be a real date"),
    "huge numbers": (dob("99999999999999999999", "4", "1990"), "Date of birth must be a real date"),
    "negative year": (dob("1", "1", "-1990"), "Date of birth must be a real date"),
    "future date of birth": (
        dob(str(FUTURE.day), str(FUTURE.month), str(FUTURE.year)),
        "Date of birth must be in the past",
    ),
    "under 16": (dob("1", "1", str(timezone.localdate().year - 10)), "The person must be 16 or older to be referred"),
    "NHS number checksum fails": ({"nhs_number": "943 476 5918"}, "Enter a valid NHS number"),
    "NHS number too short": ({"nhs_number": "943 476 59"}, "NHS number must be 10 digits, like 943 476 5919"),
    "NHS number too long": ({"nhs_number": "94347659190"}, "NHS number must be 10 digits, like 943 476 5919"),
    "NHS number letters": ({"nhs_number": "ABC DEF GHIJ"}, "NHS number must be 10 digits, like 943 476 5919"),
    "10,000-character first name": ({"given_name": "A" * 10_000}, "First name must be 100 characters or fewer"),
    "10,000-character last name": ({"family_name": "B" * 10_000}, "Last name must be 100 characters or fewer"),
    "blank first name": ({"given_name": "   "}, "Enter the person's first name"),
    "no consent to referral": (
        {"consent_referral": None},
        "The person must agree to the referral before you can refer them",
    ),
    "bad postcode": ({"postcode": "XYZ"}, "Enter a real postcode, like NG18 1AB"),
    "bad email": ({"email": "not-an-email"}, "Enter an email address in the correct format, like name@example.com"),
    "bad phone": ({"phone": "call me"}, "Enter a telephone number"),
    "no employment status": ({"employment_status": None}, "Select the person's employment status"),
    "made-up employment status": ({"employment_status": "astronaut"}, "Select a valid choice"),
    "no benefits": ({"benefits": None}, "Select the benefits the person gets, or 'None of these'"),
    "none of these with a benefit": ({"benefits": ["none", "uc"]}, "Select 'None of these' on its own"),
    "no health condition": ({"health_condition": None}, "Select the main health condition"),
    "nothing wanted": ({"help_wanted": ""}, "Enter what the person wants help with"),
    "too much wanted": ({"help_wanted": "x" * 2001}, "must be 2,000 characters or fewer"),
}


@pytest.mark.parametrize("case", INVALID)
def test_invalid_input_is_refused_plainly_and_saves_nothing(referrer_client, case):
    overrides, message = INVALID[case]
    before = counts()
    response = referrer_client.post(URL, form_data(**overrides))
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert message in error_summary(response)
    assert "<title>Error: " in response.content.decode()
    assert counts() == before


def test_several_problems_are_listed_together(referrer_client):
    response = referrer_client.post(
        URL, form_data(given_name="", nhs_number="123", postcode="nowhere", consent_referral=None)
    )
    assert response.status_code == 400
    summary = error_summary(response)
    for message in (
        "Enter the person's first name",
        "NHS number must be 10 digits",
        "Enter a real postcode",
        "The person must agree to the referral",
    ):
        assert message in summary
    assert Referral.objects.count() == 0


def test_what_was_typed_is_kept_after_an_error(referrer_client):
    response = referrer_client.post(URL, form_data(nhs_number="123", help_wanted="Zoë wants retail work"))
    assert response.status_code == 400
    page = text(response)
    assert 'value="Siobhán"' in page
    assert "Zoë wants retail work" in page
    assert 'value="1988"' in page


def test_submitting_an_empty_form_saves_nothing(referrer_client):
    before = counts()
    response = referrer_client.post(URL, {})
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert counts() == before


# Hostile free text is kept exactly as typed and never runs as markup. ---------------------------


def test_markup_and_sql_are_saved_verbatim_and_rendered_inert(client, partnership):
    client.force_login(partnership.referrer.user)
    response = client.post(
        URL, form_data(given_name=SCRIPT, family_name=SQL, help_wanted=f"{SCRIPT}\n{SQL}\n<b>bold</b>")
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.person.given_name == SCRIPT
    assert referral.person.family_name == SQL
    assert referral.help_wanted == f"{SCRIPT}\n{SQL}\n<b>bold</b>"

    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    pages = {"referrer's referral page": client.get(f"/referrals/{referral.pk}/"), "referrer's list": None}
    pages["referrer's list"] = client.get("/referrals/")
    client.force_login(partnership.programme.user)
    pages["triage page"] = client.get(f"/referrals/triage/{referral.pk}/")
    pages["triage queue"] = client.get("/referrals/triage/")
    for name, page in pages.items():
        assert page.status_code == 200, name
        body = page.content.decode()
        assert SCRIPT not in body, name
        assert "<b>bold</b>" not in body, name
        assert escaped in body, name
        assert SQL in html.unescape(body), name
    # The table the SQL-looking text named is still there.
    assert Referral.objects.filter(pk=referral.pk).exists()


@pytest.mark.parametrize(
    ("given", "family"),
    [("Zoë", "Brontë"), ("Siobhán", "Ní Bhriain"), ("Łukasz", "Żółć"), ("李", "小龍"), ("Aoife-Máire", "O'Dónaill")],
)
def test_non_ascii_names_round_trip(client, partnership, given, family):
    client.force_login(partnership.referrer.user)
    response = client.post(URL, form_data(given_name=given, family_name=family))
    assert response.status_code == 302
    person = Referral.objects.get().person
    assert (person.given_name, person.family_name) == (given, family)
    detail = client.get(f"/referrals/{Referral.objects.get().pk}/")
    assert f"{given} {family}" in html.unescape(detail.content.decode())
    client.force_login(partnership.programme.user)
    triage = client.get(f"/referrals/triage/{Referral.objects.get().pk}/")
    assert f"{given} {family}" in html.unescape(triage.content.decode())


# Double submission ------------------------------------------------------------------------------


def test_double_submitted_form_makes_one_referral(referrer_client):
    data = form_data()
    first = referrer_client.post(URL, data)
    second = referrer_client.post(URL, data)
    referral = Referral.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/referrals/{referral.pk}/sent/"
    assert Person.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_submission_key_of_another_organisation_is_refused(client, partnership):
    data = form_data()
    client.force_login(partnership.referrer.user)
    assert client.post(URL, data).status_code == 302
    before = counts()
    client.force_login(partnership.other_referrer.user)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "That submission key has already been used." in error_summary(response)
    assert Referral.objects.get().reference not in response.content.decode()
    assert counts() == before


def test_without_a_submission_key_each_post_is_a_new_referral(referrer_client):
    data = form_data(submission_key=None)
    assert referrer_client.post(URL, data).status_code == 302
    assert referrer_client.post(URL, data).status_code == 302
    assert Referral.objects.count() == 2
