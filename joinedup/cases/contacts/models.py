"""A contact with the person: when, how, what kind and for how long."""

from __future__ import annotations

from django.db import models

from joinedup.core.models import BaseModel

from .. import limits
from ..enrolment.models import Case


class ContactChannel(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    MESSAGE = "message", "Email or text message"
    # Written only by `contact_from_person` (the person's own pages, decision 022), never on the adviser's form.
    FROM_PERSON = "from_person", "Message from the person"


# What an adviser may record a contact as (the form's choices; a message from the person is theirs to send).
ADVISER_CHANNELS = [(value, label) for value, label in ContactChannel.choices if value != ContactChannel.FROM_PERSON]


class ContactKind(models.TextChoices):
    SUPPORT = "support", "Support"
    JOB_SEARCH = "job_search", "Job search"
    EMPLOYER = "employer_contact", "Employer contact"
    IN_WORK = "in_work_support", "In-work support"


class ContactQuerySet(models.QuerySet):
    def by_the_service(self) -> ContactQuerySet:
        """Contact the service made with the person: not a message from the person (decision 022).
        The one rule for "no contact recently" and for timeliness's first contact: an unanswered
        message is not contact, and must not hide a case that needs it."""
        return self.exclude(channel=ContactChannel.FROM_PERSON)


class Contact(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    happened_on = models.DateField()
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    duration_minutes = models.PositiveIntegerField()
    notes = models.TextField(max_length=limits.CONTACT_NOTES.max_length, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-created_at"]
        indexes = [models.Index(fields=["case", "happened_on"])]
