"""The programmes app's vocabularies: codes are stable (reports, exports and templates compare them).

The ESF option strings (`PDS_*`) are the Participant Data Schema's: lower case, no numeral prefixes,
no blanks (research notes, `docs/decisions/021-programmes-and-claims.md`)."""

from __future__ import annotations

from django.db import models


class InvestmentPriority(models.TextChoices):
    IP_1_1 = "1.1", "1.1 Access to employment for job-seekers and inactive people"
    IP_1_2 = "1.2", "1.2 Sustainable integration of young people (NEET)"
    IP_1_4 = "1.4", "1.4 Active inclusion"
    IP_2_1 = "2.1", "2.1 Enhancing equal access to lifelong learning"


class FunderKind(models.TextChoices):
    ESF = "esf", "European Social Fund"
    MATCH = "match", "Match funding"
    OTHER = "other", "Other funding"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other or non-binary"


class LabourMarketStatus(models.TextChoices):
    """The one "labour market status that best describes the situation" at start."""

    UNEMPLOYED = "unemployed", "Unemployed (short term)"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", "Long-term unemployed"
    INACTIVE_EDUCATION = "inactive_education", "Inactive, in education or training"
    INACTIVE = "inactive", "Inactive, not in education or training"
    EMPLOYED = "employed", "Employed, including self-employed"


class Isced(models.TextChoices):
    """Highest education level reached, as an ISCED band."""

    ISCED_0 = "isced0", "Below primary (ISCED 0)"
    ISCED_1 = "isced1", "Primary (ISCED 1)"
    ISCED_2 = "isced2", "Lower secondary (ISCED 2), for example GCSEs below grade 4"
    ISCED_3 = "isced3", "Upper secondary (ISCED 3), for example A levels or 5 GCSEs at grade 4 or above"
    ISCED_4 = "isced4", "Post-secondary non-tertiary (ISCED 4)"
    ISCED_5_8 = "isced5_8", "Tertiary (ISCED 5 to 8), for example a degree or HND"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class YesNoPrivate(models.TextChoices):
    """A sensitive item: the participant may choose not to say (a signed exemption)."""

    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = "prefer_not", "Prefers not to say"


class TariffModel(models.TextChoices):
    OUTCOMES = "outcomes", "Outcome payments only (for example attachment, job entry, sustained)"
    FEE_AND_OUTCOMES = "fee_and_outcomes", "A delivery fee plus outcome payments"


class Outcome(models.TextChoices):
    ATTACHMENT = "attachment", "Attachment"
    JOB_ENTRY = "job_entry", "Job entry"
    SUSTAINED = "sustained", "Sustained employment"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "Ready to claim"
    CLAIMED = "claimed", "In a claim batch"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    PAID = "paid", "Paid"
    REVERSED = "reversed", "Reversed"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    PAID = "paid", "Paid"


# What each batch status may become.
BATCH_MOVES: dict[str, frozenset[str]] = {
    BatchStatus.DRAFT: frozenset({BatchStatus.SUBMITTED}),
    BatchStatus.SUBMITTED: frozenset({BatchStatus.APPROVED, BatchStatus.REJECTED}),
    BatchStatus.APPROVED: frozenset({BatchStatus.PAID}),
    BatchStatus.REJECTED: frozenset(),
    BatchStatus.PAID: frozenset(),
}


class Beneficiary(models.TextChoices):
    """Who gains from a saving."""

    LOCAL_AUTHORITY = "local_authority", "Local authority"
    NHS = "nhs", "NHS"
    DWP_HMRC = "dwp_hmrc", "DWP and HMRC (national government)"
    LOCAL_ECONOMY = "local_economy", "The local economy"


class SavingKind(models.TextChoices):
    FISCAL = "fiscal", "Fiscal saving"
    ECONOMIC = "economic", "Economic benefit"


class SavingBasis(models.TextChoices):
    """What a unit saving is counted per."""

    JOB_ENTRY = "job_entry", "Per job entry"
    SUSTAINED = "sustained", "Per sustained job"


class ExpenseKind(models.TextChoices):
    CHILDCARE = "childcare", "Childcare"
    TRAVEL = "travel", "Travel"
    CLOTHING = "clothing", "Clothing for work or interviews"
    EQUIPMENT = "equipment", "Tools or equipment"
    HARDSHIP = "hardship", "Hardship payment"


class ExpenseStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class DistanceBand(models.TextChoices):
    """Distance from the labour market, from the first assessment, time out of work and benefit."""

    NEAR = "near", "Nearest the labour market"
    MIDDLE = "middle", "Some distance"
    FAR = "far", "Furthest from the labour market"


class QualificationLevel(models.TextChoices):
    ENTRY = "entry", "Entry level"
    L1 = "1", "Level 1"
    L2 = "2", "Level 2"
    L3 = "3", "Level 3"
    L4 = "4", "Level 4 or above"
    NONE = "none", "No qualification (a course without one)"
