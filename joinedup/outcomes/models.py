"""Monthly tallies of the partnership's headline measures, kept as the work is recorded.

The dashboard reads these few hundred rows instead of counting millions of records on every view.
Each tally is changed in the same transaction as the record it counts (see `services.tally_add`),
so it is never out of date; `tallies_rebuild` recounts everything from the records (after a bulk
load, or to repair) and `tallies_differences` checks the two agree.
"""

from __future__ import annotations

from django.db import models


class Measure(models.TextChoices):
    REFERRALS = "referrals", "Referrals received (month received, by the partner now assigned)"
    STARTS = "starts", "Starts (month enrolled)"
    CONVERTED = "converted", "Referrals that started (month the referral was received)"
    JOB_STARTS = "job_starts", "Job starts (start date)"
    SUSTAINED_26 = "sustained_26", "Jobs sustained 26 weeks (date reached)"


class MonthlyTally(models.Model):
    id = models.BigAutoField(primary_key=True)
    measure = models.CharField(max_length=20, choices=Measure.choices)
    # The delivery partner's id, or "" for referrals not assigned to one (in triage or declined).
    partner_key = models.CharField(max_length=36, blank=True)
    month = models.DateField()  # the first day of the month, in the service's time zone
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "partner_key", "month"], name="outcomes_tally_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.partner_key or '-'} {self.month:%Y-%m}: {self.n}"
