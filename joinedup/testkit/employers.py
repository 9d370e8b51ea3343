"""Employer records for tests, made through the employers services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone


def employer(actor: Any, *, name: str = "Sherwood Care Ltd", postcode: str = "NG18 1AB", **overrides: Any) -> Any:
    from joinedup.employers.services import EmployerInput, SiteInput, employer_create

    values: dict[str, Any] = {"name": name, "sic_section": "Q", "size_band": "medium"}
    values.update(overrides)
    return employer_create(
        actor=actor,
        data=EmployerInput(**values),
        site=SiteInput(name="Main site", postcode=postcode),
        not_a_duplicate=True,
    )


def vacancy_input(site: Any, **overrides: Any) -> Any:
    from joinedup.employers.services import VacancyInput

    values: dict[str, Any] = {
        "title": "Care assistant",
        "site_id": site.pk,
        "description": "Supporting people in their own homes.",
        "hours_min": Decimal("16"),
        "hours_max": Decimal("24"),
        "pattern": "part_time",
        "contract_type": "permanent",
        "wage": Decimal("12.80"),
        "wage_period": "hour",
        "age_band": "21_and_over",
        "kind": "job",
        "openings": 2,
        "closing_on": timezone.localdate() + timedelta(days=30),
        "how_to_apply": "Apply through your adviser.",
        "adjustments_offered": ["hours", "equipment"],
        "status": "open",
    }
    values.update(overrides)
    return VacancyInput(**values)


def vacancy(actor: Any, employer_record: Any, **overrides: Any) -> Any:
    from joinedup.employers.services import vacancy_create

    site = employer_record.sites.first()
    return vacancy_create(actor=actor, employer=employer_record, data=vacancy_input(site, **overrides))


def employer_member(employer_record: Any, *, email: str = "jo@employer.example") -> Any:
    """A person of the employer who can sign in (invited through the service by a manager at the
    owning partner), with the test password set."""
    from joinedup.employers.invitations import employer_invite
    from joinedup.organisations.models import Membership, Role

    manager = Membership.objects.filter(
        organisation_id=employer_record.owner_id, role__in=[Role.PARTNER_MANAGER, Role.PROGRAMME_MANAGER]
    ).first()
    assert manager is not None, "the owning organisation needs a manager to invite"
    invitation = employer_invite(actor=manager, employer=employer_record, email=email)
    user = invitation.membership.user
    user.set_password("correct-horse-battery")
    user.save()
    employer_record.refresh_from_db()
    return invitation.membership
