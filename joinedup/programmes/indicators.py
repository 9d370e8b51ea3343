"""The ESF common output (CO01-CO19) and result (CR01-CR09) indicators, declared once, each as the
query that picks the participants it counts and the date that places a participant in a period.

Counting rules (EU Regulation 1304/2013 Annex I; DWP's indicator definitions guidance and Action
Note 053/20; decision 021):
- Only participants whose ESF data is recorded are counted (the total is the sum of the outputs'
  participants: everyone counted at start).
- Outputs are counted at start (the start date in the period); immediate results (CR01-CR05) when
  the participant leaves; longer-term results (CR06-CR09) at the six-month follow-up, when recorded.
- A long-term unemployed participant counts in CO01 and CO02; inactive in education counts in CO03
  only, inactive not in education in CO03 and CO04.
- Ages are at the start date: CO06 under 25, CO07 and CO08 and CR08 over 54 (55 or more).
- "Prefers not to say" never counts as yes, nor as no: it is simply not counted.
- ISCED 0 (below primary) is in none of CO09-CO11.
- "Disadvantaged" (CR05, CR09) is any of CO15, CO16, CO17 (the special-category indicators).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from .choices import Isced, LabourMarketStatus, YesNo

START, LEAVING, FOLLOW_UP = "started_on", "left_on", "follow_up_on"

YES = YesNo.YES.value
UNEMPLOYED = Q(labour_market_status__in=[LabourMarketStatus.UNEMPLOYED, LabourMarketStatus.LONG_TERM_UNEMPLOYED])
INACTIVE = Q(labour_market_status__in=[LabourMarketStatus.INACTIVE_EDUCATION, LabourMarketStatus.INACTIVE])
INACTIVE_NOT_EDUCATION = Q(labour_market_status=LabourMarketStatus.INACTIVE)
OVER_54 = Q(age_at_start__gte=55)
MINORITY, DISABLED = Q(ethnic_minority_migrant=YES), Q(disability=YES)
OTHER_DISADVANTAGED = Q(basic_skills_need=YES) | Q(homeless=YES) | Q(other_disadvantage=YES)
DISADVANTAGED = MINORITY | DISABLED | OTHER_DISADVANTAGED


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    counts: Q
    on: str  # the date that places a participant in a period

    @property
    def result(self) -> bool:
        return self.code.startswith("CR")


OUTPUTS = (
    Indicator("CO01", "Unemployed, including long-term unemployed", UNEMPLOYED, START),
    Indicator("CO02", "Long-term unemployed", Q(labour_market_status=LabourMarketStatus.LONG_TERM_UNEMPLOYED), START),
    Indicator("CO03", "Inactive", INACTIVE, START),
    Indicator("CO04", "Inactive, not in education or training", INACTIVE_NOT_EDUCATION, START),
    Indicator("CO05", "Employed, including self-employed", Q(labour_market_status=LabourMarketStatus.EMPLOYED), START),
    Indicator("CO06", "Below 25 years of age", Q(age_at_start__lt=25), START),
    Indicator("CO07", "Above 54 years of age", OVER_54, START),
    Indicator(
        "CO08",
        "Above 54 years of age who are unemployed, including long-term unemployed, "
        "or inactive not in education or training",
        OVER_54 & (UNEMPLOYED | INACTIVE_NOT_EDUCATION),
        START,
    ),
    Indicator(
        "CO09",
        "With primary (ISCED 1) or lower secondary education (ISCED 2)",
        Q(isced__in=[Isced.ISCED_1, Isced.ISCED_2]),
        START,
    ),
    Indicator(
        "CO10",
        "With upper secondary (ISCED 3) or post-secondary education (ISCED 4)",
        Q(isced__in=[Isced.ISCED_3, Isced.ISCED_4]),
        START,
    ),
    Indicator("CO11", "With tertiary education (ISCED 5 to 8)", Q(isced=Isced.ISCED_5_8), START),
    Indicator("CO12", "Living in jobless households", Q(jobless_household=YES), START),
    Indicator(
        "CO13",
        "Living in jobless households with dependent children",
        Q(jobless_household=YES, dependent_children=YES),
        START,
    ),
    Indicator(
        "CO14",
        "Living in a single adult household with dependent children",
        Q(single_adult_dependent_children=YES),
        START,
    ),
    Indicator("CO15", "Migrants, participants with a foreign background, minorities", MINORITY, START),
    Indicator("CO16", "Participants with disabilities", DISABLED, START),
    Indicator("CO17", "Other disadvantaged", OTHER_DISADVANTAGED, START),
    Indicator("CO18", "Homeless or affected by housing exclusion", Q(homeless=YES), START),
    Indicator("CO19", "From rural areas", Q(rural=YES), START),
)
ANY_IMMEDIATE = (
    Q(leaving_job_search=True) | Q(leaving_education=True) | Q(leaving_qualification=True) | Q(leaving_employed=True)
)
RESULTS = (
    Indicator(
        "CR01",
        "Inactive participants engaged in job searching upon leaving",
        INACTIVE & Q(leaving_job_search=True),
        LEAVING,
    ),
    Indicator("CR02", "Participants in education or training upon leaving", Q(leaving_education=True), LEAVING),
    Indicator("CR03", "Participants gaining a qualification upon leaving", Q(leaving_qualification=True), LEAVING),
    Indicator(
        "CR04", "Participants in employment, including self-employment, upon leaving", Q(leaving_employed=True), LEAVING
    ),
    Indicator(
        "CR05",
        "Disadvantaged participants engaged in job searching, education or training, "
        "gaining a qualification, or in employment, upon leaving",
        DISADVANTAGED & ANY_IMMEDIATE,
        LEAVING,
    ),
    Indicator(
        "CR06",
        "Participants in employment, including self-employment, six months after leaving",
        Q(follow_up_employed=True),
        FOLLOW_UP,
    ),
    Indicator(
        "CR07",
        "Participants with an improved labour market situation six months after leaving",
        Q(follow_up_improved=True),
        FOLLOW_UP,
    ),
    Indicator(
        "CR08",
        "Participants above 54 years of age in employment six months after leaving",
        OVER_54 & Q(follow_up_employed=True),
        FOLLOW_UP,
    ),
    Indicator(
        "CR09",
        "Disadvantaged participants in employment six months after leaving",
        DISADVANTAGED & Q(follow_up_employed=True),
        FOLLOW_UP,
    ),
)
TOTAL = Indicator("TOTAL", "Total participants", Q(), START)
ALL = (*OUTPUTS, *RESULTS)
BY_CODE = {i.code: i for i in (*ALL, TOTAL)}
