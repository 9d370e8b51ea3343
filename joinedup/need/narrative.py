"""The business case's narrative sections: their keys, headings and the text each starts with."""

from __future__ import annotations

NARRATIVE_LIMIT = 5000

SECTIONS: dict[str, str] = {
    "summary": "Summary",
    "need": "The need",
    "provision": "Current provision and its gaps",
    "outcomes": "Outcomes so far",
    "investment": "The case for investment",
}

DEFAULTS: dict[str, str] = {
    "summary": (
        "This business case sets out the health-related need for employment support in the area, the support "
        "available today, what it has achieved so far and what a larger service would cost and save."
    ),
    "need": (
        "Benefit caseloads, the Public Health Outcomes Framework's employment-gap and sickness-absence "
        "indicators and the Indices of Deprivation show where health keeps people out of work."
    ),
    "provision": "The directory of services shows the support available and where it is missing.",
    "outcomes": "Referrals, starts, job entries and sustained jobs recorded by the partnership so far.",
    "investment": (
        "At the rates observed so far, supporting more people would bring the job entries and savings below."
    ),
}
