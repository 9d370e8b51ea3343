"""The programmes app's models (Django loads them from here)."""

from .claims import Claim, ClaimBatch, ClaimEvidence
from .participant import Course, JobEntry, Participation
from .programme import Budget, Contract, Expense, Funder, Programme, SavingShare, Target, Tariff, TariffRule, UnitCost
from .tally import ProgrammeTally

__all__ = [
    "Budget",
    "Claim",
    "ClaimBatch",
    "ClaimEvidence",
    "Contract",
    "Course",
    "Expense",
    "Funder",
    "JobEntry",
    "Participation",
    "Programme",
    "ProgrammeTally",
    "SavingShare",
    "Target",
    "Tariff",
    "TariffRule",
    "UnitCost",
]
