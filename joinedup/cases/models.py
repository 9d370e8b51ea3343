from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel

from . import stages


class Case(BaseModel):
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="case")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    delivery_partner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="cases")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20, choices=stages.CHOICES, default=stages.ENROLLED)
    enrolled_on = models.DateField()
    eligibility_evidence = models.TextField(max_length=2000)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_on"]
        indexes = [
            models.Index(fields=["delivery_partner", "stage"]),
            models.Index(fields=["adviser", "stage"]),
            models.Index(fields=["enrolled_on"]),
        ]

    def __str__(self) -> str:
        return f"Case for {self.person}"


class ContactChannel(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    MESSAGE = "message", "Email or text message"


class ContactKind(models.TextChoices):
    SUPPORT = "support", "Support"
    JOB_SEARCH = "job_search", "Job search"
    EMPLOYER = "employer_contact", "Employer contact"
    IN_WORK = "in_work_support", "In-work support"


class Contact(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    happened_on = models.DateField()
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    duration_minutes = models.PositiveIntegerField()
    notes = models.TextField(max_length=5000, blank=True)

    class Meta:
        ordering = ["-happened_on", "-created_at"]
        indexes = [models.Index(fields=["case", "happened_on"])]


class JobStart(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="job_starts")
    employer_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    hourly_pay = models.DecimalField(max_digits=6, decimal_places=2)
    start_date = models.DateField(db_index=True)
    evidence = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-start_date"]

    def due_on(self, weeks: int) -> date:
        return self.start_date + timedelta(weeks=weeks)


SUSTAINMENT_WEEKS = (13, 26)


class Sustainment(BaseModel):
    """Evidence that the person was still in work `weeks` after the job start."""

    job_start = models.ForeignKey(JobStart, on_delete=models.CASCADE, related_name="sustainments")
    weeks = models.PositiveSmallIntegerField(choices=[(w, f"{w} weeks") for w in SUSTAINMENT_WEEKS])
    achieved_on = models.DateField(db_index=True)
    evidence = models.TextField(max_length=2000)

    class Meta:
        ordering = ["weeks"]
        constraints = [models.UniqueConstraint(fields=["job_start", "weeks"], name="unique_sustainment")]
