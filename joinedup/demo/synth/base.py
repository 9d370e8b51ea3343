"""What every part of the synthetic loader shares: the markers of synthetic rows, the outcome codes
of the plan, deterministic ids, and COPY text."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

SYNTH_ODS = "SYNTH"
USER_PREFIX = "synth."
LOADER_USERNAME = "synth.loader"
FORMAT_VERSION = 4  # 2: assessments, wellbeing, plans and next steps; 3: "prefer not to say" (issue 17);
# 4: a programme with participations, courses, expenses, claims and batches (issue 15)
SPAN_DAYS = 3 * 365  # referrals spread over about three years before the as-of date
ACTIVE_CASELOAD = 40  # advisers are hired so each holds about this many active cases
NULL = "\\N"  # COPY text for NULL
UNUSABLE = UNUSABLE_PASSWORD_PREFIX + "synthetic"  # an unusable password: no one can sign in
_MASK = (1 << 128) - 1

# Referral outcomes (codes stored in the plan arrays).
NONE, ASSIGNED, DECLINED, WITHDRAWN, ENROLLED = 0, 1, 2, 3, 4


class SynthError(Exception):
    """The database is not in a state the loader may write to."""


@dataclass(frozen=True)
class SynthInfo:
    """What `synth.loader` says was loaded."""

    seed: int
    people: int
    as_of: date
    version: int


@dataclass
class SynthResult:
    people: int
    seed: int
    as_of: date
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def people_per_second(self) -> float:
        return self.people / self.seconds if self.seconds else 0.0


class Ids:
    """Distinct, deterministic, random-looking UUIDs (as 32 hex digits) for row n of one table."""

    def __init__(self, rng: random.Random) -> None:
        self.base = rng.getrandbits(128)
        self.step = rng.getrandbits(128) | 1  # odd, so n -> base + n * step is one-to-one mod 2**128

    def __call__(self, n: int) -> str:
        return "%032x" % ((self.base + n * self.step) & _MASK)


def weighted_table(weights: dict, size: int) -> list:
    """A list of `size` items in proportion to `weights`, to pick from with a few random bits."""
    total = sum(weights.values())
    table: list = []
    for item, w in weights.items():
        table += [item] * round(size * w / total)
    while len(table) < size:
        table.append(next(iter(weights)))
    return table[:size]


def accumulate(values: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for v in values:
        total += v
        yield total


def check_copy_text(*pools: Iterable[str]) -> None:
    """Fail at import if a text pool holds a character COPY text would need escaped."""
    for pool in pools:
        assert not any(c in text for text in pool for c in "\t\n\r\\"), "COPY text must not need escaping"


def copy_text(value: object) -> str:
    """A default value as COPY text (the SQLite path splits the same text)."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    elif isinstance(value, date):
        value = value.isoformat()
    text = str(value)
    if any(c in text for c in "\t\n\r\\"):
        raise SynthError(f"Cannot write the default {text!r} as COPY text.")
    return text
