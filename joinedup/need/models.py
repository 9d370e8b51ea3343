"""Population need: open data on health and work by local authority (decision 023).

Reference data, no personal data: the ONS local-authority geography, the English Indices of
Deprivation 2019 by LSOA, DWP benefit caseloads by authority and year, and indicator values from
OHID Fingertips exports. Each is loaded or refreshed by `manage.py need_load` in one transaction
(`loading.py`); `ImportRun` records each load. The business case's narrative sections are kept as
dated versions (`NarrativeVersion`), never edited in place.
"""

from __future__ import annotations

from django.db import models

from joinedup.core.models import BaseModel


class AreaKind(models.TextChoices):
    COUNTRY = "country", "Country"
    REGION = "region", "Region"
    COUNTY = "county", "County"
    UNITARY = "unitary", "Unitary authority"
    DISTRICT = "district", "District"


LOCAL_KINDS = (AreaKind.COUNTY, AreaKind.UNITARY, AreaKind.DISTRICT)


class Area(models.Model):
    """An area by its ONS (GSS) code: England, a region, a county, a unitary or a district."""

    code = models.CharField(primary_key=True, max_length=9)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=AreaKind.choices)
    # A district's county; a county's or unitary's region; a region's country.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    region = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # An authority abolished since 2019 points at the one that replaced it (its LSOAs count there).
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    current = models.BooleanField(default=True)
    working_age_population = models.PositiveIntegerField(null=True, blank=True)  # Nomis, 2024
    # Kept by the loader from the rows below (a recount test checks them): the deprivation profile.
    lsoas = models.PositiveIntegerField(default=0)
    lsoas_decile_1 = models.PositiveIntegerField(default=0)
    lsoas_decile_1_2 = models.PositiveIntegerField(default=0)
    imd_mean_score = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "current"])]

    def __str__(self) -> str:
        return self.name


class Lsoa(models.Model):
    """One 2011 LSOA's English Indices of Deprivation 2019 figures."""

    code = models.CharField(primary_key=True, max_length=9)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="lsoa_rows")  # its 2019 district
    imd_score = models.DecimalField(max_digits=7, decimal_places=3)
    imd_rank = models.PositiveIntegerField()
    imd_decile = models.PositiveSmallIntegerField()


class Benefit(models.TextChoices):
    ESA = "esa", "Employment and Support Allowance claimants"
    UC = "uc", "Households on Universal Credit"
    PIP = "pip", "Personal Independence Payment claimants"
    JSA = "jsa", "Jobseeker's Allowance claimants"


class BenefitCaseload(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="caseloads")
    year = models.PositiveSmallIntegerField()
    benefit = models.CharField(max_length=4, choices=Benefit.choices)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "year", "benefit"], name="need_caseload_unique")]


class Indicator(models.Model):
    """A Fingertips indicator, by its Fingertips ID; `phof` is its PHOF code where it has one."""

    fingertips_id = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=500)
    phof = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["phof", "fingertips_id"]


class IndicatorValue(models.Model):
    """One headline value of an indicator for an area, sex, age and period (no category rows)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="indicator_values")
    sex = models.CharField(max_length=20)
    age = models.CharField(max_length=40)
    period = models.CharField(max_length=40)  # as published: "2019", "2020/21", "2016/17 - 20/21"
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    pooled = models.BooleanField(default=False)  # a period of more than one year (overlaps its neighbours)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)  # blank: suppressed
    lower_ci = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)  # 95%
    upper_ci = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    count = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)  # Fingertips' "Value note"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "sex", "age", "period"], name="need_indicator_value_unique"
            )
        ]
        indexes = [models.Index(fields=["area", "indicator"])]


class Dataset(models.TextChoices):
    GEOGRAPHY = "geography", "ONS local authority geography"
    IMD = "imd", "English Indices of Deprivation 2019"
    BENEFITS = "benefits", "DWP benefit caseloads"
    FINGERTIPS = "fingertips", "Fingertips indicators"


class ImportRun(models.Model):
    dataset = models.CharField(max_length=12, choices=Dataset.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    summary = models.TextField(blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at"]


class NarrativeVersion(BaseModel):
    """One saved version of a business case's narrative section; the newest is the one shown."""

    scope = models.CharField(max_length=20)  # an area code, or "partnership"
    section = models.CharField(max_length=20)  # a key of business_case.SECTIONS
    text = models.TextField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["scope", "section", "created_at"])]
