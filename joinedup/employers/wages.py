"""The National Minimum Wage and National Living Wage, kept as dated data (`data/minimum_wage.json`,
with its source): the rate an hour for an age band on a date, and the one check a vacancy's wage
meets. Annual wages are turned into an hourly figure over the vacancy's hours (52 weeks a year)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import models

from joinedup.core.errors import DomainError

from .choices import WagePeriod

DATA = Path(__file__).parent / "data" / "minimum_wage.json"
WEEKS_A_YEAR = Decimal(52)


class AgeBand(models.TextChoices):
    ADULT = "21_and_over", "21 and over (National Living Wage)"
    YOUNG = "18_to_20", "18 to 20"
    UNDER_18 = "under_18", "Under 18"
    APPRENTICE = "apprentice", "Apprentice rate"


@dataclass(frozen=True)
class Rate:
    effective_from: date
    hourly: dict[str, Decimal]


@functools.cache
def rates() -> tuple[Rate, ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    out = [
        Rate(date.fromisoformat(row["from"]), {band: Decimal(row[band]) for band in AgeBand.values})
        for row in data["rates"]
    ]
    return tuple(sorted(out, key=lambda r: r.effective_from))


def source() -> str:
    return str(json.loads(DATA.read_text(encoding="utf-8"))["source"])


def minimum_hourly(age_band: str, on: date) -> Decimal | None:
    """The minimum an hour for `age_band` on `on`, or None before the first rate we hold."""
    found = None
    for rate in rates():
        if rate.effective_from <= on:
            found = rate.hourly[age_band]
    return found


def hourly_equivalent(amount: Decimal, period: str, hours_per_week: Decimal) -> Decimal:
    if period == WagePeriod.HOURLY:
        return amount
    return (amount / WEEKS_A_YEAR / hours_per_week).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_wage(*, amount: Decimal, period: str, hours_per_week: Decimal, age_band: str, on: date) -> None:
    """A DomainError on `wage` when the pay is below the minimum for the age band on that date."""
    if age_band not in AgeBand.values:
        raise DomainError("Select the age band the wage is for.", field="age_band")
    minimum = minimum_hourly(age_band, on)
    if minimum is None:
        raise DomainError(f"We hold no minimum wage rate for {on:%-d %B %Y}.", field="wage")
    hourly = hourly_equivalent(amount, period, hours_per_week)
    if hourly < minimum:
        label = AgeBand(age_band).label
        per_hour = "" if period == WagePeriod.HOURLY else f" (£{hourly} an hour over {hours_per_week} hours a week)"
        raise DomainError(
            f"The wage{per_hour} is below the minimum of £{minimum} an hour for {label.lower()} "
            f"on {on:%-d %B %Y}. Enter at least £{minimum} an hour.",
            field="wage",
        )
