"""Monthly tallies of a programme's participations (decision 021, after decision 008): what the ESF
return and the performance page read, kept in step by every write to a participation."""

from __future__ import annotations

from django.db import models

from .programme import Programme


class ProgrammeTally(models.Model):
    """How many of a partner's participants count towards `measure` in `month` (the first day),
    grouped by `dimension` = `value` (the ESF indicators by gender, the cohort measures by a cohort
    column; "" for none) and by local authority (`area`, "" when not kept or not known). Changed
    only by `programmes.tally` (and rebuilt from the participations by `tallies_rebuild`)."""

    id = models.BigAutoField(primary_key=True)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    measure = models.CharField(max_length=20)
    dimension = models.CharField(max_length=20, blank=True)
    value = models.CharField(max_length=60, blank=True)
    area = models.CharField(max_length=60, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "measure", "month", "partner", "dimension", "value", "area"],
                name="programme_tally_key",
            ),
        ]
