"""Deduplicate the whole population: ``python manage.py linkage_dedupe --engine duckdb|spark``.

    manage.py linkage_dedupe --engine duckdb                      # one machine, people from the database
    manage.py linkage_dedupe --engine spark                       # Spark in local mode (SPARK_MASTER: a cluster)
    manage.py linkage_dedupe --engine spark --parquet people.parquet
    manage.py linkage_dedupe --export-parquet people.parquet      # write the people as the model's records

Runs the shipped model over every known person (or a Parquet file of the model's records, as
`--export-parquet` writes them), and writes the pairs at or above `--threshold` back as a
deduplication run for review at /linkage/dedupe/. Nothing is merged. Decision 017.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.core.errors import DomainError
from joinedup.linkage import population
from joinedup.linkage.selectors import LIKELY_THRESHOLD, population_table
from joinedup.linkage.services import population_dedupe


class Command(BaseCommand):
    help = "Deduplicate every known person with the linkage model, on DuckDB or Spark; pairs go to review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--engine", choices=population.ENGINES, default="duckdb")
        parser.add_argument("--threshold", type=float, default=LIKELY_THRESHOLD, help="lowest probability kept")
        parser.add_argument("--parquet", help="read the model's records from this Parquet file, not the database")
        parser.add_argument("--export-parquet", help="write the people as the model's records to this file, and stop")
        parser.add_argument("--spark-master", help="a Spark master URL (default SPARK_MASTER, else local[2])")

    def handle(self, *args: object, **options: Any) -> None:
        if options["export_parquet"]:
            import pyarrow.parquet as pq

            table = population_table()
            pq.write_table(table, options["export_parquet"])
            self.stdout.write(f"Wrote {table.num_rows} people to {options['export_parquet']}")
            return
        spark = None
        try:
            if options["engine"] == "spark":
                spark = population.spark_session(options["spark_master"])
            run = population_dedupe(
                engine_name=options["engine"], threshold=options["threshold"], parquet=options["parquet"], spark=spark
            )
        except (DomainError, population.EngineUnavailable) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if spark is not None:
                spark.stop()
        self.stdout.write(
            f"{run.engine}: {run.records} records, {run.pairs} pairs at {run.threshold} or more "
            f"({run.written} written for review), {run.seconds:.1f} s. Run {run.pk}"
        )
