from __future__ import annotations

from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel


class OrganisationKind(models.TextChoices):
    LEAD_BODY = "lead_body", "Lead body"
    DELIVERY_PARTNER = "delivery_partner", "Delivery partner"
    GP_PRACTICE = "gp_practice", "GP practice"
    TALKING_THERAPIES = "talking_therapies", "NHS Talking Therapies service"
    COMMUNITY_MENTAL_HEALTH = "community_mental_health", "Community mental health team"
    SOCIAL_CARE = "social_care", "Social care team"
    JOBCENTRE = "jobcentre", "Jobcentre"
    HOUSING = "housing", "Housing provider"
    OTHER_REFERRER = "other_referrer", "Other referring organisation"
    EMPLOYER = "employer", "Employer"
    EVALUATOR = "evaluator", "Evaluator"


REFERRING_KINDS = frozenset(
    {
        OrganisationKind.GP_PRACTICE,
        OrganisationKind.TALKING_THERAPIES,
        OrganisationKind.COMMUNITY_MENTAL_HEALTH,
        OrganisationKind.SOCIAL_CARE,
        OrganisationKind.JOBCENTRE,
        OrganisationKind.HOUSING,
        OrganisationKind.OTHER_REFERRER,
    }
)


class Role(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    PERSONAL_ADVISER = "personal_adviser", "Personal Adviser"
    PARTNER_MANAGER = "partner_manager", "Partner manager"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    ANALYST = "analyst", "Commissioner or analyst"
    ADMINISTRATOR = "administrator", "Administrator"
    EMPLOYER = "employer", "Employer (signs in for their own organisation)"


class Organisation(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=OrganisationKind.choices)
    ods_code = models.CharField("ODS code", max_length=10, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(BaseModel):
    """A user's role in one organisation. A user may hold several memberships."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role"),
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"
