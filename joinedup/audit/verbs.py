"""What the audit trail records, declared once: the registry of verbs. A code is checked by
`audit_record` and at start-up (`models.check_registry`), not by a column's choices, so a new verb
needs no migration. Other apps import the verbs from here, not from the models."""

from __future__ import annotations

from django.db import models


class AuditVerb(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    STATUS_CHANGED = "status_changed", "Changed status"
    ASSIGNED = "assigned", "Assigned"
    ENROLLED = "enrolled", "Enrolled"
    CONTACT_RECORDED = "contact_recorded", "Recorded a contact"
    JOB_START_RECORDED = "job_start_recorded", "Recorded a job start"
    SUSTAINMENT_RECORDED = "sustainment_recorded", "Recorded sustained work"
    WELLBEING_RECORDED = "wellbeing_recorded", "Recorded a wellbeing measure"
    NEXT_STEP_SET = "next_step_set", "Set the next action and review date"
    ASSESSMENT_RECORDED = "assessment_recorded", "Recorded an assessment"
    PLAN_UPDATED = "plan_updated", "Updated the personal plan"
    EXPORTED = "exported", "Exported"
    TOKEN_ISSUED = "token_issued", "Issued an API token"
    IMPORTED = "imported", "Imported"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REVIEWED = "reviewed", "Reviewed"
    MATCHED = "matched", "Matched to services"
    MERGED = "merged", "Merged people"
    MERGE_REVERSED = "merge_reversed", "Reversed a merge"
    NOTIFIED = "notified", "Sent a notification"
    CONSENT_RECORDED = "consent_recorded", "Recorded consent"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Withdrew consent"
    CALCULATED = "calculated", "Ran a calculation"
    REFERRED_ON = "referred_on", "Made an onward referral"
    CLAIMS_BATCHED = "claims_batched", "Gathered claims into a batch"
    CLAIM_REVERSED = "claim_reversed", "Reversed a claim"
    EXPENSE_DECIDED = "expense_decided", "Decided a participant expense"
