from __future__ import annotations

from django.conf import settings
from django.db import models

from .verbs import AuditVerb

__all__ = ["AuditEvent", "AuditVerb", "check_registry", "verb_label"]


class AuditEvent(models.Model):
    """Append-only: rows are written by `joinedup.audit.services.audit_record` and never changed."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An `AuditVerb` code: the TextChoices are the registry, checked by `services.audit_record` and
    # at start-up, not the column's choices, so a new verb needs no migration.
    verb = models.CharField(max_length=40)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=64)
    # The person whose record this touches, so a person's whole trail is one indexed lookup.
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    channel = models.CharField(max_length=10, default="web")  # web, api, command
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.target_type} {self.target_id}"

    def get_verb_display(self) -> str:
        """The verb's label, as Django's choices display gave it (the code if it is unknown)."""
        return verb_label(self.verb)


def verb_label(code: str) -> str:
    return AuditVerb(code).label if code in AuditVerb.values else code


def check_registry() -> None:
    """Start-up check: every verb's code fits the trail's column and has a label."""
    width = AuditEvent._meta.get_field("verb").max_length
    for verb in AuditVerb:
        if len(verb.value) > width:
            raise RuntimeError(f"Audit verb {verb.value} is longer than the {width} characters the trail keeps")
        if not verb.label:
            raise RuntimeError(f"Audit verb {verb.value} needs a label")
