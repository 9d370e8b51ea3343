"""The programmes app's reads (its public API)."""

from .areas import outcomes_by_area
from .esf import EsfReturn, esf_participants, esf_return, pds_rows
from .programmes import (
    batch_get,
    batches_for,
    follow_ups_due,
    participation_for_case,
    programme_get,
    programmes_for,
    programmes_running_on,
    rejected_claims,
)

__all__ = [
    "EsfReturn",
    "batch_get",
    "batches_for",
    "esf_participants",
    "esf_return",
    "follow_ups_due",
    "outcomes_by_area",
    "participation_for_case",
    "pds_rows",
    "programme_get",
    "programmes_for",
    "programmes_running_on",
    "rejected_claims",
]
