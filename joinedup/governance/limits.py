"""Length limits for governance records, each declared once with its message (cases' `Limit`)."""

from __future__ import annotations

from joinedup.cases.limits import Limit

REQUEST_DESCRIPTION = Limit("What the person asked for", 2000)
OUTCOME_NOTE = Limit("The note on the outcome", 2000)
HOLD_REASON = Limit("The reason for the hold", 1000)
AGREEMENT_TITLE = Limit("The agreement's title", 200)
AGREEMENT_PARTIES = Limit("The parties", 300)
AGREEMENT_TEXT = Limit("The text", 2000)
