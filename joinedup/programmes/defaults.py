"""The default unit savings a new programme starts with, each labelled with its source and year
(the figures the partnership's reports quote), and the default split of a fiscal saving by who
gains. All are data: a programme manager changes them on the programme's costs page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .choices import Beneficiary, SavingBasis, SavingKind

CESI_2015 = (
    "CESI (2015), quoted in Health at Work Policy Unit, 'Healthy, working economies' (2016), "
    "Greater Manchester Working Well case study"
)
NORFOLK_2017 = (
    "Norfolk County Council, Business and Property Committee, 'Integrated Health and Employment "
    "Service', 18 October 2017, section 3.1 (social return on investment)"
)

# "Of each £1 saved, only 7p goes to the local authority, 80p to central government and 13p to the
# police, NHS, housing providers and others" (CESI 2015, in the same report).
FISCAL_SHARES: dict[str, Decimal] = {
    Beneficiary.LOCAL_AUTHORITY: Decimal(7),
    Beneficiary.DWP_HMRC: Decimal(80),
    Beneficiary.NHS: Decimal(13),
}


@dataclass(frozen=True)
class DefaultSaving:
    label: str
    kind: str
    amount: Decimal
    source: str
    year: int
    shares: dict[str, Decimal]
    active: bool = True
    basis: str = SavingBasis.JOB_ENTRY


DEFAULT_SAVINGS = (
    DefaultSaving(
        "Saving to the public sector per ESA claimant moved into work",
        SavingKind.FISCAL,
        Decimal("9091"),
        NORFOLK_2017,
        2017,
        FISCAL_SHARES,
    ),
    DefaultSaving(
        "Gain to the local economy per ESA claimant moving into work",
        SavingKind.ECONOMIC,
        Decimal("13100"),
        CESI_2015,
        2015,
        {Beneficiary.LOCAL_ECONOMY.value: Decimal(100)},
    ),
    # The same saving counted for national government alone: an alternative to the Norfolk figure,
    # off by default so the two are not added together.
    DefaultSaving(
        "Gain to national government per ESA claimant moving into work",
        SavingKind.FISCAL,
        Decimal("6900"),
        CESI_2015,
        2015,
        {Beneficiary.DWP_HMRC.value: Decimal(100)},
        active=False,
    ),
)

# The ESF funding per participant the Norfolk bid expected: shown beside the cost per participant.
COST_BENCHMARK_LABEL = "Average ESF funding per participant expected by the Norfolk bid"
COST_BENCHMARK = Decimal("2074")
COST_BENCHMARK_SOURCE = NORFOLK_2017
