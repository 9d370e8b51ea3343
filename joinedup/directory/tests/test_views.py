"""The public directory: no sign-in, works without JavaScript (plain GET forms), says why services fit."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from joinedup.directory.models import TaxonomyTerm
from joinedup.directory.seed import seed_id

pytestmark = pytest.mark.django_db


def test_search_page_needs_no_sign_in(client: Client) -> None:
    response = client.get("/directory/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="get"' in html.lower()
    assert "Find employment and health support" in html


def test_resident_search_explains_why(client: Client) -> None:
    """ "I'm 30, I get Universal Credit with LCW, I have anxiety, I live in Mansfield"."""
    response = client.get(
        "/directory/",
        {
            "age": "30",
            "benefits": ["uc_lcw"],
            "health_conditions": ["mental_health"],
            "area": "mansfield",
            "employment_status": "unemployed",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "INSPIRE Local" in html
    assert "For people aged 25 or over; you are 30." in html
    assert "Individual Placement and Support (IPS) – Nottingham" in html
    # Not eligible: Talent Match is for 18 to 24; Norfolk's service is for Norfolk.
    assert "Talent Match" not in html
    assert "Norfolk Integrated Health" not in html
    # Unknowns say what would settle them.
    assert "To be sure, they will need" in html
    # Eligible services come before "may be able to use".
    assert html.index("You can use this") < html.index("You may be able to use this")


def test_keyword_and_need_filters(client: Client) -> None:
    need = TaxonomyTerm.objects.get(code="money_advice")
    html = client.get("/directory/", {"need": str(need.id)}).content.decode()
    assert "Money Sorted" in html and "Talent Match" not in html
    html = client.get("/directory/", {"q": "internships"}).content.decode()
    assert "Supported Internships" in html and "1 service found" in html


def test_invalid_age_shows_a_plain_english_error(client: Client) -> None:
    html = client.get("/directory/", {"age": "thirty"}).content.decode()
    assert "Age must be a number, like 30" in html
    assert "govuk-error-summary" in html


def test_service_page_says_who_and_how_to_be_referred(client: Client) -> None:
    html = client.get(f"/directory/services/{seed_id('service', 'talent-match')}/").content.decode()
    assert "Talent Match" in html
    assert "For people aged 18 to 24" in html
    assert "out of work or training for over 12 months" in html  # the provider's own words
    assert "How to get referred" in html and "You can refer yourself." in html


def test_withdrawn_or_unknown_service_page_is_404(client: Client) -> None:
    assert client.get(f"/directory/services/{seed_id('service', 'work-choice')}/").status_code == 404
    assert client.get(f"/directory/services/{uuid.uuid4()}/").status_code == 404


def test_services_outside_the_persons_area_are_left_out(client: Client) -> None:
    html = client.get("/directory/", {"postcode": "NR2 1AA"}).content.decode()
    assert "Norfolk Integrated Health and Employment Service" in html
    assert "J2E job clubs" not in html  # Derby only
    assert "Access to Work" in html  # England-wide


def test_keyword_search_on_either_database(client: Client) -> None:
    html = client.get("/directory/", {"q": "internship"}).content.decode()
    assert "Supported Internships" in html
    # Stemmed alike on both databases (decision 024): "trained" finds "training".
    stemmed = client.get("/directory/", {"q": "trained"}).content.decode()
    assert "Opportunity and Change" in stemmed


def test_keyword_search_follows_a_changed_description(client: Client) -> None:
    """The search columns are worked out again by every writer (search.index_services)."""
    from joinedup.directory.models import Service
    from joinedup.directory.search import index_services

    service_id = seed_id("service", "j2e-job-clubs")
    Service.objects.filter(id=service_id).update(description="Woodworking for everyone")
    index_services([service_id])
    html = client.get("/directory/", {"q": "woodworkers"}).content.decode()
    assert "J2E job clubs" in html  # "woodworkers" and "woodworking" both stem to "woodwork"
    assert "J2E job clubs" in client.get("/directory/", {"q": "woodworking"}).content.decode()


def test_a_keyword_search_works_inside_another_query() -> None:
    """The full-text test must not depend on the alias the outer query gives the services table."""
    from joinedup.directory.models import ServiceArea
    from joinedup.directory.selectors import published_services

    found = list(published_services(text="internship"))
    assert any("Internships" in s.name for s in found)
    inside = ServiceArea.objects.filter(service_id__in=published_services(text="internship").values("pk"))
    assert set(inside) == set(ServiceArea.objects.filter(service_id__in=[s.pk for s in found]))


def test_service_page_shows_contacts_where_known(client: Client) -> None:
    html = client.get(f"/directory/services/{seed_id('service', 'access-to-work')}/").content.decode()
    assert "Access to Work helpline" in html and "0800 121 7479 – Telephone" in html
    assert 'href="https://www.gov.uk/access-to-work"' in html
    # Where no source gives a contact, none is invented.
    html = client.get(f"/directory/services/{seed_id('service', 'j2e-job-clubs')}/").content.decode()
    assert "Contact</dt>" not in html and "Website</dt>" not in html


def test_seed_contacts_are_published_in_the_feed(client: Client) -> None:
    from joinedup.directory import standards

    data = client.get(f"/openreferral/services/{seed_id('service', 'norfolk-ihes')}").json()
    assert data["url"] == "https://www.norfolk.gov.uk"
    assert data["contacts"][0]["phones"][0]["number"] == "0344 800 8020"
    assert standards.errors("compiled/service_with_definitions.json", data) == []


def test_the_optional_questions_are_folded_so_results_come_first(client) -> None:
    """Issue 18: on a phone a resident scrolled three and a half screens of questions before the first
    result. The questions about the person and opening times sit in a GOV.UK details, closed unless
    one of them has an error; the results come before the form in the page."""
    html = client.get("/directory/", {"q": "work", "age": "30", "benefits": "uc"}).content.decode()
    fold = html.index('data-testid="about-you"')
    assert html.index('id="results"') < html.index('id="search"') < fold
    assert html[fold : html.index(">", fold)].endswith('data-testid="about-you"')  # closed
    assert "About you and opening times: 2 answered" in html
    assert html.index('name="q"') < fold < html.index('name="age"') < html.index('name="open_at"')
    wrong = client.get("/directory/", {"age": "old"}).content.decode()
    fold = wrong.index('data-testid="about-you"')
    assert wrong[fold : wrong.index(">", fold)].endswith(" open") and "Age must be a number" in wrong
    assert "About you and opening times (optional)" in client.get("/directory/").content.decode()
