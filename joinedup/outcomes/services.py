"""Writes to the monthly tallies. Called by `subscribers` when a service announces what it recorded,
inside that service's transaction, so a tally changes exactly when its record does (and not at all
if that write fails)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import connection, transaction

from .models import Measure, MonthlyTally
from .selectors import live_counts, month_of, partner_key


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
            [str(measure), partner_key(partner_id), month, delta],
        )


def tally_move(*, measure: Measure | str, old_partner_id: object, new_partner_id: object, on: date | datetime) -> None:
    """A counted record moved from one partner to another (a referral routed or re-routed)."""
    if partner_key(old_partner_id) == partner_key(new_partner_id):
        return
    tally_add(measure=measure, partner_id=old_partner_id, on=on, delta=-1)
    tally_add(measure=measure, partner_id=new_partner_id, on=on, delta=1)


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
