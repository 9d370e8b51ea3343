"""Length limits of what people type into employer records, each declared once with its message
(the `Limit` of `cases.limits`: the form, the service and the model read the same one)."""

from __future__ import annotations

from joinedup.cases.limits import Limit

NAME = Limit("Name", 200)
COMPANY_NUMBER = Limit("Companies House number", 8)
SITE_NAME = Limit("Site name", 120)
ADDRESS = Limit("Address", 300)
POSTCODE = Limit("Postcode", 8)
CONTACT_NAME = Limit("Contact's name", 120)
CONTACT_ROLE = Limit("Role", 120)
PHONE = Limit("Phone", 30)
NOTES = Limit("Notes", 5000)
TASK = Limit("Task", 300)
TITLE = Limit("Job title", 200)
DESCRIPTION = Limit("Description", 5000)
HOW_TO_APPLY = Limit("How to apply", 2000)
ADJUSTMENT = Limit("Adjustment", 1000)
EVIDENCE = Limit("Evidence", 2000)
QUESTION = Limit("Question", 5000)
ANSWER = Limit("Answer", 5000)
