"""Domain events, declared once, with their subscribers declared in one ordered registry (not signals).

An app that has something to tell declares its events in its own `events.py`: each an `Event`
with a name and a payload, a frozen dataclass of what happened (ids and values, never a model
instance, so a subscriber cannot reach into another app's rows by accident):

    ENROLLED = Event("case.enrolled", Enrolled)
    declare(ENROLLED, ...)

An app that keeps something up to date from them lists its subscribers, in order, in its own
`subscribers.py` and registers that list from its `AppConfig.ready()`:

    SUBSCRIBERS = {case_events.ENROLLED: [starts_count, conversions_count]}
    events.subscribe(SUBSCRIBERS)    # then events.check_registry()

The service that records the change announces it, inside its transaction:

    announce(case_events.ENROLLED, Enrolled(...))

`announce` calls each subscriber in turn, in the order declared (apps in INSTALLED_APPS order),
in the caller's transaction, so a subscriber's write commits or rolls back with the record it
follows; it refuses to run outside a transaction. A subscriber's error is the service's error:
nothing is caught. `check_registry` (called at start-up) fails if a subscriber is registered for an
event that was never declared, or if an event's payload is not a frozen dataclass, or if a
subscriber's annotated argument is not the event's payload.

This module is generic: it names no domain app, and domain apps import it, not the other way round.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction


@dataclass(frozen=True)
class Event:
    """Something that happened, by name (`app.what_happened`), and the dataclass that describes it."""

    name: str
    payload: type

    def __str__(self) -> str:
        return self.name


Subscriber = Callable[[Any], None]

_declared: dict[str, Event] = {}
_subscribers: dict[str, list[Subscriber]] = {}
_subscribed_as: dict[str, Event] = {}  # the Event a subscriber list was registered under, if not by name


class EventError(RuntimeError):
    """An event announced, declared or subscribed to wrongly: a programming error, not the user's."""


def declare(*events: Event) -> None:
    """Declare events (from the declaring app's `events.py`, at import). Declaring the same event
    again is harmless; a different event under a name already declared is refused."""
    for event in events:
        known = _declared.get(event.name)
        if known is not None and known != event:
            raise EventError(f"Event {event.name} is already declared with payload {known.payload.__name__}")
        _declared[event.name] = event


def subscribe(subscribers: Mapping[Event | str, Sequence[Subscriber]]) -> None:
    """Register an app's subscribers (from its `AppConfig.ready()`), each event's list in order.
    An event may be named by its `Event` or by its name; `check_registry` checks it is declared."""
    for event, functions in subscribers.items():
        name = event.name if isinstance(event, Event) else event
        if isinstance(event, Event):
            _subscribed_as.setdefault(name, event)
        registered = _subscribers.setdefault(name, [])
        for function in functions:
            if function not in registered:  # registering an app twice (tests, reloads) is harmless
                registered.append(function)


def subscribers_of(event: Event) -> tuple[Subscriber, ...]:
    return tuple(_subscribers.get(event.name, ()))


def declared() -> dict[str, Event]:
    return dict(_declared)


def announce(event: Event, payload: object) -> None:
    """Tell the event's subscribers, in order, inside the caller's transaction."""
    if _declared.get(event.name) != event:
        raise EventError(f"Event {event.name} is not declared: declare it in its app's events.py")
    if not isinstance(payload, event.payload):
        raise EventError(f"Event {event.name} carries a {event.payload.__name__}, not a {type(payload).__name__}")
    if not transaction.get_connection().in_atomic_block:
        raise EventError(
            f"Event {event.name} announced outside a transaction: announce it inside the service's "
            "transaction.atomic(), so its subscribers' writes commit or roll back with the record"
        )
    for subscriber in _subscribers.get(event.name, ()):
        subscriber(payload)


def _payload_problem(event: Event) -> str | None:
    payload = event.payload
    if not (isinstance(payload, type) and dataclasses.is_dataclass(payload)):
        return f"its payload {payload!r} is not a dataclass"
    if not payload.__dataclass_params__.frozen:
        return f"its payload {payload.__name__} is not frozen"
    if not dataclasses.fields(payload):
        return f"its payload {payload.__name__} has no fields"
    try:
        typing.get_type_hints(payload)
    except (NameError, TypeError, AttributeError) as exc:  # an annotation that does not resolve
        return f"its payload {payload.__name__} has an annotation that does not resolve ({exc})"
    return None


def _subscriber_problem(event: Event, subscriber: Subscriber) -> str | None:
    if not callable(subscriber):
        return f"{subscriber!r} is not callable"
    parameters = list(inspect.signature(subscriber).parameters.values())
    if len(parameters) != 1:
        return f"{subscriber.__qualname__} must take one argument, the {event.payload.__name__}"
    annotation = typing.get_type_hints(subscriber).get(parameters[0].name)
    if annotation is not None and annotation is not event.payload:
        return f"{subscriber.__qualname__} takes a {annotation!r}, but {event.name} carries a {event.payload.__name__}"
    return None


def check_registry() -> None:
    """Start-up check: every event subscribed to is declared, with a frozen dataclass payload that
    each of its subscribers takes."""
    for event in _declared.values():
        problem = _payload_problem(event)
        if problem:
            raise EventError(f"Event {event.name} is declared wrongly: {problem}")
    for name, functions in _subscribers.items():
        event = _declared.get(name)
        if event is None:
            raise EventError(f"Subscribers are registered for {name}, which no app declares")
        if _subscribed_as.get(name, event) != event:
            raise EventError(f"Subscribers are registered for {name} with a payload other than the declared one")
        for subscriber in functions:
            problem = _subscriber_problem(event, subscriber)
            if problem:
                raise EventError(f"A subscriber of {name} is wrong: {problem}")
