"""Better-off-in-work, checked by hand against the published rates for 2026 to 2027.

The expected amounts are computed here from DWP's "Benefit and pension rates 2026 to 2027" and HMRC's
rates, not read from the model: if policyengine-uk's rules or parameters drift from the published
rates, these tests say so. Each household is one real simulation (a few seconds each), so the
households are few and computed once per module.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from decimal import Decimal

import pytest

from joinedup.cases.better_off import calculator as better_off
from joinedup.cases.better_off.calculator import Household
from joinedup.core.errors import DomainError

# Universal Credit, monthly, 2026 to 2027 (DWP, Benefit and pension rates 2026 to 2027).
UC_SINGLE_25_PLUS = 424.90
UC_COUPLE_25_PLUS = 666.97
UC_CHILD = 303.94  # each child born on or after 6 April 2017; the two-child limit ends April 2026
WORK_ALLOWANCE_WITH_HOUSING = 427.00
WORK_ALLOWANCE_WITHOUT_HOUSING = 710.00
TAPER = 0.55
# Child Benefit, weekly: eldest and each other child.
CHILD_BENEFIT_ELDEST, CHILD_BENEFIT_OTHER = 27.05, 17.90
PIP_DAILY_LIVING_STANDARD = 76.70  # weekly
# Income tax and employee National Insurance, 2026 to 2027 (thresholds frozen).
PERSONAL_ALLOWANCE = NI_PRIMARY_THRESHOLD = 12_570
BASIC_RATE, NI_MAIN_RATE = 0.20, 0.08

WAGE = Decimal("12.71")  # National Living Wage from April 2026


def gross(hours: int) -> float:
    return float(WAGE) * hours * 52


def tax_and_ni(annual: float) -> tuple[float, float]:
    return max(0.0, annual - PERSONAL_ALLOWANCE) * BASIC_RATE, max(0.0, annual - NI_PRIMARY_THRESHOLD) * NI_MAIN_RATE


def uc_weekly(hours: int, *, maximum_monthly: float, work_allowance_monthly: float = 0.0) -> float:
    """UC = maximum amount less 55% of earnings (after tax and NI) above the work allowance."""
    annual = gross(hours)
    tax, ni = tax_and_ni(annual)
    net_monthly = (annual - tax - ni) / 12
    monthly = max(0.0, maximum_monthly - TAPER * max(0.0, net_monthly - work_allowance_monthly))
    return monthly * 12 / 52


SINGLE_RENTER = Household(age=30, monthly_rent=Decimal("500"), tenure="social")
COUPLE_WITH_CHILDREN = Household(
    age=30, partner_age=30, children_ages=(3, 5), monthly_rent=Decimal("600"), tenure="social"
)
LONE_PARENT_OWNER = Household(
    age=28, children_ages=(2,), tenure="owner", council_tax_band="A", pip_daily_living="standard"
)


@pytest.fixture(scope="module")
def single_renter():
    """The whole 0-40 hour curve, with the network closed: the calculation must not fetch anything."""
    real_connect = socket.socket.connect

    def refuse(self, address):
        raise AssertionError(f"the calculation tried to reach the network: {address}")

    socket.socket.connect = refuse
    try:
        return better_off.calculate(SINGLE_RENTER, hourly_wage=WAGE)
    finally:
        socket.socket.connect = real_connect


@pytest.fixture(scope="module")
def couple():
    return better_off.calculate(COUPLE_WITH_CHILDREN, hourly_wage=WAGE, hours=(0, 10, 20, 40))


@pytest.fixture(scope="module")
def lone_parent():
    return better_off.calculate(LONE_PARENT_OWNER, hourly_wage=WAGE, hours=(0, 20, 35))


def by_hours(result: better_off.Result) -> dict[int, better_off.Point]:
    return {p.hours: p for p in result.points}


def test_the_curve_has_every_hour_from_0_to_40_in_the_model_tax_year(single_renter):
    assert [p.hours for p in single_renter.points] == list(range(41))
    assert single_renter.tax_year == 2026
    assert single_renter.model_version
    assert "2026 to 2027" in single_renter.assumptions[0]


@pytest.mark.parametrize("hours", [0, 10, 16, 19, 30, 40])
def test_single_renter_gets_the_standard_allowance_and_housing_tapered_at_55_percent(single_renter, hours):
    point = by_hours(single_renter)[hours]
    # No children and no health element: no work allowance, so the taper starts at the first pound.
    expected = uc_weekly(hours, maximum_monthly=UC_SINGLE_25_PLUS + 500)
    assert point.universal_credit == pytest.approx(expected, abs=0.02)
    tax, ni = tax_and_ni(gross(hours))
    assert point.income_tax == pytest.approx(tax / 52, abs=0.02)
    assert point.national_insurance == pytest.approx(ni / 52, abs=0.02)
    assert point.net_income == pytest.approx((gross(hours) - tax - ni) / 52 + expected, abs=0.03)


def test_at_0_hours_the_single_renter_gets_the_maximum_amount(single_renter):
    zero = by_hours(single_renter)[0]
    assert zero.universal_credit == pytest.approx((UC_SINGLE_25_PLUS + 500) * 12 / 52, abs=0.01)
    assert zero.better_off == 0


def test_net_income_never_falls_with_more_hours_and_the_chart_scales_to_the_top(single_renter):
    nets = [p.net_income for p in single_renter.points]
    assert nets == sorted(nets)
    assert max(p.percent for p in single_renter.points) == 100
    assert all(1 <= p.percent <= 100 for p in single_renter.points)


@pytest.mark.parametrize("hours", [0, 10, 20, 40])
def test_couple_with_two_children_get_the_work_allowance_with_housing(couple, hours):
    point = by_hours(couple)[hours]
    maximum = UC_COUPLE_25_PLUS + 2 * UC_CHILD + 600
    expected = uc_weekly(hours, maximum_monthly=maximum, work_allowance_monthly=WORK_ALLOWANCE_WITH_HOUSING)
    assert point.universal_credit == pytest.approx(expected, abs=0.02)
    assert point.child_benefit == pytest.approx(CHILD_BENEFIT_ELDEST + CHILD_BENEFIT_OTHER, abs=0.01)


def test_earnings_inside_the_work_allowance_do_not_reduce_universal_credit(couple):
    # 10 hours at £12.71 is £550.73 a month, more than the £427 work allowance: only the excess tapers.
    points = by_hours(couple)
    lost = points[0].universal_credit - points[10].universal_credit
    excess_monthly = gross(10) / 12 - WORK_ALLOWANCE_WITH_HOUSING
    assert lost == pytest.approx(TAPER * excess_monthly * 12 / 52, abs=0.02)


@pytest.mark.parametrize("hours", [0, 20, 35])
def test_lone_parent_who_owns_gets_the_higher_work_allowance_pip_and_pays_council_tax(lone_parent, hours):
    point = by_hours(lone_parent)[hours]
    expected = uc_weekly(
        hours, maximum_monthly=UC_SINGLE_25_PLUS + UC_CHILD, work_allowance_monthly=WORK_ALLOWANCE_WITHOUT_HOUSING
    )
    assert point.universal_credit == pytest.approx(expected, abs=0.02)
    assert point.pip == pytest.approx(PIP_DAILY_LIVING_STANDARD, abs=0.01)
    assert point.child_benefit == pytest.approx(CHILD_BENEFIT_ELDEST, abs=0.01)
    # Band A is 6/9 of Band D, and one adult gets 25% off.
    band_d = better_off._council_tax("D", better_off.DEFAULT_LOCAL_AUTHORITY, 2026, adults=2)
    assert point.council_tax == pytest.approx(band_d * 6 / 9 * 0.75 / 52, abs=0.01)
    tax, ni = tax_and_ni(gross(hours))
    net = (gross(hours) - tax - ni) / 52 + expected + CHILD_BENEFIT_ELDEST + PIP_DAILY_LIVING_STANDARD
    assert point.net_income == pytest.approx(net - point.council_tax, abs=0.05)


def test_one_simulation_per_hour_gives_the_same_answers(single_renter):
    one_at_a_time = by_hours(better_off.calculate_one_at_a_time(SINGLE_RENTER, hourly_wage=WAGE, hours=(0, 30)))
    vectorised = by_hours(single_renter)
    for hours in (0, 30):
        a, b = one_at_a_time[hours], vectorised[hours]
        assert (a.universal_credit, a.income_tax, a.net_income, a.better_off) == (
            b.universal_credit,
            b.income_tax,
            b.net_income,
            b.better_off,
        )


def test_the_situation_holds_one_household_per_hour_option():
    situation = better_off.situation(COUPLE_WITH_CHILDREN, hourly_wage=WAGE, hours=range(41))
    assert len(situation["households"]) == 41
    assert len(situation["people"]) == 41 * 4
    assert situation["people"]["h16_you"]["employment_income"][2026] == pytest.approx(gross(16))


@pytest.mark.parametrize(
    ("household", "wage", "field"),
    [
        (Household(age=15), WAGE, "age"),
        (Household(age=30, partner_weekly_earnings=Decimal("100")), WAGE, "partner_age"),
        (Household(age=30, children_ages=(25,)), WAGE, "children_ages"),
        (Household(age=30, monthly_rent=Decimal("-1")), WAGE, "monthly_rent"),
        (Household(age=30, tenure="owner", monthly_rent=Decimal("400")), WAGE, "monthly_rent"),
        (Household(age=30, council_tax_band="Z"), WAGE, "council_tax_band"),
        (Household(age=30, pip_mobility="'; DROP TABLE"), WAGE, "pip_mobility"),
        (Household(age=30), Decimal("0"), "hourly_wage"),
        (Household(age=30), Decimal("1000"), "hourly_wage"),
    ],
)
def test_impossible_households_are_refused_before_any_simulation(household, wage, field):
    with pytest.raises(DomainError) as error:
        better_off.calculate(household, hourly_wage=wage)
    assert error.value.field == field


def test_the_rest_of_the_app_does_not_import_the_model():
    """policyengine-uk takes seconds to import: only a calculation may load it."""
    code = (
        "import django, sys; django.setup(); "
        "import joinedup.cases.better_off.views, joinedup.cases.better_off.services, "
        "joinedup.cases.better_off.calculator, joinedup.cases.services, config.urls; "
        "assert 'policyengine_uk' not in sys.modules, 'imported eagerly'"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)  # noqa: S603


def test_an_unknown_council_is_a_clear_configuration_error():
    with pytest.raises(ValueError, match="not a council policyengine-uk knows"):
        better_off.calculate(Household(age=30, council_tax_band="B"), hourly_wage=WAGE, local_authority="NOWHERE")


# The warm engine (a prepared simulation per household shape, inputs replaced) gives the answers a
# new simulation per hour option gives, to the penny, for households that reuse one another's
# prepared simulation: same shape, different ages, rents, tenures, health, wages and councils' bands.
SAMPLE_HOURS = (0, 30)
SAMPLE = [
    (
        Household(
            age=34,
            partner_age=36,
            partner_weekly_earnings=Decimal("150"),
            children_ages=(4, 9),
            monthly_rent=Decimal("650"),
            council_tax_band="B",
            pip_daily_living="standard",
        ),
        Decimal("12.71"),
    ),
    (
        Household(
            age=25,
            partner_age=30,
            married=True,
            children_ages=(1, 17),
            monthly_rent=Decimal("500"),
            tenure="private",
            council_tax_band="A",
            lcwra=True,
        ),
        Decimal("11.44"),
    ),
    (
        Household(age=52, monthly_rent=Decimal("420"), council_tax_band="C", lcwra=True, pip_mobility="enhanced"),
        Decimal("14.20"),
    ),
    (Household(age=61, tenure="owner", council_tax_band="D", pip_daily_living="enhanced"), Decimal("12.71")),
]


def test_the_warm_engine_matches_one_simulation_per_hour_to_the_penny():
    # Each household's shape (a partner and two children; one adult) is met first by the household
    # before it, so each compared curve comes from a prepared simulation with its inputs replaced.
    warm = [better_off.calculate(h, hourly_wage=w, hours=SAMPLE_HOURS) for h, w in SAMPLE]
    for index in (1, 3):
        household, wage = SAMPLE[index]
        naive = better_off.calculate_one_at_a_time(household, hourly_wage=wage, hours=SAMPLE_HOURS)
        assert warm[index].points == naive.points, household


def test_the_warm_engine_matches_a_new_simulation_for_the_whole_curve():
    household, wage = SAMPLE[1]
    better_off.calculate(SAMPLE[0][0], hourly_wage=SAMPLE[0][1])  # the shape's prepared simulation, used once
    warm = better_off.calculate(household, hourly_wage=wage)
    assert warm.points == better_off.calculate_new_simulation(household, hourly_wage=wage).points
