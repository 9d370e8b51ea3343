"""Loading: plan, staff, then every declared table in one transaction; then the tallies."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from .base import FORMAT_VERSION, USER_PREFIX, SynthError, SynthResult
from .plan import Plan
from .programmes import participations_complete, programme_setup, programme_tallies
from .staff import create_staff
from .wipe import bulk_models, non_synthetic_referral_count, synth_info, synth_reset
from .writer import write_postgresql, write_rows


def synth_load(
    *,
    people: int,
    seed: int = 2026,
    as_of: date | None = None,
    reset: bool = False,
    force: bool = False,
    log: Callable[[str], None] = lambda _msg: None,
) -> SynthResult | None:
    """Load a synthetic partnership of `people` people. Returns None when it is already loaded."""
    if people < 1:
        raise SynthError("Make at least one person.")
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    others = non_synthetic_referral_count()
    if others and not force:
        raise SynthError(
            f"This database holds {others:,} referrals that are not synthetic. "
            "Use a database of its own for synthetic data, or pass --force to add to it anyway."
        )
    with transaction.atomic():  # replacing is all or nothing: a failed load keeps the old data
        return _load(people=people, seed=seed, as_of=as_of, reset=reset, log=log, started=started)


def _load(
    *, people: int, seed: int, as_of: date, reset: bool, log: Callable[[str], None], started: float
) -> SynthResult | None:
    from joinedup.employers.match_table import match_rows_rebuild
    from joinedup.outcomes.services import tallies_rebuild

    existing = synth_info()
    if existing is not None or get_user_model().objects.filter(username__startswith=USER_PREFIX).exists():
        if not reset:
            if existing and (existing.seed, existing.people, existing.version) == (seed, people, FORMAT_VERSION):
                return None
            described = f"seed {existing.seed}, {existing.people:,} people" if existing else "an unfinished load"
            raise SynthError(f"Synthetic data is already loaded ({described}). Pass --reset to replace it.")
        removed = synth_reset()
        log("Removed the previous synthetic data: " + ", ".join(f"{k} {v:,}" for k, v in removed.items() if v))
    plan = Plan(people=people, seed=seed, as_of=as_of, log=log)
    _run(plan)
    tally_started = time.perf_counter()
    tallies_rebuild()  # the dashboard's monthly tallies, counted from what was loaded
    plan.rows["programmes.ProgrammeTally"] = programme_tallies(plan)
    plan.rows["employers.MatchRow"] = match_rows_rebuild()  # the matching table, from what was loaded
    plan.phases["tallies"] = round(time.perf_counter() - tally_started, 2)
    seconds = time.perf_counter() - started
    return SynthResult(people=people, seed=seed, as_of=as_of, seconds=seconds, rows=plan.rows, phases=plan.phases)


def _run(plan: Plan) -> None:
    started = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        plan.phases[name] = round(now - started, 2)
        started = now

    plan.name_pools()
    plan.layout()
    phase("layout")
    plan.plan()
    plan.advisers()
    phase("plan")
    plan.log(f"Planned {plan.n:,} referrals ({plan.cases:,} enrolled) across {len(plan.partners)} delivery partners")
    with transaction.atomic():
        create_staff(plan)
        programme_setup(plan)
        phase("staff")
        if connection.vendor == "postgresql":
            write_postgresql(plan, phase)
        else:
            write_rows(plan, phase)
        participations_complete(plan)
        phase("participations")


def vacuum_analyze() -> None:
    """VACUUM ANALYZE the bulk tables (PostgreSQL), as autovacuum would soon after a real load."""
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        for model in bulk_models():
            cur.execute(f"VACUUM (ANALYZE) {qn(model._meta.db_table)}")
