"""Editing by directory managers: permission, validation, versioned rules, lifecycle, one audit event each."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.audit.models import AuditEvent
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.directory.models import DirectoryOrganisation, Lifecycle, Service
from joinedup.directory.seed import seed_id
from joinedup.directory.services import (
    ServiceInput,
    service_create,
    service_publish,
    service_review,
    service_update,
    service_withdraw,
)
from joinedup.organisations.models import Role

pytestmark = pytest.mark.django_db


def data(**overrides) -> ServiceInput:
    values = {
        "organisation_id": DirectoryOrganisation.objects.get(name="Framework Housing Association").id,
        "name": "Mansfield job club",
        "areas": ("mansfield",),
        "rules": {"all": [{"criterion": "age", "min": 18}, {"criterion": "area", "areas": ["mansfield"]}]},
    }
    values.update(overrides)
    return ServiceInput(**values)


def events(service: Service) -> list[str]:
    return list(AuditEvent.objects.filter(target_id=str(service.pk)).order_by("id").values_list("verb", flat=True))


def test_create_edit_review_publish_withdraw(partnership) -> None:
    actor = partnership.programme
    service = service_create(actor=actor, data=data())
    assert service.lifecycle == Lifecycle.DRAFT
    assert (service.minimum_age, service.current_rules().version) == (18, 1)
    service_update(actor=actor, service=service, data=data(description="Weekly, Tuesdays"))
    assert service.current_rules().version == 1  # rules unchanged: no new version
    service_update(actor=actor, service=service, data=data(rules={"criterion": "age", "min": 25}))
    assert list(service.rule_sets.values_list("version", flat=True)) == [2, 1]
    service_publish(actor=actor, service=service)
    assert service.lifecycle == Lifecycle.PUBLISHED and service.last_reviewed_on is not None
    service_review(actor=actor, service=service, today=date(2027, 1, 1))
    service_withdraw(actor=actor, service=service)
    assert Service.objects.get(pk=service.pk).lifecycle == Lifecycle.WITHDRAWN
    assert events(service) == ["created", "updated", "updated", "status_changed", "updated", "status_changed"]


def test_bad_rules_are_refused_in_plain_english(partnership) -> None:
    with pytest.raises(DomainError) as exc:
        service_create(actor=partnership.programme, data=data(rules={"criterion": "star_sign"}))
    assert exc.value.field == "rules"
    assert "unknown criterion" in exc.value.message
    with pytest.raises(DomainError, match="Enter the service's name"):
        service_create(actor=partnership.programme, data=data(name="  "))


def test_cannot_withdraw_a_draft(partnership) -> None:
    service = service_create(actor=partnership.programme, data=data())
    with pytest.raises(DomainError, match="draft service cannot be withdrawn"):
        service_withdraw(actor=partnership.programme, service=service)


@pytest.mark.parametrize("role", list(Role))
def test_only_directory_managers_may_edit(partnership, role) -> None:
    actor = partnership.by_role()[role]
    service = Service.objects.get(id=seed_id("service", "talent-match"))
    if role in (Role.PROGRAMME_MANAGER, Role.ADMINISTRATOR):
        service_review(actor=actor, service=service)
    else:
        with pytest.raises(NotPermitted):
            service_review(actor=actor, service=service)


def test_stale_flag() -> None:
    service = Service(last_reviewed_on=date(2026, 1, 1))
    assert service.is_stale(today=date(2026, 8, 1))
    assert not service.is_stale(today=date(2026, 6, 1))
    assert Service(last_reviewed_on=None).is_stale()


def test_reloading_the_seed_keeps_editors_decisions(partnership) -> None:
    from django.apps import apps

    from joinedup.directory.seed import load_seed

    service = Service.objects.get(id=seed_id("service", "talent-match"))
    service_withdraw(actor=partnership.programme, service=service)
    count = Service.objects.count()
    load_seed(lambda name: apps.get_model("directory", name))
    assert Service.objects.count() == count
    assert Service.objects.get(pk=service.pk).lifecycle == Lifecycle.WITHDRAWN
    assert service.rule_sets.count() == 1


def test_reloading_the_seed_keeps_an_editors_rules(partnership) -> None:
    from django.apps import apps

    from joinedup.directory.seed import load_seed

    service = Service.objects.get(id=seed_id("service", "talent-match"))
    service_update(
        actor=partnership.programme, service=service, data=data(name="Talent Match", rules={"criterion": "open"})
    )
    load_seed(lambda name: apps.get_model("directory", name))
    assert service.current_rules().rules == {"criterion": "open"}
