"""The Participant Data Schema's option strings: lower case (the indicator suffix as DWP writes it,
"(CO01)"), no numeral prefixes, no blanks. Every
value a participation holds maps to exactly one string; a blank is never written."""

from __future__ import annotations

from .choices import Gender, Isced, LabourMarketStatus, YesNoPrivate
from .models import Participation

NOT_APPLICABLE = "not applicable"
LABOUR_MARKET: dict[str, str] = {
    LabourMarketStatus.UNEMPLOYED: "unemployed (short term) (CO01)",
    LabourMarketStatus.LONG_TERM_UNEMPLOYED: "long-term unemployed (CO02)",
    LabourMarketStatus.INACTIVE_EDUCATION: "inactive (in education or training) (CO03)",
    LabourMarketStatus.INACTIVE: "inactive (not in education or training) (CO04)",
    LabourMarketStatus.EMPLOYED: "employed including self-employed (CO05)",
}
ISCED: dict[str, str] = {
    Isced.ISCED_0: "below primary (isced 0)",
    Isced.ISCED_1: "primary (isced 1)",
    Isced.ISCED_2: "lower secondary (isced 2)",
    Isced.ISCED_3: "upper secondary (isced 3)",
    Isced.ISCED_4: "post-secondary (isced 4)",
    Isced.ISCED_5_8: "tertiary (isced 5 to 8)",
}
GENDER: dict[str, str] = {Gender.FEMALE: "female", Gender.MALE: "male", Gender.OTHER: "other"}
SENSITIVE: dict[str, str] = {
    YesNoPrivate.YES: "yes",
    YesNoPrivate.NO: "no",
    YesNoPrivate.PREFER_NOT: "participant chose not to say (signed exemption)",
}
YES_NO = {"yes": "yes", "no": "no"}

COLUMNS = (
    "participant reference",
    "postcode",
    "start date",
    "gender",
    "age at start",
    "labour market status that best describes situation",
    "highest education level",
    "jobless household",
    "jobless household with dependent children",
    "single adult household with dependent children",
    "participant has basic skills need",
    "other disadvantaged - homeless (broad definition)",
    "rural area",
    "disability",
    "ethnic minority or migrant background",
    "other disadvantaged",
    "leaving date",
    "in job search on leaving",
    "in education or training on leaving",
    "gaining a qualification on leaving",
    "in employment on leaving",
    "in employment six months after leaving",
    "improved labour market situation six months after leaving",
)


def _flag(value: bool, known: bool) -> str:
    return ("yes" if value else "no") if known else NOT_APPLICABLE


def pds_row(p: Participation) -> dict[str, str]:
    left, followed = p.left_on is not None, p.follow_up_on is not None
    household = "yes" if p.jobless_household == "yes" and p.dependent_children == "yes" else "no"
    values = (
        str(p.pk),
        p.case.person.postcode.upper(),
        p.started_on.isoformat(),
        GENDER[p.gender],
        str(p.age_at_start),
        LABOUR_MARKET[p.labour_market_status],
        ISCED[p.isced],
        YES_NO[p.jobless_household],
        household,
        YES_NO[p.single_adult_dependent_children],
        YES_NO[p.basic_skills_need],
        YES_NO[p.homeless],
        YES_NO[p.rural],
        SENSITIVE[p.disability],
        SENSITIVE[p.ethnic_minority_migrant],
        SENSITIVE[p.other_disadvantage],
        p.left_on.isoformat() if p.left_on else NOT_APPLICABLE,
        _flag(p.leaving_job_search, left),
        _flag(p.leaving_education, left),
        _flag(p.leaving_qualification, left),
        _flag(p.leaving_employed, left),
        _flag(p.follow_up_employed, followed),
        _flag(p.follow_up_improved, followed),
    )
    return dict(zip(COLUMNS, values, strict=True))
