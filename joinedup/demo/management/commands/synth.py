import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from joinedup.core.environment import refuse_in_production
from joinedup.demo.synth import SynthError, synth_info, synth_load, synth_reset, vacuum_analyze


class Command(BaseCommand):
    help = (
        "Generate a synthetic partnership of N people in bulk, for benchmarks (deterministic for a seed). "
        "Refuses a database holding real referrals unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, help="How many people (one referral each)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="The day the history runs up to (YYYY-MM-DD; default today). Same seed and date, same rows.",
        )
        parser.add_argument("--reset", action="store_true", help="Delete earlier synthetic data first")
        parser.add_argument("--force", action="store_true", help="Write even though the database has real referrals")
        parser.add_argument("--no-vacuum", action="store_true", help="Skip VACUUM ANALYZE after loading (PostgreSQL)")
        parser.add_argument("--info", action="store_true", help="Say what synthetic data is loaded, and stop")

    def handle(self, *args, people, seed, as_of, reset, force, no_vacuum, info, **options):
        refuse_in_production("synth")
        if info:
            current = synth_info()
            self.stdout.write(
                f"seed={current.seed} people={current.people} as_of={current.as_of}" if current else "none"
            )
            return
        if people is None:
            if not reset:
                raise CommandError("Pass --people N (or --reset alone to delete the synthetic data).")
            removed = synth_reset()
            self.stdout.write("Removed: " + (", ".join(f"{k} {v:,}" for k, v in removed.items() if v) or "nothing"))
            return
        try:
            result = synth_load(people=people, seed=seed, as_of=as_of, reset=reset, force=force, log=self.stdout.write)
        except SynthError as exc:
            raise CommandError(str(exc)) from exc
        if result is None:
            self.stdout.write(f"Synthetic data for seed {seed} with {people:,} people is already loaded.")
            return
        vacuum_seconds = None
        if not no_vacuum:
            started = time.perf_counter()
            vacuum_analyze()
            vacuum_seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {people:,} people (seed {seed}, as of {result.as_of}) in {result.seconds:.1f} s: "
                f"{result.people_per_second:,.0f} people a second."
            )
        )
        for label, count in result.rows.items():
            self.stdout.write(f"  {label:<32} {count:>12,}")
        self.stdout.write("  phases (s): " + ", ".join(f"{k} {v}" for k, v in result.phases.items()))
        if vacuum_seconds is not None:
            self.stdout.write(f"  then VACUUM ANALYZE: {vacuum_seconds:.1f} s")
