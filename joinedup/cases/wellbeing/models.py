"""Wellbeing questionnaires and the holistic assessment of barriers and strengths."""

from __future__ import annotations

from django.db import models

from joinedup.core.models import BaseModel

from .. import limits
from ..enrolment.models import Case
from . import instruments


class Timepoint(models.TextChoices):
    START = "start", "Start"
    REVIEW = "review", "Review"
    EXIT = "exit", "Exit"


class WellbeingMeasure(BaseModel):
    """One completed questionnaire (see `instruments.py`), scored when it was recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="wellbeing_measures")
    instrument = models.CharField(max_length=20, choices=instruments.CHOICES)
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    converted = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    band = models.CharField(max_length=200, blank=True)
    recorded_on = models.DateField()
    timepoint = models.CharField(max_length=10, choices=Timepoint.choices)

    class Meta:
        ordering = ["instrument", "recorded_on", "created_at"]
        indexes = [models.Index(fields=["case", "instrument", "recorded_on"])]


class AssessmentArea(models.TextChoices):
    """The areas of a holistic assessment of barriers and strengths, in the order they are asked."""

    HEALTH = "health", "Health"
    WELLBEING = "wellbeing", "Wellbeing"
    CONFIDENCE = "confidence", "Confidence"
    SKILLS = "skills", "Skills and qualifications"
    WORK_HISTORY = "work_history", "Work history"
    HOUSING = "housing", "Housing"
    MONEY = "money", "Money and debt"
    TRANSPORT = "transport", "Transport"
    CARING = "caring", "Childcare and caring"
    SUBSTANCES = "substances", "Substance use"
    OFFENDING = "offending", "Offending"
    DIGITAL = "digital", "Digital access"


class AssessmentRating(models.IntegerChoices):
    """Higher is better: 1 stops the person working now, 5 is a strength to build on."""

    MAJOR_BARRIER = 1, "Major barrier"
    BARRIER = 2, "Barrier"
    SOME_DIFFICULTY = 3, "Some difficulty"
    NO_BARRIER = 4, "No barrier"
    STRENGTH = 5, "A strength"


class Assessment(BaseModel):
    """One assessment of every area; repeated over time so change shows."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    summary = models.TextField(max_length=limits.ASSESSMENT_SUMMARY.max_length, blank=True)

    class Meta:
        ordering = ["assessed_on", "created_at"]
        indexes = [models.Index(fields=["case", "assessed_on"])]


class AreaRating(BaseModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    area = models.CharField(max_length=20, choices=AssessmentArea.choices)
    rating = models.PositiveSmallIntegerField(choices=AssessmentRating.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="unique_area_rating")]
