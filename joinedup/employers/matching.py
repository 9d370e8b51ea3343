"""Matching people and vacancies, with reasons, in the manner of the directory's eligibility.

Each criterion gives a three-valued answer (`Outcome` of `directory.eligibility`: yes, no, not known)
with a plain-English reason, and for a "not known" what would settle it. A hard "no" rules the match
out; a soft "no" (no job goal mentions this work; an adjustment the advert does not offer, which may
still be agreed as a reasonable adjustment) lowers its rank without ruling it out. Overall: ruled
out, fits (every criterion yes) or may fit. See decision 020."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from joinedup.directory.eligibility import Outcome

from .choices import PAID_KINDS, AdjustmentKind, VacancyKind

HOURS_NEAR = Decimal(4)  # a better-off figure counts for a job within 4 hours a week of it


class Fit(StrEnum):
    FITS = "fits"
    MAY_FIT = "may_fit"
    RULED_OUT = "ruled_out"

    @property
    def label(self) -> str:
        return {"fits": "Fits", "may_fit": "May fit", "ruled_out": "Ruled out"}[self.value]


@dataclass(frozen=True)
class BetterOff:
    """The latest better-off calculation: the wage it was run at and the gain a week by hours."""

    hourly_wage: Decimal
    calculated_on: date
    by_hours: tuple[tuple[Decimal, Decimal], ...]  # (hours a week, better off a week than at 0 hours)

    @classmethod
    def from_results(cls, hourly_wage: Decimal, calculated_on: date, results: dict[str, Any]) -> BetterOff:
        points = tuple(
            (Decimal(str(p["hours"])), Decimal(str(p.get("better_off", 0)))) for p in results.get("points", [])
        )
        return cls(hourly_wage, calculated_on, points)


@dataclass(frozen=True)
class Seeker:
    """What we know of a person looking for work. None: not known."""

    case_id: Any
    partner_id: Any
    name: str
    home_district: str | None
    hours_min: Decimal | None = None
    hours_max: Decimal | None = None
    travel_districts: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    adjustments_needed: frozenset[str] | None = None
    goals: tuple[str, ...] = ()
    better_off: BetterOff | None = None


@dataclass(frozen=True)
class Post:
    """What matching needs of a vacancy."""

    vacancy_id: Any
    title: str
    employer_name: str
    district: str
    hours_min: Decimal
    hours_max: Decimal
    kind: str
    hourly_wage: Decimal | None  # None: unpaid
    adjustments_offered: frozenset[str] = frozenset()
    closing_on: date | None = None


@dataclass(frozen=True)
class Check:
    criterion: str
    outcome: Outcome
    reason: str
    settle: str = ""  # for a not-known answer: what would settle it
    soft: bool = False  # a "no" that lowers the rank but does not rule out


@dataclass
class Match:
    seeker: Seeker
    post: Post
    checks: list[Check] = field(default_factory=list)

    @property
    def fit(self) -> Fit:
        if any(c.outcome == Outcome.NOT_ELIGIBLE and not c.soft for c in self.checks):
            return Fit.RULED_OUT
        if all(c.outcome == Outcome.ELIGIBLE for c in self.checks):
            return Fit.FITS
        return Fit.MAY_FIT

    @property
    def why(self) -> list[str]:
        return [c.reason for c in self.checks if c.outcome == Outcome.ELIGIBLE]

    @property
    def ruled_out_by(self) -> list[str]:
        return [c.reason for c in self.checks if c.outcome == Outcome.NOT_ELIGIBLE and not c.soft]

    @property
    def against(self) -> list[str]:
        return [c.reason for c in self.checks if c.outcome == Outcome.NOT_ELIGIBLE and c.soft]

    @property
    def not_known(self) -> list[Check]:
        return [c for c in self.checks if c.outcome == Outcome.UNKNOWN]

    @property
    def score(self) -> int:
        return sum(
            2 if c.outcome == Outcome.ELIGIBLE else -1 if c.outcome == Outcome.NOT_ELIGIBLE else 0 for c in self.checks
        )

    @property
    def rank_key(self) -> tuple[int, int, str]:
        order = {Fit.FITS: 0, Fit.MAY_FIT: 1, Fit.RULED_OUT: 2}[self.fit]
        return (order, -self.score, self.seeker.name + self.post.title)


def _hours(h: Decimal) -> str:
    return f"{h.normalize():f}"


def _span(lo: Decimal, hi: Decimal) -> str:
    return f"{_hours(lo)} hours" if lo == hi else f"{_hours(lo)} to {_hours(hi)} hours"


def check_hours(s: Seeker, p: Post) -> Check:
    if s.hours_min is None or s.hours_max is None:
        return Check(
            "hours",
            Outcome.UNKNOWN,
            "Not known how many hours a week they want",
            "Ask how many hours a week they want to work",
        )
    wants, offers = _span(s.hours_min, s.hours_max), _span(p.hours_min, p.hours_max)
    if s.hours_min <= p.hours_max and p.hours_min <= s.hours_max:
        return Check("hours", Outcome.ELIGIBLE, f"Wants {wants} a week; the job offers {offers}")
    return Check("hours", Outcome.NOT_ELIGIBLE, f"Wants {wants} a week, but the job offers {offers}")


def check_travel(s: Seeker, p: Post) -> Check:
    if s.travel_districts is None:
        if s.home_district and s.home_district == p.district:
            return Check("travel", Outcome.ELIGIBLE, f"Lives in {p.district}, where the job is")
        return Check(
            "travel",
            Outcome.UNKNOWN,
            f"Not known whether they can travel to {p.district}",
            "Ask which areas they can travel to",
        )
    if p.district in s.travel_districts or p.district == s.home_district:
        return Check("travel", Outcome.ELIGIBLE, f"Can travel to {p.district}, where the job is")
    areas = ", ".join(sorted(s.travel_districts)) or "nowhere beyond home"
    return Check("travel", Outcome.NOT_ELIGIBLE, f"The job is in {p.district}; they can travel to {areas}")


def check_kind(s: Seeker, p: Post) -> Check:
    label = VacancyKind(p.kind).label.lower()
    if s.kinds is None:
        return Check(
            "kind",
            Outcome.UNKNOWN,
            "Not known what kind of work they want",
            "Ask whether they want a job, a work trial, volunteering or other",
        )
    if p.kind in s.kinds:
        return Check("kind", Outcome.ELIGIBLE, f"Wants a {label}")
    wanted = ", ".join(VacancyKind(k).label.lower() for k in sorted(s.kinds)) or "nothing yet"
    return Check("kind", Outcome.NOT_ELIGIBLE, f"This is a {label}; they want: {wanted}")


_WORD = re.compile(r"[a-z]{3,}")
_STOP = frozenset({"and", "the", "for", "job", "work", "with", "get", "find", "want", "into", "part", "time", "full"})


@lru_cache(maxsize=4096)
def word_stems(text: str) -> frozenset[str]:
    """The word stems of a title or goal (cached: matching asks for the same few texts many times)."""
    return frozenset(w[:5] for w in _WORD.findall(text.lower()) if w not in _STOP)


_ADJUSTMENT_NAMES = {k: str(label).split(" (")[0].lower() for k, label in AdjustmentKind.choices}


def check_goals(s: Seeker, p: Post) -> Check:
    if not s.goals:
        return Check("goals", Outcome.UNKNOWN, "No job goal in their plan yet", "Agree a job goal in their plan")
    wanted = word_stems(p.title)
    for goal in s.goals:
        if wanted & word_stems(goal):
            return Check("goals", Outcome.ELIGIBLE, f"Matches their goal: \u201c{goal}\u201d")
    return Check("goals", Outcome.NOT_ELIGIBLE, "None of their plan's goals mentions this work", soft=True)


def check_adjustments(s: Seeker, p: Post) -> Check:
    if s.adjustments_needed is None:
        return Check(
            "adjustments",
            Outcome.UNKNOWN,
            "Not known whether they need adjustments",
            "Ask what adjustments at work they need",
        )
    if not s.adjustments_needed:
        return Check("adjustments", Outcome.ELIGIBLE, "Needs no adjustments")
    missing = s.adjustments_needed - p.adjustments_offered
    names = ", ".join(_ADJUSTMENT_NAMES.get(a, a) for a in sorted(missing or s.adjustments_needed))
    if not missing:
        return Check("adjustments", Outcome.ELIGIBLE, f"Offers the adjustments they need ({names})")
    return Check(
        "adjustments",
        Outcome.NOT_ELIGIBLE,
        f"Does not offer: {names}. Ask the employer; it may still be agreed as a reasonable adjustment",
        soft=True,
    )


def check_better_off(s: Seeker, p: Post) -> Check | None:
    if p.hourly_wage is None or p.kind not in PAID_KINDS:
        return None
    b = s.better_off
    if b is None:
        return Check("better_off", Outcome.UNKNOWN, "No better-off calculation yet", "Run a better-off calculation")
    if p.hourly_wage < b.hourly_wage:
        return Check(
            "better_off",
            Outcome.UNKNOWN,
            f"Their better-off calculation was at £{b.hourly_wage} an hour; this job pays £{p.hourly_wage}",
            f"Run the better-off calculation at £{p.hourly_wage} an hour",
        )
    near = [(abs(h - p.hours_min), h, gain) for h, gain in b.by_hours if abs(h - p.hours_min) <= HOURS_NEAR]
    if not near:
        return Check(
            "better_off",
            Outcome.UNKNOWN,
            f"Their calculation has no figure near {_hours(p.hours_min)} hours",
            "Run the better-off calculation at these hours",
        )
    _d, hours, gain = min(near)
    at = f"at {_hours(hours)} hours and £{b.hourly_wage} an hour (calculated {b.calculated_on:%-d %B %Y})"
    if gain > 0:
        return Check("better_off", Outcome.ELIGIBLE, f"Would be about £{gain:.0f} a week better off {at}")
    return Check("better_off", Outcome.NOT_ELIGIBLE, f"Would not be better off {at}")


CHECKS = (check_hours, check_travel, check_kind, check_goals, check_adjustments)
HARD_CHECKS = (check_hours, check_travel, check_kind, check_better_off)  # the checks whose "no" is never soft


def match(seeker: Seeker, post: Post) -> Match:
    checks = [check(seeker, post) for check in CHECKS]
    better = check_better_off(seeker, post)
    if better is not None:
        checks.append(better)
    return Match(seeker, post, checks)


def may_fit(seeker: Seeker, post: Post) -> bool:
    """Whether `match(seeker, post)` would not be ruled out, asking only the checks that can rule
    out (for counting other partners' people, whose reasons nobody reads)."""
    for check in HARD_CHECKS:
        c = check(seeker, post)
        if c is not None and c.outcome == Outcome.NOT_ELIGIBLE:
            return False
    return True


def ranked(matches: Sequence[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: m.rank_key)
