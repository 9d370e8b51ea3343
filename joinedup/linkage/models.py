"""Duplicate checks on new referrals, their candidates, and reversible merges of people."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel


def probability_in_words(probability: float) -> str:
    """Like "More than 99%" or "87%": never "100%", which the model cannot know."""
    if probability >= 0.995:
        return "More than 99%"
    return f"{max(1, round(probability * 100))}%"


class DuplicateCheck(BaseModel):
    """One run of the linkage model for a referral's person against the people already known."""

    referral = models.OneToOneField("referrals.Referral", on_delete=models.CASCADE, related_name="duplicate_check")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    model_version = models.CharField(max_length=64)  # sha256 of the model JSON, first 16 hex digits
    compared = models.PositiveIntegerField(default=0)  # known people the blocking rules let through

    def __str__(self) -> str:
        return f"Duplicate check for {self.referral_id}"


class DuplicateCandidate(models.Model):
    """A known person the model thinks may be the referral's person, with the evidence."""

    id = models.BigAutoField(primary_key=True)
    duplicate_check = models.ForeignKey(DuplicateCheck, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    levels = models.JSONField(default=dict)  # comparison -> the level it reached, in words

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [models.UniqueConstraint(fields=["duplicate_check", "person"], name="linkage_candidate_once")]

    @property
    def probability_in_words(self) -> str:
        return probability_in_words(self.match_probability)


class PersonMerge(BaseModel):
    """A merge of `duplicate` into `survivor`, with what moved so that it can be undone exactly."""

    survivor = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    duplicate = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    match_probability = models.FloatField(null=True, blank=True)
    reason = models.TextField(max_length=1000, blank=True)
    merged_by_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    # {record key: [ids]}: the rows moved from duplicate to survivor, one key for each kind of record
    # people.records moves on a merge ({"referrals": [...], "cases": [...], "consents": [...]} today).
    moved = models.JSONField(default=dict)
    # {field: value before}: the survivor's blank fields the merge filled in from the duplicate.
    survivor_before = models.JSONField(default=dict)
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverse_reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Merge of {self.duplicate_id} into {self.survivor_id}"

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None


class DedupeRun(BaseModel):
    """One deduplication of a whole population (`manage.py linkage_dedupe`), on DuckDB or Spark."""

    engine = models.CharField(max_length=16)  # "duckdb" or "spark" (linkage.population.ENGINES)
    source = models.CharField(max_length=300)  # "database", or the Parquet file read
    threshold = models.FloatField()
    model_version = models.CharField(max_length=64)  # as DuplicateCheck.model_version
    records = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)  # pairs found at or above the threshold
    written = models.PositiveIntegerField(default=0)  # of which both people are in the database
    seconds = models.FloatField(null=True, blank=True)  # the engine's time, reading to pairs

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Deduplication on {self.engine}: {self.pairs} pairs in {self.records} records"


class DedupePair(models.Model):
    """Two known people a deduplication run scored as likely the same, waiting for a person to review."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(DedupeRun, on_delete=models.CASCADE, related_name="found")
    person_l = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    person_r = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "person_l", "person_r"], name="linkage_dedupe_pair_once"),
        ]

    @property
    def probability_in_words(self) -> str:
        return probability_in_words(self.match_probability)
