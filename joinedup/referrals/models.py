from __future__ import annotations

from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel
from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition

from . import statuses


class Referral(BaseModel):
    reference = models.CharField(max_length=12, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    referring_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="referrals_made"
    )
    employment_status = models.CharField(max_length=30, choices=EmploymentStatus.choices)
    benefits = models.JSONField(default=list, blank=True)  # list of Benefit codes
    health_condition = models.CharField(max_length=30, choices=HealthCondition.choices)
    help_wanted = models.TextField(max_length=2000)
    status = models.CharField(max_length=20, choices=statuses.CHOICES, default=statuses.RECEIVED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    delivery_partner = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # How the referral came (a code in routes.ROUTES; blank for referrals made before routes) and the
    # route's own questions and answers (for example a work coach's months on benefits).
    route = models.CharField(max_length=40, blank=True, default="")
    details = models.JSONField(default=dict, blank=True)
    # The directory service (programme) the triage officer routed the referral to, if they chose one.
    service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    # A retried submission carries the same key and returns the first referral instead of a second.
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    # Who at the referring organisation asked for the referral, as a clinical system named them
    # (FHIR ServiceRequest.requester: a PractitionerRole, Practitioner or Organization), read by
    # `joinedup.fhir.requester`: kind, identifier, name, role, organisation. Empty from other channels.
    requester = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["referring_organisation", "created_at"]),
            models.Index(fields=["delivery_partner", "created_at"]),
            # Referrals awaiting enrolment at a partner (the caseload page), the adviser's own first
            # in line: found without reading the partner's other referrals.
            models.Index(
                fields=["delivery_partner", "status", "adviser", "status_changed_at"],
                name="referral_awaiting_enrolment",
            ),
            # The triage queue, oldest first: a small partial index, so the queue does not walk
            # every referral ever made to find the few waiting (measured in docs/benchmarks.md).
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(status__in=sorted(statuses.IN_TRIAGE)),
                name="referral_triage_queue",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def benefit_labels(self) -> list[str]:
        labels = dict(Benefit.choices)
        return [labels.get(code, code) for code in self.benefits]

    @property
    def route_answers(self) -> list[tuple[str, str]]:
        """The route's questions and this referral's answers, as a reader sees them."""
        route = self.route_info
        if route is None:
            return []
        out = []
        for spec in route.fields:
            if spec.name not in (self.details or {}):
                continue
            value = self.details[spec.name]
            if spec.kind == "bool":
                shown = "Yes" if value else "Not said"
            elif spec.kind == "choice":
                shown = dict(spec.choices).get(value, str(value))
            else:
                shown = str(value)
            out.append((spec.label, shown))
        return out

    @property
    def route_info(self):
        from .routes import ROUTES

        return ROUTES.get(self.route)

    @property
    def status_info(self) -> statuses.ReferralStatus:
        return statuses.REGISTRY[self.status]


class ReferralStatusChange(models.Model):
    id = models.BigAutoField(primary_key=True)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    by_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    # The directory service the referral was for at this change (routed to, accepted or declined by
    # the partner for it), so each service's responsiveness can be counted after a re-route.
    service = models.ForeignKey("directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(max_length=1000, blank=True)
    reason_code = models.CharField(max_length=40, blank=True)  # statuses.DECLINE_REASONS, when declined

    class Meta:
        ordering = ["at", "id"]

    @property
    def to_label(self) -> str:
        return statuses.REGISTRY[self.to_status].label if self.to_status in statuses.REGISTRY else self.to_status

    @property
    def reason_text(self) -> str:
        """The reason as the referrer reads it: the declared reason's label, then any note."""
        declared = statuses.DECLINE_REASONS.get(self.reason_code)
        if declared is None or declared.code == "other":
            return self.reason
        return f"{declared.label}. {self.reason}" if self.reason else declared.label


class PublicSubmissionCount(models.Model):
    """How many self-referrals one client sent in one window (issue 17, `throttle.py`): a counter in
    the database, no outside service. The client is a keyed hash of its address, not the address."""

    client = models.CharField(max_length=64)  # HMAC-SHA256 of the client address, hex
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "window_start"], name="public_submission_window")]
        indexes = [models.Index(fields=["window_start"], name="public_submission_start")]
