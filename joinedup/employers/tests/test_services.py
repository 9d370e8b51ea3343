from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.employers import duplicates, wages
from joinedup.employers.models import Employer, FollowUp, Site, Vacancy
from joinedup.employers.services import (
    EmployerInput,
    SiteInput,
    employer_create,
    employer_update,
    engagement_record,
    likely_duplicates,
    site_add,
    vacancy_create,
)
from joinedup.outcomes.models import MonthlyTally
from joinedup.testkit.employers import employer, vacancy, vacancy_input

pytestmark = pytest.mark.django_db


def _data(**kw):
    values: dict[str, Any] = {"name": "Mansfield Metal Works Ltd", "sic_section": "C", "size_band": "small"}
    values.update(kw)
    return EmployerInput(**values)


def test_create_employer_with_site_owned_by_actor_org(partnership):
    e = employer_create(
        actor=partnership.adviser_a,
        data=_data(companies_house_number="1234567"),
        site=SiteInput(name="Works", postcode="ng18 2aa"),
    )
    assert e.owner == partnership.partner_a
    assert e.companies_house_number == "01234567"
    site = e.sites.get()
    assert (site.postcode, site.district) == ("NG18 2AA", "NG18")
    assert AuditEvent.objects.filter(target_id=str(e.pk), verb="created").count() == 1


@pytest.mark.parametrize("number", ["12345", "ABC12345", "SC12345", "12-345-678", "S1234567", "123456789"])
def test_companies_house_number_of_wrong_shape_refused(partnership, number):
    with pytest.raises(DomainError) as exc:
        employer_create(actor=partnership.adviser_a, data=_data(companies_house_number=number))
    assert exc.value.field == "companies_house_number"
    assert "8 characters" in exc.value.message
    assert not Employer.objects.exists()


@pytest.mark.parametrize(
    "number, normalised", [("sc123456", "SC123456"), ("0123 4567", "01234567"), ("R0123456", "R0123456")]
)
def test_companies_house_number_normalised(number, normalised):
    assert duplicates.company_number(number) == normalised


def test_same_companies_house_number_always_refused(partnership):
    employer_create(actor=partnership.adviser_a, data=_data(companies_house_number="01234567"))
    with pytest.raises(DomainError) as exc:
        employer_create(
            actor=partnership.adviser_b,
            data=_data(name="Other name", companies_house_number="01234567"),
            not_a_duplicate=True,
        )
    assert exc.value.field == "companies_house_number"
    assert Employer.objects.count() == 1


def test_close_name_at_same_postcode_flagged_before_create_and_can_be_confirmed(partnership):
    site = SiteInput(name="Works", postcode="NG18 2AA")
    employer_create(actor=partnership.adviser_a, data=_data(), site=site)
    with pytest.raises(DomainError) as exc:
        employer_create(
            actor=partnership.adviser_b,
            data=_data(name="Mansfield Metalworks"),
            site=SiteInput(name="W", postcode="NG18 2AA"),
        )
    assert "may be Mansfield Metal Works Ltd" in exc.value.message
    assert exc.value.field == "not_a_duplicate"
    assert Employer.objects.count() == 1 and Site.objects.count() == 1  # nothing half-saved
    # The same close name elsewhere is not flagged; confirming makes it.
    assert likely_duplicates(name="Mansfield Metalworks", postcode="NG19 7AA") == []
    employer_create(
        actor=partnership.adviser_b,
        data=_data(name="Mansfield Metalworks"),
        site=SiteInput(name="W", postcode="NG18 2AA"),
        not_a_duplicate=True,
    )
    assert Employer.objects.count() == 2


def test_same_name_in_other_spelling_is_flagged():
    assert duplicates.name_key("The Co-op Group Ltd") == duplicates.name_key("co op")
    assert duplicates.similarity("Boots UK Limited", "boots") == 1.0


def test_only_owner_edits(partnership):
    e = employer(partnership.adviser_a)
    with pytest.raises(NotPermitted):
        employer_update(actor=partnership.adviser_b, employer=e, data=_data())
    with pytest.raises(NotPermitted):
        site_add(actor=partnership.adviser_b, employer=e, site=SiteInput(name="Two", postcode="NG19 7AA"))
    with pytest.raises(NotPermitted):
        employer_create(actor=partnership.referrer, data=_data())
    employer_update(actor=partnership.manager_a, employer=e, data=_data(name="Sherwood Care"))


def test_engagement_with_follow_up_and_tally_counts_once_a_month(partnership):
    e = employer(partnership.adviser_a)
    today = timezone.localdate()
    engagement_record(
        actor=partnership.adviser_a,
        employer=e,
        happened_on=today,
        channel="visit",
        kind="first_contact",
        follow_up="Send vacancy template",
        follow_up_on=today + timedelta(days=7),
    )
    engagement_record(
        actor=partnership.adviser_a, employer=e, happened_on=today, channel="phone", kind="vacancy_discussion"
    )
    assert FollowUp.objects.get().task == "Send vacancy template"
    tally = MonthlyTally.objects.get(measure="employers_engaged")
    assert tally.n == 1
    with pytest.raises(DomainError) as exc:
        engagement_record(
            actor=partnership.adviser_a, employer=e, happened_on=today, channel="visit", kind="event", follow_up="x"
        )
    assert exc.value.field == "follow_up"


def test_minimum_wage_dated_data():
    assert wages.minimum_hourly("21_and_over", date(2026, 3, 31)) == Decimal("12.21")
    assert wages.minimum_hourly("21_and_over", date(2026, 4, 1)) == Decimal("12.71")
    assert wages.minimum_hourly("18_to_20", date(2024, 4, 1)) == Decimal("8.60")
    assert wages.minimum_hourly("under_18", date(2020, 1, 1)) is None
    assert "gov.uk" in wages.source().lower()


def test_vacancy_wage_below_minimum_for_age_band_refused(partnership):
    e = employer(partnership.adviser_a)
    site = e.sites.get()
    minimum = wages.minimum_hourly("21_and_over", timezone.localdate())
    assert minimum is not None
    below = minimum - Decimal("0.01")
    with pytest.raises(DomainError) as exc:
        vacancy_create(actor=partnership.adviser_a, employer=e, data=vacancy_input(site, wage=below))
    assert exc.value.field == "wage" and f"£{minimum}" in exc.value.message
    # The same wage is lawful for an 18 to 20 year old.
    vacancy_create(actor=partnership.adviser_a, employer=e, data=vacancy_input(site, wage=below, age_band="18_to_20"))
    # An annual wage is checked as an hourly figure over the hours.
    with pytest.raises(DomainError) as exc:
        vacancy_create(
            actor=partnership.adviser_a, employer=e, data=vacancy_input(site, wage=Decimal("9000"), wage_period="year")
        )
    assert "an hour over 16 hours" in exc.value.message
    # Volunteering has no wage to check.
    vacancy_create(
        actor=partnership.adviser_a, employer=e, data=vacancy_input(site, wage=Decimal("0"), kind="volunteering")
    )
    assert Vacancy.objects.count() == 2


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"hours_min": Decimal("20"), "hours_max": Decimal("16")}, "hours_max"),
        ({"closing_on": date(2020, 1, 1)}, "closing_on"),
        ({"title": "   "}, "title"),
        ({"openings": 0}, "openings"),
        ({"adjustments_offered": ["jetpack"]}, "adjustments_offered"),
        ({"guaranteed_interview": True}, "guaranteed_interview"),
    ],
)
def test_vacancy_bad_input(partnership, overrides, field):
    e = employer(partnership.adviser_a)
    with pytest.raises(DomainError) as exc:
        vacancy_create(actor=partnership.adviser_a, employer=e, data=vacancy_input(e.sites.get(), **overrides))
    assert exc.value.field == field
    assert not Vacancy.objects.exists()


def test_max_hours_equal_to_min_is_fine_and_open_vacancy_tallied(partnership):
    e = employer(partnership.adviser_a)
    v = vacancy(partnership.adviser_a, e, hours_min=Decimal("16"), hours_max=Decimal("16"))
    assert v.published_on == timezone.localdate()
    assert MonthlyTally.objects.get(measure="vacancies", partner_key=str(partnership.partner_a.pk)).n == 1


def test_site_of_another_employer_refused(partnership):
    a = employer(partnership.adviser_a)
    b = employer(partnership.adviser_a, name="Other Ltd", postcode="NG19 7AA")
    with pytest.raises(DomainError) as exc:
        vacancy_create(actor=partnership.adviser_a, employer=a, data=vacancy_input(b.sites.get()))
    assert exc.value.field == "site_id"


@pytest.mark.parametrize(
    "text", ["Acme\x00 Ltd", "<script>alert(1)</script>", "'; DROP TABLE employers;--", "Café Ł ß"]
)
def test_hostile_names_are_kept_as_text_or_refused_plainly(partnership, text):
    try:
        e = employer_create(actor=partnership.adviser_a, data=_data(name=text))
    except DomainError as exc:
        assert exc.message  # a plain message, never a crash
    else:
        assert Employer.objects.get(pk=e.pk).name == text.strip()


def test_engagement_of_an_unknown_kind_refused(partnership):
    e = employer(partnership.adviser_a)
    with pytest.raises(DomainError):
        engagement_record(
            actor=partnership.adviser_a, employer=e, happened_on=timezone.localdate(), channel="pigeon", kind="event"
        )


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 4, 1), {"21_and_over": "12.21", "18_to_20": "10.00", "under_18": "7.55", "apprentice": "7.55"}),
        (date(2026, 3, 31), {"21_and_over": "12.21", "18_to_20": "10.00", "under_18": "7.55", "apprentice": "7.55"}),
        (date(2026, 4, 1), {"21_and_over": "12.71", "18_to_20": "10.85", "under_18": "8.00", "apprentice": "8.00"}),
    ],
)
def test_minimum_wage_rates_are_the_published_gov_uk_rates(on: date, expected: dict[str, str]) -> None:
    # GOV.UK's published rates from 1 April 2025 and 1 April 2026 (the data file names its source).
    assert {band: str(wages.minimum_hourly(band, on)) for band in expected} == expected
    assert "GOV.UK" in wages.source()
