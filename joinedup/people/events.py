"""What happens to a person's record, declared once (see `joinedup.core.events`). The people services
announce these inside their transaction; other apps subscribe (`employers.subscribers` keeps its
matching table's copy of the name and postcode district)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from joinedup.core.events import Event, declare


@dataclass(frozen=True)
class PersonUpdated:
    person_id: uuid.UUID
    fields: tuple[str, ...]  # the fields set


@dataclass(frozen=True)
class PeopleMerged:
    """A duplicate merged into a survivor (`reversed`: the merge undone); cases may have moved."""

    survivor_id: uuid.UUID
    duplicate_id: uuid.UUID
    reversed: bool


class PersonEvent:
    UPDATED = Event("person.updated", PersonUpdated)
    MERGED = Event("person.merged", PeopleMerged)


ALL = (PersonEvent.UPDATED, PersonEvent.MERGED)
declare(*ALL)
