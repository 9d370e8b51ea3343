"""Better-off-in-work: the household's net income at 0 to 40 hours a week, from `policyengine-uk`.

Every hour option is one household in ONE PolicyEngine simulation (a vectorised calculation): the
people, benefit unit and household are copied once per option with that option's earnings, and the
model computes all of them together. The simulation is the worker's prepared one for a household of
that shape, its inputs replaced (`engine.py`): the tax-benefit system is loaded once per process.
`policyengine-uk` is imported lazily, in `_simulation_class()` and `engine.py`,
so the rest of the app (and the test suite) never pays for importing it. A household calculation
uses only the parameters packaged with the model: nothing is downloaded.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from joinedup.core.errors import DomainError

# The tax year the calculation uses: PolicyEngine's year 2026 is the 2026 to 2027 tax year (its
# Universal Credit rates are those from April 2026). Changing it means checking the tests against
# that year's published rates.
TAX_YEAR = 2026
TAX_YEAR_LABEL = "2026 to 2027"
WEEKS_IN_YEAR = 52
DEFAULT_HOURS: tuple[int, ...] = tuple(range(0, 41))
# The council the household lives in, for its Band D council tax and Local Housing Allowance area.
# The demo partnership is in Mansfield (NG18); a deployment sets its own (a PolicyEngine
# LocalAuthority code) in settings.BETTER_OFF_LOCAL_AUTHORITY.
DEFAULT_LOCAL_AUTHORITY = "MANSFIELD"

TENURES = {
    "social": "RENT_FROM_HA",  # council and housing association rents are treated alike
    "private": "RENT_PRIVATELY",
    "owner": "OWNED_WITH_MORTGAGE",
}
TENURE_LABELS = {
    "social": "Rents from the council or a housing association",
    "private": "Rents privately",
    "owner": "Owns their home (with or without a mortgage)",
}
COUNCIL_TAX_BANDS = ("A", "B", "C", "D", "E", "F", "G", "H")
PIP_RATES = {"": "NONE", "standard": "STANDARD", "enhanced": "ENHANCED"}

# What is and is not modelled, shown with every result.
ASSUMPTIONS: tuple[str, ...] = (
    f"Tax year {TAX_YEAR_LABEL}, using the rates and rules in policyengine-uk (the open UK tax-benefit model).",
    "Earnings are the hourly wage times the hours, for 52 weeks, from employment (not self-employment).",
    "Income tax and National Insurance are taken off; Universal Credit, Child Benefit and PIP are added; "
    "council tax is taken off. Rent is not taken off: help with rent is counted in Universal Credit.",
    "A married couple (or civil partners) claim Marriage Allowance when it helps; a couple who live together "
    "without marrying cannot.",
    "Everyone who could get Universal Credit claims it; legacy benefits (ESA, JSA, tax credits, "
    "Housing Benefit) are not modelled, as they have closed to new claims.",
    "The Universal Credit health element (LCWRA) is modelled when the person has it; a health element "
    "awarded from April 2026 is at the lower new-claim rate set by the Universal Credit Act 2025.",
    "Council tax is the council's Band D amount times the band's statutory ratio (England), with 25% off when one "
    "adult lives there (children 18 and over count as adults).",
    "PIP is not affected by work. Carer's Allowance, childcare costs, capital and savings, pension "
    "contributions, student loans, the benefit cap's grace period and Council Tax Reduction "
    "(each council's own scheme) are not modelled.",
    "Private rents are limited to the Local Housing Allowance for the area; the council is set for the service.",
    "An estimate to guide a conversation, not a benefit decision: the person's award letter is the final word.",
)


@dataclass(frozen=True)
class Household:
    """What the calculation needs to know about the person's household."""

    age: int
    partner_age: int | None = None
    partner_weekly_earnings: Decimal = Decimal("0")
    married: bool = False  # married or in a civil partnership (Marriage Allowance), not just living together
    children_ages: tuple[int, ...] = ()
    monthly_rent: Decimal = Decimal("0")
    tenure: str = "social"
    council_tax_band: str = ""  # "" when the household pays no council tax (for example, lives with family)
    lcwra: bool = False  # the UC health element: limited capability for work and work-related activity
    pip_daily_living: str = ""  # "", "standard" or "enhanced"
    pip_mobility: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["partner_weekly_earnings"] = str(self.partner_weekly_earnings)
        data["monthly_rent"] = str(self.monthly_rent)
        data["children_ages"] = list(self.children_ages)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Household:
        return cls(
            **{
                **data,
                "partner_weekly_earnings": Decimal(data["partner_weekly_earnings"]),
                "monthly_rent": Decimal(data["monthly_rent"]),
                "children_ages": tuple(data["children_ages"]),
            }
        )


def household_check(household: Household, hourly_wage: Decimal) -> None:
    """Plain-English errors for impossible inputs, before any calculation."""
    if not 16 <= household.age <= 120:
        raise DomainError("The person's age must be between 16 and 120.", field="age")
    if household.partner_age is not None and not 16 <= household.partner_age <= 120:
        raise DomainError("The partner's age must be between 16 and 120.", field="partner_age")
    if household.partner_age is None and household.married:
        raise DomainError("Enter the partner's age, or say the person is not married.", field="partner_age")
    if household.partner_age is None and household.partner_weekly_earnings:
        raise DomainError("Enter the partner's age, or leave their earnings empty.", field="partner_age")
    if not Decimal("0") <= household.partner_weekly_earnings <= Decimal("10000"):
        raise DomainError(
            "The partner's earnings must be between £0 and £10,000 a week.", field="partner_weekly_earnings"
        )
    if len(household.children_ages) > 12:
        raise DomainError("Enter no more than 12 children.", field="children_ages")
    if any(not 0 <= a <= 19 for a in household.children_ages):
        raise DomainError("Each child's age must be between 0 and 19.", field="children_ages")
    if not Decimal("0") <= household.monthly_rent <= Decimal("10000"):
        raise DomainError("Rent must be between £0 and £10,000 a month.", field="monthly_rent")
    if household.tenure not in TENURES:
        raise DomainError("Select whether the household rents or owns its home.", field="tenure")
    if household.tenure == "owner" and household.monthly_rent:
        raise DomainError("A household that owns its home pays no rent: leave rent at 0.", field="monthly_rent")
    if household.council_tax_band and household.council_tax_band not in COUNCIL_TAX_BANDS:
        raise DomainError("Select the council tax band, A to H.", field="council_tax_band")
    for name in ("pip_daily_living", "pip_mobility"):
        if getattr(household, name) not in PIP_RATES:
            raise DomainError("Select the PIP rate: none, standard or enhanced.", field=name)
    if not Decimal("0.01") <= hourly_wage <= Decimal("500"):
        raise DomainError("The hourly wage must be between £0.01 and £500.", field="hourly_wage")


@dataclass(frozen=True)
class Point:
    """Weekly amounts, in pounds, at one number of hours a week."""

    hours: int
    earnings: float
    income_tax: float
    national_insurance: float
    universal_credit: float
    child_benefit: float
    pip: float
    council_tax: float
    net_income: float
    better_off: float = 0.0  # than at 0 hours
    percent: int = 0  # bar length on the chart, against the highest net income shown


@dataclass(frozen=True)
class Result:
    tax_year: int
    hourly_wage: Decimal
    points: list[Point]
    seconds: float
    model_version: str
    assumptions: tuple[str, ...] = field(default=ASSUMPTIONS)

    def as_json(self) -> dict[str, Any]:
        return {
            "tax_year": self.tax_year,
            "hourly_wage": str(self.hourly_wage),
            "model_version": self.model_version,
            "seconds": round(self.seconds, 3),
            "points": [asdict(p) for p in self.points],
        }


def _simulation_class() -> Any:
    from policyengine_uk import Simulation

    return Simulation


def model_version() -> str:
    from importlib.metadata import version

    return version("policyengine-uk")


SINGLE_PERSON_DISCOUNT = 0.25  # Local Government Finance Act 1992 s. 11: one adult, 25% off


def _council_tax(band: str, local_authority: str, year: int, *, adults: int = 2) -> float:
    """The annual bill for the band: the council's Band D amount times the statutory band ratio (from
    the model's parameters), less the single person discount when one adult lives there."""
    if not band:
        return 0.0
    from policyengine_uk.system import system

    council_tax = system.parameters.gov.local_authorities.council_tax
    instant = f"{year}-04-06"
    amounts = council_tax.band_d.amounts
    if local_authority not in amounts.children:
        raise ValueError(f"BETTER_OFF_LOCAL_AUTHORITY {local_authority!r} is not a council policyengine-uk knows")
    band_d = getattr(amounts, local_authority)(instant)
    ratio = getattr(council_tax.band_ratios.england, band)(instant)
    bill = float(band_d) * float(ratio)
    return bill * (1 - SINGLE_PERSON_DISCOUNT) if adults == 1 else bill


def situation(
    household: Household,
    *,
    hourly_wage: Decimal,
    hours: Sequence[int],
    year: int = TAX_YEAR,
    local_authority: str = DEFAULT_LOCAL_AUTHORITY,
) -> dict[str, Any]:
    """One PolicyEngine situation holding one copy of the household per hour option."""
    people: dict[str, Any] = {}
    benunits: dict[str, Any] = {}
    households: dict[str, Any] = {}
    adults = 1 + (household.partner_age is not None) + sum(1 for a in household.children_ages if a >= 18)
    council_tax = _council_tax(household.council_tax_band, local_authority, year, adults=adults)
    for h in hours:
        key = f"h{h}"
        you = {
            "age": {year: household.age},
            "employment_income": {year: float(hourly_wage) * h * WEEKS_IN_YEAR},
            "hours_worked": {year: h * WEEKS_IN_YEAR},
            "uc_limited_capability_for_WRA": {year: household.lcwra},
            "pip_dl_category": {year: PIP_RATES[household.pip_daily_living]},
            "pip_m_category": {year: PIP_RATES[household.pip_mobility]},
        }
        members = [f"{key}_you"]
        people[f"{key}_you"] = you
        if household.partner_age is not None:
            people[f"{key}_partner"] = {
                "age": {year: household.partner_age},
                "employment_income": {year: float(household.partner_weekly_earnings) * WEEKS_IN_YEAR},
            }
            members.append(f"{key}_partner")
        for i, age in enumerate(household.children_ages):
            people[f"{key}_child{i}"] = {"age": {year: age}}
            members.append(f"{key}_child{i}")
        benunits[key] = {
            "members": members,
            "is_married": {year: household.partner_age is not None and household.married},
        }
        households[key] = {
            "members": members,
            "rent": {year: float(household.monthly_rent) * 12},
            "tenure_type": {year: TENURES[household.tenure]},
            "council_tax": {year: council_tax},
            "local_authority": {year: local_authority},
        }
    return {"people": people, "benunits": benunits, "households": households}


def _money(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _points(sim: Any, household: Household, hours: Sequence[int], year: int) -> list[Point]:
    """Weekly amounts per household (one per hour option), each variable summed to the household."""
    per_week = 1 / WEEKS_IN_YEAR
    names = (
        "employment_income",
        "income_tax",
        "national_insurance",
        "universal_credit",
        "child_benefit",
        "pip",
        "council_tax",
    )
    values = {name: sim.calculate(name, year, map_to="household") for name in names}
    partner_earnings = float(household.partner_weekly_earnings) * WEEKS_IN_YEAR
    points = []
    for i, h in enumerate(hours):
        v = {name: float(values[name][i]) for name in names}
        net = (
            v["employment_income"]
            - v["income_tax"]
            - v["national_insurance"]
            + v["universal_credit"]
            + v["child_benefit"]
            + v["pip"]
            - v["council_tax"]
        )
        points.append(
            Point(
                hours=h,
                earnings=_money((v["employment_income"] - partner_earnings) * per_week),
                income_tax=_money(v["income_tax"] * per_week),
                national_insurance=_money(v["national_insurance"] * per_week),
                universal_credit=_money(v["universal_credit"] * per_week),
                child_benefit=_money(v["child_benefit"] * per_week),
                pip=_money(v["pip"] * per_week),
                council_tax=_money(v["council_tax"] * per_week),
                net_income=_money(net * per_week),
            )
        )
    return points


def _finish(points: list[Point]) -> list[Point]:
    base = next((p.net_income for p in points if p.hours == 0), points[0].net_income)
    top = max((p.net_income for p in points), default=0) or 1
    return [
        Point(
            **{
                **asdict(p),
                "better_off": _money(p.net_income - base),
                "percent": max(1, round(p.net_income * 100 / top)),
            }
        )
        for p in points
    ]


def calculate(
    household: Household,
    *,
    hourly_wage: Decimal,
    hours: Sequence[int] = DEFAULT_HOURS,
    year: int = TAX_YEAR,
    local_authority: str = DEFAULT_LOCAL_AUTHORITY,
) -> Result:
    """Net income at each number of hours, all in one vectorised simulation: the worker's prepared
    simulation for a household of this shape (`engine.py`), or a new one the first time."""
    from . import engine

    household_check(household, hourly_wage)
    started = time.perf_counter()
    built = situation(household, hourly_wage=hourly_wage, hours=hours, year=year, local_authority=local_authority)
    shape = (household.partner_age is not None, len(household.children_ages), tuple(hours))
    with engine.lock():
        sim = engine.prepared(built, shape=shape, year=year)
        points = _finish(_points(sim, household, hours, year))
    return Result(year, hourly_wage, points, time.perf_counter() - started, model_version())


def calculate_new_simulation(
    household: Household,
    *,
    hourly_wage: Decimal,
    hours: Sequence[int] = DEFAULT_HOURS,
    year: int = TAX_YEAR,
    local_authority: str = DEFAULT_LOCAL_AUTHORITY,
) -> Result:
    """The same curve in one new simulation (a new tax-benefit system too): what `calculate` did
    before the warm engine, and what a cold worker pays. Kept for the benchmark and the tests."""
    household_check(household, hourly_wage)
    started = time.perf_counter()
    sim = _simulation_class()(
        situation=situation(household, hourly_wage=hourly_wage, hours=hours, year=year, local_authority=local_authority)
    )
    points = _finish(_points(sim, household, hours, year))
    return Result(year, hourly_wage, points, time.perf_counter() - started, model_version())


def calculate_one_at_a_time(
    household: Household,
    *,
    hourly_wage: Decimal,
    hours: Sequence[int] = DEFAULT_HOURS,
    year: int = TAX_YEAR,
    local_authority: str = DEFAULT_LOCAL_AUTHORITY,
) -> Result:
    """The same curve with one simulation per hour option: the baseline the benchmark compares with."""
    household_check(household, hourly_wage)
    started = time.perf_counter()
    simulation = _simulation_class()
    points: list[Point] = []
    for h in hours:
        sim = simulation(
            situation=situation(
                household, hourly_wage=hourly_wage, hours=[h], year=year, local_authority=local_authority
            )
        )
        points.extend(_points(sim, household, [h], year))
    return Result(year, hourly_wage, _finish(points), time.perf_counter() - started, model_version())
