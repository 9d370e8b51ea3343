"""Cases' person-linked records, for the registry in `people.records`."""

from __future__ import annotations

from joinedup.people.records import HeldRecord, OnErase, OnMerge, PersonRecord, register, register_held

from .models import (
    AreaRating,
    Assessment,
    BetterOffCalculation,
    Case,
    CaseExit,
    Contact,
    EarlyHelp,
    JobApplication,
    JobStart,
    OnwardReferral,
    PlanAction,
    PlanGoal,
    Sustainment,
    WellbeingMeasure,
    WorkActivity,
)

_CODED = "coded answers, dates and scores with no free text, counted in the programme's outcomes"

register(
    PersonRecord(
        model=Case,
        field="person",
        key="cases",
        merge=OnMerge.MOVE,
        # The adviser's free text goes; the stage and dates stay for the programme's starts and outcomes.
        erase=OnErase.ANONYMISE,
        anonymise=("eligibility_evidence", "next_action"),
        export=(
            "referral",
            "delivery_partner",
            "adviser",
            "stage",
            "enrolled_on",
            "eligibility_evidence",
            "next_action",
            "next_review_on",
            "closed_on",
        ),
    ),
)

# What hangs off a case. Its counted facts (dates, kinds, statuses, hours, pay) stay for the
# programme's starts and outcomes; what anyone wrote in words goes; a better-off calculation, the
# person's household and finances, goes whole.
register_held(
    HeldRecord(model=BetterOffCalculation, parent="case", erase=OnErase.DELETE),
    HeldRecord(model=Contact, parent="case", erase=OnErase.ANONYMISE, anonymise=("notes",)),
    HeldRecord(model=PlanGoal, parent="case", erase=OnErase.ANONYMISE, anonymise=("text",)),
    HeldRecord(model=PlanAction, parent="case", erase=OnErase.ANONYMISE, anonymise=("description", "owner_name")),
    HeldRecord(model=OnwardReferral, parent="case", erase=OnErase.ANONYMISE, anonymise=("reason",)),
    HeldRecord(model=CaseExit, parent="case", erase=OnErase.ANONYMISE, anonymise=("reason", "reengage_reason")),
    HeldRecord(model=EarlyHelp, parent="case", erase=OnErase.ANONYMISE, anonymise=("employer_contact", "plan_notes")),
    HeldRecord(model=WellbeingMeasure, parent="case", erase=OnErase.KEEP, erase_reason=_CODED),
    HeldRecord(model=Assessment, parent="case", erase=OnErase.ANONYMISE, anonymise=("summary",)),
    HeldRecord(model=AreaRating, parent="assessment", erase=OnErase.KEEP, erase_reason=_CODED),
    HeldRecord(
        model=JobStart, parent="case", erase=OnErase.ANONYMISE, anonymise=("employer_name", "job_title", "evidence")
    ),
    HeldRecord(model=Sustainment, parent="job_start", erase=OnErase.ANONYMISE, anonymise=("evidence",)),
    HeldRecord(model=JobApplication, parent="case", erase=OnErase.ANONYMISE, anonymise=("employer_name", "job_title")),
    HeldRecord(model=WorkActivity, parent="case", erase=OnErase.ANONYMISE, anonymise=("organisation_name", "role")),
)
