"""The event mechanism: declared events, subscribers in declared order, in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction

from joinedup.cases.events import CaseEvent
from joinedup.core import events
from joinedup.core.events import Event, EventError, announce, check_registry, declare, subscribe


@dataclass(frozen=True)
class Happened:
    what: str


@dataclass
class Unfrozen:
    what: str


@dataclass(frozen=True)
class Other:
    n: int


HAPPENED = Event("test.happened", Happened)


@pytest.fixture
def registry(monkeypatch):
    """A registry of this test's own, so nothing declared here reaches another test."""
    monkeypatch.setattr(events, "_declared", {})
    monkeypatch.setattr(events, "_subscribers", {})
    monkeypatch.setattr(events, "_subscribed_as", {})


@pytest.mark.django_db
def test_subscribers_are_called_in_the_declared_order_with_the_payload(registry):
    heard = []
    first, second = (lambda e: heard.append(("first", e.what))), (lambda e: heard.append(("second", e.what)))
    declare(HAPPENED)
    subscribe({HAPPENED: [first, second]})
    check_registry()
    with transaction.atomic():
        announce(HAPPENED, Happened("it"))
    assert heard == [("first", "it"), ("second", "it")]
    assert events.subscribers_of(HAPPENED) == (first, second)


@pytest.mark.django_db
def test_registering_the_same_subscribers_again_calls_them_once(registry):
    heard = []

    def listen(event: Happened) -> None:
        heard.append(event)

    declare(HAPPENED, HAPPENED)
    subscribe({HAPPENED: [listen]})
    subscribe({"test.happened": [listen]})
    check_registry()
    with transaction.atomic():
        announce(HAPPENED, Happened("once"))
    assert heard == [Happened("once")]


def test_an_announcement_outside_a_transaction_is_refused(registry):
    heard = []
    declare(HAPPENED)
    subscribe({HAPPENED: [heard.append]})
    assert not transaction.get_connection().in_atomic_block
    with pytest.raises(EventError, match="outside a transaction"):
        announce(HAPPENED, Happened("lost"))
    assert heard == []


@pytest.mark.django_db
def test_a_subscribers_error_rolls_back_with_the_service(registry):
    from joinedup.outcomes.models import Measure, MonthlyTally
    from joinedup.outcomes.services import tally_add

    def count(event: Happened) -> None:
        tally_add(measure=Measure.STARTS, partner_id=None, on=date(2026, 1, 5))

    def fail(event: Happened) -> None:
        raise ValueError("no")

    declare(HAPPENED)
    subscribe({HAPPENED: [count, fail]})
    with pytest.raises(ValueError, match="no"), transaction.atomic():
        announce(HAPPENED, Happened("x"))
    assert not MonthlyTally.objects.exists()


@pytest.mark.django_db
def test_an_undeclared_event_or_a_wrong_payload_cannot_be_announced(registry):
    with transaction.atomic():
        with pytest.raises(EventError, match="not declared"):
            announce(HAPPENED, Happened("x"))
        declare(HAPPENED)
        with pytest.raises(EventError, match="carries a Happened, not a Other"):
            announce(HAPPENED, Other(1))


def test_a_name_cannot_be_declared_twice_with_different_payloads(registry):
    declare(HAPPENED)
    with pytest.raises(EventError, match="already declared"):
        declare(Event("test.happened", Other))


def test_the_start_up_check_catches_a_subscriber_of_an_undeclared_event(registry):
    subscribe({"test.never_declared": [print]})
    with pytest.raises(EventError, match="test.never_declared, which no app declares"):
        check_registry()


def test_the_start_up_check_catches_an_event_subscribed_to_with_another_payload(registry):
    declare(HAPPENED)
    subscribe({Event("test.happened", Other): [print]})
    with pytest.raises(EventError, match="other than the declared one"):
        check_registry()


@pytest.mark.parametrize(
    ("payload", "problem"),
    [(Unfrozen, "is not frozen"), (dict, "is not a dataclass"), (None, "is not a dataclass")],
)
def test_the_start_up_check_catches_a_wrong_payload(registry, payload, problem):
    declare(Event("test.wrong", payload))
    with pytest.raises(EventError, match=problem):
        check_registry()


def test_the_start_up_check_catches_a_subscriber_that_takes_another_payload(registry):
    def takes_other(event: Other) -> None: ...

    def takes_two(event, extra) -> None: ...

    declare(HAPPENED)
    subscribe({HAPPENED: [takes_other]})
    with pytest.raises(EventError, match="takes a .*Other.*carries a Happened"):
        check_registry()
    events._subscribers["test.happened"] = [takes_two]
    with pytest.raises(EventError, match="must take one argument"):
        check_registry()


def test_the_project_registry_passes_its_check_and_declares_every_case_event():
    check_registry()
    names = {e.name for e in events.declared().values()}
    assert {
        CaseEvent.ENROLLED.name,
        CaseEvent.CONTACT_RECORDED.name,
        CaseEvent.JOB_STARTED.name,
        CaseEvent.MILESTONE_RECORDED.name,
        CaseEvent.LEFT_SUPPORT.name,
        CaseEvent.REENGAGED.name,
    } <= names


def test_core_events_names_no_domain_app():
    source = Path(events.__file__).read_text(encoding="utf-8")
    assert "from joinedup." not in source
    assert "import joinedup." not in source
