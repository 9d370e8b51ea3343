"""Reads of the monthly tallies: what is stored, what a fresh count from the records gives, and where
the two disagree (`manage.py tallies --check`). The dashboard reads them through `insights`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Measure, MonthlyTally

TallyKey = tuple[str, str, date]  # measure, partner key ("" for none), first day of the month


def month_of(value: date | datetime) -> date:
    """The first day of the month `value` falls in, in the service's time zone (Europe/London)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def partner_key(partner_id: object) -> str:
    return str(partner_id) if partner_id else ""


def _grouped(qs: QuerySet, date_field: str, partner_field: str) -> QuerySet:
    return (
        qs.annotate(m=TruncMonth(date_field), partner=F(partner_field))
        .values("m", "partner")
        .annotate(n=Count("pk"))
        .order_by()
    )


def live_counts(get_model=None) -> Counter[TallyKey]:
    """Every tally counted afresh from the records: five grouped queries over the whole partnership.

    `get_model` (a migration's `apps.get_model`) counts with historical models."""
    from django.apps import apps

    from joinedup.cases.models import IN_WORK_OUTCOMES

    get_model = get_model or apps.get_model
    Case, JobStart, Sustainment = (get_model("cases", name) for name in ("Case", "JobStart", "Sustainment"))
    Referral = get_model("referrals", "Referral")

    counts: Counter[TallyKey] = Counter()
    sources = [
        (Measure.REFERRALS, Referral.objects.all(), "created_at", "delivery_partner_id"),
        (Measure.STARTS, Case.objects.all(), "enrolled_on", "delivery_partner_id"),
        (Measure.CONVERTED, Case.objects.all(), "referral__created_at", "delivery_partner_id"),
        (Measure.JOB_STARTS, JobStart.objects.all(), "start_date", "case__delivery_partner_id"),
        (
            Measure.SUSTAINED_26,
            Sustainment.objects.filter(weeks=26, outcome__in=IN_WORK_OUTCOMES),
            "achieved_on",
            "job_start__case__delivery_partner_id",
        ),
    ]
    sources += _employer_sources(get_model)
    for measure, qs, date_field, partner_field in sources:
        for row in _grouped(qs, date_field, partner_field):
            counts[(str(measure), partner_key(row["partner"]), month_of(row["m"]))] += row["n"]
    counts.update(_employers_engaged(get_model))
    return counts


def _employers_engaged(get_model: Callable[[str, str], Any]) -> Counter[TallyKey]:
    """An employer engaged counts once a month for each partner that engaged it."""
    counts: Counter[TallyKey] = Counter()
    try:
        Engagement = get_model("employers", "Engagement")
    except LookupError:
        return counts
    engaged = (
        Engagement.objects.annotate(m=TruncMonth("happened_on"), partner=F("organisation_id"))
        .values("m", "partner")
        .annotate(n=Count("employer", distinct=True))
        .order_by()
    )
    for row in engaged:
        counts[(str(Measure.EMPLOYERS_ENGAGED), partner_key(row["partner"]), month_of(row["m"]))] += row["n"]
    return counts


def _employer_sources(get_model: Callable[[str, str], Any]) -> list[tuple[Measure, QuerySet, str, str]]:
    try:
        Vacancy, Nomination, JobStartLink = (
            get_model("employers", n) for n in ("Vacancy", "Nomination", "JobStartLink")
        )
    except LookupError:  # a migration's state before the employers app existed
        return []
    return [
        (Measure.VACANCIES, Vacancy.objects.filter(published_on__isnull=False), "published_on", "employer__owner_id"),
        (Measure.PUT_FORWARD, Nomination.objects.all(), "created_at", "case__delivery_partner_id"),
        (
            Measure.VACANCY_STARTS,
            JobStartLink.objects.all(),
            "job_start__start_date",
            "job_start__case__delivery_partner_id",
        ),
    ]


def stored_counts() -> Counter[TallyKey]:
    counts: Counter[TallyKey] = Counter()
    for measure, partner_key, month, n in MonthlyTally.objects.values_list("measure", "partner_key", "month", "n"):
        if n:
            counts[(measure, partner_key, month)] += n
    return counts


def tallies_differences() -> list[tuple[TallyKey, int, int]]:
    """Where the stored tallies and a fresh count disagree: (key, stored, counted). Empty when right."""
    stored, live = stored_counts(), live_counts()
    return sorted(
        ((key, stored.get(key, 0), live.get(key, 0)) for key in set(stored) | set(live) if stored[key] != live[key]),
        key=lambda row: (row[0][0], row[0][1], row[0][2]),
    )
