"""The employers app's vocabularies: codes are stable, reports and the API speak them."""

from django.db import models


class SizeBand(models.TextChoices):
    MICRO = "micro", "Micro (fewer than 10 staff)"
    SMALL = "small", "Small (10 to 49 staff)"
    MEDIUM = "medium", "Medium (50 to 249 staff)"
    LARGE = "large", "Large (250 staff or more)"


class SicSection(models.TextChoices):
    """UK SIC 2007 sections (Office for National Statistics)."""

    A = "A", "Agriculture, forestry and fishing"
    B = "B", "Mining and quarrying"
    C = "C", "Manufacturing"
    D = "D", "Electricity, gas, steam and air conditioning supply"
    E = "E", "Water supply, sewerage, waste management and remediation"
    F = "F", "Construction"
    G = "G", "Wholesale and retail trade; repair of motor vehicles"
    H = "H", "Transportation and storage"
    I = "I", "Accommodation and food service activities"  # noqa: E741 - the section's letter
    J = "J", "Information and communication"
    K = "K", "Financial and insurance activities"
    L = "L", "Real estate activities"
    M = "M", "Professional, scientific and technical activities"
    N = "N", "Administrative and support service activities"
    O = "O", "Public administration and defence; compulsory social security"  # noqa: E741
    P = "P", "Education"
    Q = "Q", "Human health and social work activities"
    R = "R", "Arts, entertainment and recreation"
    S = "S", "Other service activities"
    T = "T", "Activities of households as employers"
    U = "U", "Activities of extraterritorial organisations"


class DisabilityConfident(models.TextChoices):
    NONE = "", "Not signed up"
    COMMITTED = "committed", "Disability Confident Committed (level 1)"
    EMPLOYER = "employer", "Disability Confident Employer (level 2)"
    LEADER = "leader", "Disability Confident Leader (level 3)"


class HealthAward(models.TextChoices):
    NONE = "", "None"
    CHARTER_COMMITMENT = "charter_commitment", "Workplace Wellbeing Charter: commitment"
    CHARTER_ACHIEVEMENT = "charter_achievement", "Workplace Wellbeing Charter: achievement"
    CHARTER_EXCELLENCE = "charter_excellence", "Workplace Wellbeing Charter: excellence"
    BHAW_BRONZE = "bhaw_bronze", "Better Health at Work Award: bronze"
    BHAW_SILVER = "bhaw_silver", "Better Health at Work Award: silver"
    BHAW_GOLD = "bhaw_gold", "Better Health at Work Award: gold"


class EngagementChannel(models.TextChoices):
    VISIT = "visit", "Visit"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    VIDEO = "video", "Video call"
    EVENT = "event", "At an event"


class EngagementKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", "First contact"
    VACANCY = "vacancy_discussion", "Vacancy discussion"
    BROKERAGE = "job_brokerage", "Job brokerage"
    IN_WORK = "in_work_support", "In-work support"
    ADJUSTMENT = "adjustment_advice", "Adjustment advice"
    OCC_HEALTH = "occupational_health", "Occupational health"
    CHARTER = "charter_support", "Charter support"
    EVENT = "event", "Event"


class WorkPattern(models.TextChoices):
    FLEXIBLE = "flexible", "Flexible hours"
    PART_TIME = "part_time", "Part-time"
    FULL_TIME = "full_time", "Full-time"
    TERM_TIME = "term_time", "Term-time only"
    JOB_SHARE = "job_share", "Job share"
    SHIFTS = "shifts", "Shifts"


class VacancyKind(models.TextChoices):
    JOB = "job", "Job"
    MICRO_JOB = "micro_job", "Micro-job"
    WORK_TRIAL = "work_trial", "Work trial"
    SUPPORTED_INTERNSHIP = "supported_internship", "Supported internship"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    VOLUNTEERING = "volunteering", "Volunteering"


# Kinds that pay a wage (checked against the minimum); volunteering and unpaid trials do not.
PAID_KINDS = frozenset({VacancyKind.JOB, VacancyKind.MICRO_JOB, VacancyKind.APPRENTICESHIP})


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    FILLED = "filled", "Filled"
    CLOSED = "closed", "Closed"


class WagePeriod(models.TextChoices):
    HOURLY = "hour", "An hour"
    ANNUAL = "year", "A year"


class AdjustmentKind(models.TextChoices):
    HOURS = "hours", "Hours (for example shorter or later hours)"
    DUTIES = "duties", "Duties"
    EQUIPMENT = "equipment", "Equipment"
    WORKPLACE = "workplace", "Workplace (for example a quiet space or step-free access)"
    SUPPORT_WORKER = "support_worker", "A support worker or job coach"
    TRAVEL = "travel", "Travel to work"


class NominationStatus(models.TextChoices):
    PUT_FORWARD = "put_forward", "Put forward"
    INTERVIEW = "interview", "Invited to interview"
    OFFER = "offer", "Offered the job"
    STARTED = "started", "Started"
    NOT_SUCCESSFUL = "not_successful", "Not successful"
    WITHDREW = "withdrew", "Withdrew"


CLOSED_NOMINATIONS = frozenset({NominationStatus.STARTED, NominationStatus.NOT_SUCCESSFUL, NominationStatus.WITHDREW})


class WhoPays(models.TextChoices):
    EMPLOYER = "employer", "The employer"
    ACCESS_TO_WORK = "access_to_work", "Access to Work"
    SHARED = "shared", "Shared"
    NO_COST = "no_cost", "No cost"


class AccessToWorkStatus(models.TextChoices):
    NOT_APPLIED = "not_applied", "Not applied"
    APPLIED = "applied", "Applied"
    ASSESSED = "assessed", "Assessed"
    AWARDED = "awarded", "Awarded"
    DECLINED = "declined", "Declined"


class AccessToWorkElement(models.TextChoices):
    EQUIPMENT = "equipment", "Special aids and equipment"
    ADAPTATIONS = "adaptations", "Adaptations to premises"
    TRAVEL = "travel", "Travel to work"
    SUPPORT_WORKER = "support_worker", "Support worker or job coach"
    MENTAL_HEALTH = "mental_health", "Mental Health Support Service"
    COMMUNICATOR = "communicator", "Communicator at interview"


class CharterStandard(models.TextChoices):
    """The Workplace Wellbeing Charter's eight standards."""

    LEADERSHIP = "leadership", "Leadership"
    ATTENDANCE = "attendance", "Attendance and absence management"
    HEALTH_SAFETY = "health_safety", "Health and safety"
    MENTAL_HEALTH = "mental_health", "Mental health and wellbeing"
    SMOKING = "smoking", "Smoking and tobacco"
    PHYSICAL_ACTIVITY = "physical_activity", "Physical activity"
    HEALTHY_EATING = "healthy_eating", "Healthy eating"
    ALCOHOL = "alcohol", "Alcohol and substance misuse"


class CharterLevel(models.TextChoices):
    COMMITMENT = "commitment", "Commitment"
    ACHIEVEMENT = "achievement", "Achievement"
    EXCELLENCE = "excellence", "Excellence"


CHARTER_LEVELS = (CharterLevel.COMMITMENT, CharterLevel.ACHIEVEMENT, CharterLevel.EXCELLENCE)


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine (within 10 working days)"
    SOON = "soon", "Soon (within 5 working days)"
    URGENT = "urgent", "Urgent (within 2 working days)"


class AdviceStatus(models.TextChoices):
    SENT = "sent", "Sent to the provider"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed without an answer"
