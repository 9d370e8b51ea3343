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
    JOB_RETRIED = "job_retried", "Ran a failed background job again"
    DEDUPLICATED = "deduplicated", "Looked for duplicate people"
    # Issue 17 (sign-in; decision 018): what is done to an account, audited with the user as target.
    PASSWORD_CHANGED = "password_changed", "Changed their password"
    TWO_FACTOR_SET_UP = "two_factor_set_up", "Set up two-factor sign-in"
    RECOVERY_CODES_ISSUED = "recovery_codes_issued", "Made new recovery codes"
    TWO_FACTOR_RESET = "two_factor_reset", "Reset a user's two-factor sign-in"
    SIGN_IN_UNLOCKED = "sign_in_unlocked", "Unlocked a locked sign-in"
    # Information governance (issue 17): lists of people, the person's rights, retention, extracts.
    LISTED = "listed", "Viewed a list of people"
    REQUEST_RECORDED = "request_recorded", "Recorded a request from the person"
    REQUEST_ANSWERED = "request_answered", "Answered a request from the person"
    RECTIFIED = "rectified", "Corrected the person's details"
    ERASED = "erased", "Erased the person's record"
    HOLD_PLACED = "hold_placed", "Placed a legal hold"
    HOLD_LIFTED = "hold_lifted", "Lifted a legal hold"
    RETENTION_APPLIED = "retention_applied", "Applied the retention periods"
    AGREEMENT_RECORDED = "agreement_recorded", "Recorded a data-sharing agreement"
    PUT_FORWARD = "put_forward", "Put a person forward for a vacancy"
    INVITED = "invited", "Invited someone to sign in"
    LINKED = "linked", "Linked records"
