"""Every model of the cases app, and their choices, from the sub-packages that define them: Django
loads an app's models from here, and other apps import them from here."""

from .better_off.models import BetterOffCalculation
from .contacts.models import Contact, ContactChannel, ContactKind
from .enrolment.models import Case
from .plan.models import ActionOwner, GoalStatus, OnwardReferral, OnwardReferralStatus, PlanAction, PlanGoal
from .support.models import (
    AccessToWork,
    CaseExit,
    EarlyHelp,
    EarlyHelpOutcome,
    EarlyHelpSituation,
    ExitDestination,
    FitNoteAdvice,
)
from .wellbeing.models import AreaRating, Assessment, AssessmentArea, AssessmentRating, Timepoint, WellbeingMeasure
from .work.models import (
    FOLLOW_UP_MONTHS,
    IN_WORK_OUTCOMES,
    MILESTONES,
    MILESTONES_BY_CODE,
    SUSTAINMENT_WEEKS,
    ApplicationStatus,
    ContractType,
    JobApplication,
    JobStart,
    Milestone,
    MilestoneOutcome,
    Sustainment,
    WorkActivity,
    WorkActivityKind,
    add_months,
)

__all__ = [
    "FOLLOW_UP_MONTHS",
    "IN_WORK_OUTCOMES",
    "MILESTONES",
    "MILESTONES_BY_CODE",
    "SUSTAINMENT_WEEKS",
    "AccessToWork",
    "ActionOwner",
    "ApplicationStatus",
    "AreaRating",
    "Assessment",
    "AssessmentArea",
    "AssessmentRating",
    "BetterOffCalculation",
    "Case",
    "CaseExit",
    "Contact",
    "ContactChannel",
    "ContactKind",
    "ContractType",
    "EarlyHelp",
    "EarlyHelpOutcome",
    "EarlyHelpSituation",
    "ExitDestination",
    "FitNoteAdvice",
    "GoalStatus",
    "JobApplication",
    "JobStart",
    "Milestone",
    "MilestoneOutcome",
    "OnwardReferral",
    "OnwardReferralStatus",
    "PlanAction",
    "PlanGoal",
    "Sustainment",
    "Timepoint",
    "WellbeingMeasure",
    "WorkActivity",
    "WorkActivityKind",
    "add_months",
]
