"""The words on each referral route's form and on the self-referral form, rendered as a reader sees
them, so the faults issue 18 found ("From the gp", "As a Social prescribing link worker", the
self-referral form speaking of the reader as "them") cannot come back."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from joinedup.referrals import routes

from .test_routes import ROUTE_CASES, referrer_for, self_data
from .test_views import error_summary, form_data

# route -> (the link that chooses it, the heading over its own questions)
EXPECTED = {
    "gp": ("As a GP", "From the GP"),
    "social_prescribing": ("As a social prescribing link worker", "From the social prescribing link worker"),
    "first_contact_practitioner": (
        "As a First Contact Practitioner (physiotherapy)",
        "From the First Contact Practitioner (physiotherapy)",
    ),
    "talking_therapies": ("As an NHS Talking Therapies practitioner", "From the NHS Talking Therapies practitioner"),
    "community_mental_health": (
        "As a community mental health care coordinator",
        "From the community mental health care coordinator",
    ),
    "social_worker": ("As a social worker", "From the social worker"),
    "care_leaver": ("As a care-leaver coordinator", "From the care-leaver coordinator"),
    "work_coach": ("As a Jobcentre work coach", "From the Jobcentre work coach"),
    "disability_employment_adviser": ("As a Disability Employment Adviser", "From the Disability Employment Adviser"),
    "housing": ("As a housing officer", "From the housing officer"),
}


class _Text(HTMLParser):
    """The page's headings, legends and links as text, and all of its visible words."""

    def __init__(self) -> None:
        super().__init__()
        self.legends: list[str] = []
        self.links: list[str] = []
        self.headings: list[str] = []
        self.words: list[str] = []
        self._open: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag in {"legend", "a", "h1", "h2", "h3"}:
            self._open.append(tag)
            getattr(self, {"legend": "legends", "a": "links"}.get(tag, "headings")).append("")
        if tag in {"script", "style", "title"} or a.get("aria-hidden") == "true":
            self._hidden += 1

    def handle_endtag(self, tag) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()
        if tag in {"script", "style", "title"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data) -> None:
        if self._hidden:
            return
        self.words.append(data)
        for tag in self._open:
            target = getattr(self, {"legend": "legends", "a": "links"}.get(tag, "headings"))
            target[-1] += data

    def clean(self, items: list[str]) -> list[str]:
        return [re.sub(r"\s+", " ", i).strip() for i in items]


def _read(response) -> _Text:
    parser = _Text()
    parser.feed(response.content.decode())
    return parser


def test_every_form_route_is_checked_here():
    assert set(EXPECTED) == set(routes.FORM_ROUTES)


@pytest.mark.parametrize("route", sorted(EXPECTED))
def test_each_route_is_offered_and_headed_in_plain_words(client, partnership, route):
    kind = ROUTE_CASES[route][0]
    link, legend = EXPECTED[route]
    client.force_login(referrer_for(kind).user)
    offered = _read(client.get("/referrals/new/"))
    assert link in offered.clean(offered.links)
    page = _read(client.get(f"/referrals/new/{route}/"))
    headings = page.clean(page.headings)
    assert "Refer someone to the health and employment service" in headings
    legends = page.clean(page.legends)
    for expected in ("About the person", "Contact details", "Their circumstances"):
        assert expected in legends, legends
    assert legend in legends, legends
    assert "Consent" in legends


def test_a_route_the_organisation_cannot_use_is_refused_in_words(partnership):
    from joinedup.core.errors import DomainError
    from joinedup.referrals.services import referral_create
    from joinedup.testkit import referral_input

    with pytest.raises(DomainError, match="Your organisation cannot refer as a Jobcentre work coach."):
        referral_create(actor=partnership.referrer, data=referral_input(route="work_coach"))


# Words that speak of the reader in the third person on a form the reader fills in about themselves.
THIRD_PERSON = re.compile(r"\b(them|their|they|the person|the person's|he|she|his|her)\b", re.IGNORECASE)


def test_the_self_referral_form_speaks_to_the_reader(client, db):
    page = _read(client.get("/refer-yourself/"))
    text = re.sub(r"\s+", " ", " ".join(page.words))
    start = text.index("Refer yourself for help with health and work")
    form_text = text[start:]
    found = [form_text[max(0, m.start() - 60) : m.end() + 20] for m in THIRD_PERSON.finditer(form_text)]
    assert not found, found
    legends = page.clean(page.legends)
    for expected in ("About you", "Contact details", "Your circumstances"):
        assert expected in legends, legends
    assert "We email you the reference, and tell you when it is accepted and when support starts" in form_text
    assert "Email me my reference and tell me how my referral is going" in form_text


def test_an_empty_postcode_is_asked_for_not_called_unreal(client, partnership):
    client.force_login(partnership.referrer.user)
    empty = client.post("/referrals/new/", form_data(postcode=""))
    assert "Enter a postcode, like NG18 1AB" in error_summary(empty)
    assert "real postcode" not in error_summary(empty)
    wrong = client.post("/referrals/new/", form_data(postcode="XYZ"))
    assert "Enter a real postcode, like NG18 1AB" in error_summary(wrong)


@pytest.mark.usefixtures("db")
def test_the_self_referral_form_asks_for_an_empty_postcode(client, settings):
    settings.SELF_REFERRAL_MIN_SECONDS = 0
    response = client.post("/refer-yourself/", self_data(client, postcode=""))
    assert "Enter your postcode, like NG18 1AB" in error_summary(response)


def test_withdrawing_consent_is_named_without_a_doubled_word(client, partnership):
    case = partnership.enrol(partnership.assign(partnership.refer()))
    client.force_login(partnership.adviser_a.user)
    page = client.get(f"/people/consent/{case.pk}/")
    assert page.status_code == 200
    buttons = [b for b in _read(page).words if "consent to" in b]
    assert " consent to share progress with the referrer" in buttons, buttons
    assert not [b for b in buttons if "to to" in b]
