"""schema.org `JobPosting` for the public jobs page and feed (JSON-LD). Google's required and
recommended properties: title, description, datePosted, validThrough, hiringOrganization,
jobLocation, employmentType, baseSalary (and identifier, directApply)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.utils import timezone

from .choices import WagePeriod, WorkPattern
from .models import Vacancy

# schema.org employmentType values.
_EMPLOYMENT_TYPE: dict[str, str] = {
    WorkPattern.FULL_TIME: "FULL_TIME",
    WorkPattern.PART_TIME: "PART_TIME",
    WorkPattern.TERM_TIME: "PART_TIME",
    WorkPattern.JOB_SHARE: "PART_TIME",
    WorkPattern.FLEXIBLE: "PART_TIME",
    WorkPattern.SHIFTS: "PART_TIME",
}
_CONTRACT_TYPE: dict[str, str] = {"temporary": "TEMPORARY", "zero_hours": "PER_DIEM", "fixed_term": "CONTRACTOR"}


def employment_types(vacancy: Vacancy) -> list[str]:
    types = [_EMPLOYMENT_TYPE.get(vacancy.pattern, "OTHER")]
    if vacancy.hours_max >= 35 and "FULL_TIME" not in types:
        types = ["FULL_TIME", *types] if vacancy.hours_min >= 35 else types
    extra = _CONTRACT_TYPE.get(vacancy.contract_type)
    if extra:
        types.append(extra)
    if vacancy.kind in ("work_trial", "supported_internship", "apprenticeship"):
        types.append("INTERN" if vacancy.kind != "apprenticeship" else "OTHER")
    if vacancy.kind == "volunteering":
        types = ["VOLUNTEER"]
    return list(dict.fromkeys(types))


def job_posting(vacancy: Vacancy, *, url: str) -> dict[str, Any]:
    employer, site = vacancy.employer, vacancy.site
    end = timezone.make_aware(datetime.combine(vacancy.closing_on, time(23, 59)))
    posted = vacancy.published_on or timezone.localtime(vacancy.created_at).date()
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": vacancy.description,
        "identifier": {"@type": "PropertyValue", "name": employer.name, "value": str(vacancy.pk)},
        "datePosted": posted.isoformat(),
        "validThrough": end.isoformat(),
        "employmentType": employment_types(vacancy),
        "hiringOrganization": {"@type": "Organization", "name": employer.name},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": site.address or site.name,
                "postalCode": site.postcode,
                "addressCountry": "GB",
            },
        },
        "directApply": False,
        "url": url,
        "totalJobOpenings": vacancy.openings,
    }
    if vacancy.kind != "volunteering":
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": "GBP",
            "value": {
                "@type": "QuantitativeValue",
                "value": float(vacancy.wage),
                "unitText": "HOUR" if vacancy.wage_period == WagePeriod.HOURLY else "YEAR",
            },
        }
    return data


def feed(vacancies: list[Vacancy], *, url_for: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org/",
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "item": job_posting(v, url=url_for(v))}
            for i, v in enumerate(vacancies, 1)
        ],
    }
