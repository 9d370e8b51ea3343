from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models.functions import Left, Length, StrIndex, Trim, Upper
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils import timezone

from joinedup.core.models import BaseModel

from .choices import ConsentPurpose

__all__ = ["Consent", "ConsentPurpose", "Person"]

_POSTCODE = Upper(Trim("postcode"))
_SPACE = StrIndex(_POSTCODE, models.Value(" "))
# The outward code ("NG18 1AB" -> "NG18"; without a space, all but the 3-character inward part),
# written by the database whenever the postcode is (so bulk loads and updates keep it too).
POSTCODE_DISTRICT = models.Case(
    models.When(GreaterThan(_SPACE, 0), then=Left(_POSTCODE, _SPACE - 1)),
    models.When(GreaterThanOrEqual(Length(_POSTCODE), 5), then=Left(_POSTCODE, Length(_POSTCODE) - 3)),
    default=_POSTCODE,
)


class Person(BaseModel):
    """Someone referred for support. Special-category data: read only through scoped selectors."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    postcode = models.CharField(max_length=8)
    # Indexed for matching people to vacancies by area (employers.match_selectors); never written.
    postcode_district = models.GeneratedField(
        expression=POSTCODE_DISTRICT, output_field=models.CharField(max_length=8), db_persist=True, db_index=True
    )
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    # Normalised "AB123456C" (people.validators.normalise_ni_number); blank when not known.
    national_insurance_number = models.CharField("National Insurance number", max_length=9, blank=True, db_index=True)

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Consent(BaseModel):
    """A person's consent for one purpose, as recorded by someone on their behalf."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=30, choices=ConsentPurpose.choices)
    given = models.BooleanField()
    recorded_by_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # The organisation the consent concerns (for example the referrer progress is shared with).
    about_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def is_active(self, *, now=None) -> bool:
        """Given, not withdrawn and not expired (the row alone: whether it is the latest is the selector's job)."""
        now = now or timezone.now()
        return self.given and self.withdrawn_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def ends_on(self):
        """The last day the consent holds (it is recorded as the first moment it no longer does)."""
        if self.expires_at is None:
            return None
        return (timezone.localtime(self.expires_at) - timedelta(microseconds=1)).date()

    @property
    def state(self) -> str:
        if not self.given:
            return "refused"
        if self.withdrawn_at is not None:
            return "withdrawn"
        return "active" if self.is_active() else "expired"
