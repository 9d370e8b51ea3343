"""The directory of provision, modelled on Open Referral UK 3.0 (HSDS 3.0 with the UK profile).

Every record's primary key is its ORUK `id` (a UUID), kept stable across exports and imports.
Records imported from another feed keep their provenance (`source`, `source_id`, `imported_at`).
Eligibility is not prose: each service has versioned `EligibilityRuleSet`s (see eligibility.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils import timezone

from joinedup.core.models import BaseModel

STALE_AFTER = timedelta(days=183)  # "not reviewed for 6 months"


def review_due_before(today: date | None = None) -> date:
    """A published service last reviewed before this date (or never) is due for review."""
    return (today or timezone.localdate()) - STALE_AFTER


class Provenance(models.Model):
    """Where a record came from: entered here ("joinedup") or imported from a named feed."""

    source = models.CharField(max_length=200, default="joinedup")
    source_id = models.CharField(max_length=100, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class DirectoryOrganisation(BaseModel, Provenance):
    """ORUK `organization`: who runs a service (not a Joined Up member organisation)."""

    name = models.CharField(max_length=300)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Lifecycle(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The lifecycle moves an editor may make: target -> the states it may be reached from.
LIFECYCLE_MOVES: dict[str, frozenset[str]] = {
    Lifecycle.PUBLISHED: frozenset({Lifecycle.DRAFT, Lifecycle.WITHDRAWN}),
    Lifecycle.WITHDRAWN: frozenset({Lifecycle.PUBLISHED}),
}


class OrukStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class Service(BaseModel, Provenance):
    organisation = models.ForeignKey(DirectoryOrganisation, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=OrukStatus.choices, default=OrukStatus.ACTIVE)
    lifecycle = models.CharField(max_length=12, choices=Lifecycle.choices, default=Lifecycle.DRAFT, db_index=True)
    how_to_refer = models.TextField(blank=True)
    self_referral = models.BooleanField(default=False)
    # Derived from the current rule set (eligibility.age_range) by rules.add_rule_version, never set
    # by hand: the ORUK minimum_age / maximum_age, and what public search narrows by in SQL.
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    # The newest rule-set version; kept by rules.add_rule_version (the only writer).
    current_rule_set = models.ForeignKey(
        "EligibilityRuleSet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    alert = models.TextField(blank=True)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    terms = models.ManyToManyField("TaxonomyTerm", blank=True, related_name="services")
    # Keyword search's stems (search.index_services is the only writer; decision 024): the service's
    # and its organisation's names, its taxonomy terms, its description. On PostgreSQL a generated,
    # GIN-indexed tsvector of the three (`search_vector`, migration 0009, not on the model) is matched.
    search_name = models.TextField(blank=True, default="", editable=False)
    search_terms = models.TextField(blank=True, default="", editable=False)
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["lifecycle", "name"]),
            models.Index(fields=["lifecycle", "minimum_age", "maximum_age"], name="directory_service_ages"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_stale(self, today: date | None = None) -> bool:
        """Not reviewed for 6 months (or never)."""
        return self.last_reviewed_on is None or self.last_reviewed_on < review_due_before(today)

    @property
    def review_due(self) -> bool:
        """What editors are shown: a *published* entry that is stale."""
        return self.lifecycle == Lifecycle.PUBLISHED and self.is_stale()

    def allowed_moves(self) -> list[Lifecycle]:
        """The lifecycle states an editor may move this service to from where it is now."""
        return [Lifecycle(to) for to, froms in LIFECYCLE_MOVES.items() if self.lifecycle in froms]

    def current_rules(self) -> EligibilityRuleSet | None:
        """The current eligibility rule set: the one way to read it (select_related("current_rule_set")
        makes it free)."""
        return self.current_rule_set


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    POSTAL = "postal", "Postal"
    VIRTUAL = "virtual", "Virtual"


class Location(BaseModel, Provenance):
    organisation = models.ForeignKey(
        DirectoryOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="locations"
    )
    name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    location_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_1 = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    country = models.CharField(max_length=2, default="GB")

    def __str__(self) -> str:
        return self.name or self.address_1


class ServiceAtLocation(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="directory_sal_unique")]


class Contact(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)


class Phone(BaseModel):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)


class Schedule(BaseModel):
    """RFC 5545-style opening times, as ORUK has them."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField(max_length=10, blank=True)  # WEEKLY, MONTHLY
    byday = models.CharField(max_length=40, blank=True)  # MO,TU,WE
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)


class ServiceArea(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    area = models.CharField(max_length=40, db_index=True)  # areas.AREAS code
    name = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["area", "service"], name="directory_area_service")]


class Taxonomy(BaseModel, Provenance):
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(BaseModel, Provenance):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    description = models.TextField()
    term_uri = models.URLField(blank=True)

    class Meta:
        ordering = ["taxonomy__name", "name"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="directory_term_code_unique")]

    def __str__(self) -> str:
        return self.name


class SearchWord(models.Model):
    """A word keyword search has seen in the directory, and its stem: the vocabulary "did you mean"
    suggests from (search.index_services adds to it; a word is never personal data)."""

    word = models.CharField(primary_key=True, max_length=40)
    stem = models.CharField(max_length=40)

    def __str__(self) -> str:
        return self.word


class Language(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=10, blank=True)


class CostOption(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=300, blank=True)


class Funding(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(max_length=300)


class EligibilityRuleSet(BaseModel):
    """One version of a service's eligibility rules. Never edited: a change adds a version."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="rule_sets")
    version = models.PositiveIntegerField()
    rules = models.JSONField()
    stated_as = models.TextField(blank=True)  # the provider's own words, when we have them
    source = models.CharField(max_length=300, blank=True)  # where the rule was taken from

    class Meta:
        ordering = ["service", "-version"]
        constraints = [models.UniqueConstraint(fields=["service", "version"], name="directory_rules_version_unique")]


class ImportRun(BaseModel):
    """One attempt to import an ORUK feed: what came in, what was rejected and why."""

    source = models.CharField(max_length=200)
    filename = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64)
    accepted = models.BooleanField(default=False)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    rejections = models.JSONField(default=list, blank=True)  # [{"record": id or index, "problem": text}]

    class Meta:
        ordering = ["-created_at"]


class ImportFeed(BaseModel):
    """A feed handed to the background worker to import (`manage.py directory_import --queue`): the
    bytes wait here (the queue carries only this row's id), and the import's run is linked when done."""

    source = models.CharField(max_length=200)
    filename = models.CharField(max_length=300, blank=True)
    publish = models.BooleanField(default=False)
    data = models.BinaryField()  # at most imports.MAX_FEED_BYTES
    run = models.OneToOneField(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="feed")

    class Meta:
        ordering = ["-created_at"]
