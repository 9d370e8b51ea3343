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
    EMPLOYERS_ENGAGED = "employers_engaged", "Employers engaged (month of the first engagement, by partner)"
    VACANCIES = "vacancies", "Vacancies opened (month opened, by the partner holding the employer)"
    PUT_FORWARD = "put_forward", "People put forward for vacancies (month, by the person's partner)"
    VACANCY_STARTS = "vacancy_starts", "Job starts from vacancies (start date)"


class MonthlyTally(models.Model):
    id = models.BigAutoField(primary_key=True)
    # A `Measure` code: the TextChoices are the registry, checked by `services.tally_add` and at
    # start-up, not the column's choices, so a new measure needs no migration.
    measure = models.CharField(max_length=20)
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

    def get_measure_display(self) -> str:
        """The measure's label, as Django's choices display gave it (the code if it is unknown)."""
        return measure_label(self.measure)


def measure_label(code: str) -> str:
    return Measure(code).label if code in Measure.values else code


def check_registry() -> None:
    """Start-up check: every measure's code fits the tally's column and has a label."""
    width = MonthlyTally._meta.get_field("measure").max_length
    for measure in Measure:
        if len(measure.value) > width:
            raise RuntimeError(f"Measure {measure.value} is longer than the {width} characters a tally keeps")
        if not measure.label:
            raise RuntimeError(f"Measure {measure.value} needs a label")
