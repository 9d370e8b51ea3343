"""The programmes app's writes (its public API)."""

from .claims import (
    batch_decide,
    batch_pay,
    batch_submit,
    claim_correct,
    claim_reject,
    claim_run,
    claims_batch_generate,
    claims_catch_up,
    job_entry_withdraw,
)
from .expenses import budget_set, expense_decide, expense_request
from .participants import course_record, esf_record, follow_up_record, leaving_record, participation_start
from .setup import (
    FunderInput,
    RuleInput,
    ShareInput,
    contract_set,
    programme_create,
    target_set,
    tariff_set,
    unit_cost_set,
)

__all__ = [
    "FunderInput",
    "RuleInput",
    "ShareInput",
    "batch_decide",
    "batch_pay",
    "batch_submit",
    "budget_set",
    "claim_correct",
    "claim_reject",
    "claim_run",
    "claims_batch_generate",
    "claims_catch_up",
    "contract_set",
    "course_record",
    "esf_record",
    "expense_decide",
    "expense_request",
    "follow_up_record",
    "job_entry_withdraw",
    "leaving_record",
    "participation_start",
    "programme_create",
    "target_set",
    "tariff_set",
    "unit_cost_set",
]
