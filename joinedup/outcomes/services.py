"""Writes to the monthly tallies. Called by `subscribers` when a service announces what it recorded,
inside that service's transaction, so a tally changes exactly when its record does (and not at all
if that write fails)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from django.db import connection, transaction
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


def _key(partner_id: object) -> str:
    return str(partner_id) if partner_id else ""


def tally_add(*, measure: Measure | str, partner_id: object, on: date | datetime, delta: int = 1) -> None:
    """Add `delta` to one month's tally for one partner. Must run inside the caller's transaction."""
    if measure not in Measure.values:
        raise ValueError(f"Unknown measure {measure!r}: declare it in outcomes.models.Measure")
    if delta == 0:
        return
    table = MonthlyTally._meta.db_table
    month = connection.ops.adapt_datefield_value(month_of(on))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (measure, partner_key, month, n) VALUES (%s, %s, %s, %s) "  # noqa: S608 - our table
            f"ON CONFLICT (measure, partner_key, month) DO UPDATE SET n = {table}.n + excluded.n",
            [str(measure), _key(partner_id), month, delta],
        )


def tally_move(*, measure: Measure | str, old_partner_id: object, new_partner_id: object, on: date | datetime) -> None:
    """A counted record moved from one partner to another (a referral routed or re-routed)."""
    if _key(old_partner_id) == _key(new_partner_id):
        return
    tally_add(measure=measure, partner_id=old_partner_id, on=on, delta=-1)
    tally_add(measure=measure, partner_id=new_partner_id, on=on, delta=1)


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
    for measure, qs, date_field, partner_field in sources:
        for row in _grouped(qs, date_field, partner_field):
            counts[(str(measure), _key(row["partner"]), month_of(row["m"]))] += row["n"]
    return counts


def stored_counts() -> Counter[TallyKey]:
    counts: Counter[TallyKey] = Counter()
    for measure, partner_key, month, n in MonthlyTally.objects.values_list("measure", "partner_key", "month", "n"):
        if n:
            counts[(measure, partner_key, month)] += n
    return counts


def tallies_rebuild(get_model=None) -> int:
    """Recount every tally from the records (after a bulk load or a repair). Returns the rows written.

    On PostgreSQL the tally table is locked first, so a referral or case recorded while this runs
    waits, then adds itself to the rebuilt tallies: nothing is counted twice or missed."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {MonthlyTally._meta.db_table} IN EXCLUSIVE MODE")
        counts = live_counts(get_model)
        Tally = get_model("outcomes", "MonthlyTally") if get_model else MonthlyTally
        Tally.objects.all().delete()
        Tally.objects.bulk_create(
            Tally(measure=m, partner_key=p, month=month, n=n) for (m, p, month), n in counts.items() if n
        )
    return len(counts)


def tallies_differences() -> list[tuple[TallyKey, int, int]]:
    """Where the stored tallies and a fresh count disagree: (key, stored, counted). Empty when right."""
    stored, live = stored_counts(), live_counts()
    return sorted(
        ((key, stored.get(key, 0), live.get(key, 0)) for key in set(stored) | set(live) if stored[key] != live[key]),
        key=lambda row: (row[0][0], row[0][1], row[0][2]),
    )
