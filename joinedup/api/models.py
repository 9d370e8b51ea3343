from __future__ import annotations

from django.db import models

from joinedup.core.models import BaseModel


class ApiToken(BaseModel):
    """A bearer token acting as one membership (user, organisation, role). Only its hash is kept."""

    membership = models.ForeignKey("organisations.Membership", on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)  # first characters, to tell tokens apart in lists
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.membership}"
