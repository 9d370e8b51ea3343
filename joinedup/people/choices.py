"""The shared vocabularies about a person's situation: work, benefits, health.

Referrals record them, directory eligibility rules and matching test them, the API, FHIR and the
reports speak them. Codes are stable; reports group on them.
"""

from django.db import models


class EmploymentStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", "Unemployed and looking for work"
    INACTIVE = "inactive", "Not working and not currently looking for work"
    OFF_SICK = "employed_off_sick", "In work but off sick"
    AT_RISK = "employed_at_risk", "In work but at risk of losing their job"


class Benefit(models.TextChoices):
    UC = "uc", "Universal Credit (no work capability decision)"
    UC_LCW = "uc_lcw", "Universal Credit with limited capability for work (LCW)"
    UC_LCWRA = "uc_lcwra", "Universal Credit with limited capability for work and work-related activity (LCWRA)"
    ESA = "esa", "Employment and Support Allowance (ESA)"
    JSA = "jsa", "Jobseeker's Allowance (JSA)"
    PIP = "pip", "Personal Independence Payment (PIP)"
    NONE = "none", "None of these"


class HealthCondition(models.TextChoices):
    MENTAL_HEALTH = "mental_health", "Mental health (for example anxiety or depression)"
    MUSCULOSKELETAL = "musculoskeletal", "Musculoskeletal (for example back or joint pain)"
    LONG_TERM = "long_term_physical", "Long-term physical condition (for example diabetes, heart or lung)"
    NEUROLOGICAL = "neurological", "Neurological (for example epilepsy or MS)"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    AUTISM = "autism", "Autism"
    SUBSTANCE = "substance_use", "Drug or alcohol use"
    SENSORY = "sensory", "Sight or hearing loss"
    OTHER = "other", "Other"
    # The person would rather not say (001 4.3.4: not everyone wants a mental health condition on their
    # record). Matching treats it as not known; reports count it as itself (issue 17).
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class ConsentPurpose(models.TextChoices):
    REFERRAL = "referral", "To be referred to the service"
    SHARE_PROGRESS = "share_progress", "To share progress with the referrer"
    SUPPORT = "support", "To receive support and have their information recorded"
    SHARE_GP = "share_gp", "To share progress with their GP"
    # The person asked to be told by email how their referral is going (the closed loop to them).
    NOTIFY_PERSON = "notify_person", "To be told by email how their referral is going"
