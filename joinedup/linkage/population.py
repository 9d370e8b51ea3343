"""Deduplicating a whole population with the trained model, on DuckDB (one machine) or Spark (a cluster).

    pairs = dedupe(table_or_parquet_path, engine="spark", threshold=0.9)   # [(unique_id, unique_id, p)]

The model is the one shipped in `model/splink_model.json` (`engine.trained_model`): the same
comparisons, levels, blocking rules and trained parameters on both engines. Its SQL is written for
DuckDB; `spark_model` translates it to Spark's with sqlglot, after renaming the two DuckDB functions
sqlglot does not map to what Spark has (`list_has_any` is `arrays_overlap`;
`jaro_winkler_similarity` is `jaro_winkler`, one of the Scala functions in the jar Splink ships,
with `damerau_levenshtein`). Nothing else changes. `tests/test_population.py` holds the two
engines to the same pairs at the threshold on the synthetic population with known truth.

Spark runs in local mode (`local[2]`) unless `SPARK_MASTER` names a cluster (`spark://host:7077`,
`yarn`, ...). pyspark comes from PyPI (pinned in requirements.txt) and needs Java 17 or later
(`JAVA_HOME`, else `java` on the path). On a cluster, a Parquet input must be on storage every
executor can read, and `SPARK_CHECKPOINT_DIR` should name shared storage too.

Decision 017.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa

from . import engine

ENGINES = ("duckdb", "spark")
DEFAULT_SPARK_MASTER = "local[2]"
# DuckDB's name -> Spark's, for the functions the model's SQL uses (the rest is standard SQL).
# Jaro-Winkler: not the jar's `jaro_winkler`, which scores some names lower than DuckDB does (it does
# not round the transpositions down), but DuckDB's own, registered as a UDF (`joinedup.linkage.jaro`).
SPARK_JARO_WINKLER = "jaro_winkler_duckdb"
_SPARK_FUNCTIONS = {"list_has_any": "arrays_overlap", "jaro_winkler_similarity": SPARK_JARO_WINKLER}
_FUNCTION = re.compile(r"\b(" + "|".join(_SPARK_FUNCTIONS) + r")\s*\(")


class EngineUnavailable(RuntimeError):
    """The engine asked for cannot run here (Spark without Java, say): the message says why."""


def _to_spark_sql(sql: str) -> str:
    """DuckDB's SQL in Spark's dialect: the functions renamed, then transpiled by sqlglot (quoting)."""
    import sqlglot

    if sql.strip().upper() == "ELSE":
        return sql
    renamed = _FUNCTION.sub(lambda m: _SPARK_FUNCTIONS[m.group(1)] + "(", sql)
    return sqlglot.transpile(renamed, read="duckdb", write="spark")[0]


def spark_model() -> dict[str, Any]:
    """The trained model in Spark's SQL: the same levels, rules and parameters, the SQL translated.

    The shipped model's SQL is DuckDB's (double-quoted names, DuckDB's function names), and its
    levels do not say so, so each condition and blocking rule is translated here (`_to_spark_sql`).
    """
    model = copy.deepcopy(engine.trained_model())
    model["sql_dialect"] = "spark"
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = _to_spark_sql(level["sql_condition"])
    for rule in model["blocking_rules_to_generate_predictions"]:
        rule["blocking_rule"] = _to_spark_sql(rule["blocking_rule"])
        rule["sql_dialect"] = "spark"
    return model


def java_available() -> bool:
    """Whether a Java runtime is there for Spark: JAVA_HOME's, or `java` on the path."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


def spark_master() -> str:
    return os.environ.get("SPARK_MASTER") or DEFAULT_SPARK_MASTER


def spark_session(master: str | None = None) -> Any:
    """A Spark session with Splink's similarity functions, local unless `master` (or SPARK_MASTER) says."""
    if not java_available():
        raise EngineUnavailable("Spark needs Java 17 or later: install it, or set JAVA_HOME.")
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    master = master or spark_master()
    local = master.startswith("local")
    builder = (
        SparkSession.builder.master(master)
        .appName("joinedup-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if local:  # one machine: few partitions, the driver's memory is the executors'
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", os.environ.get("SPARK_PARTITIONS", "8"))
            .config("spark.default.parallelism", os.environ.get("SPARK_PARTITIONS", "8"))
            .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "4g"))
        )
        # The Jaro-Winkler UDF runs in Python workers: this interpreter (a cluster's executors need a
        # Python of their own, set by spark.pyspark.python in its configuration).
        builder = builder.config("spark.pyspark.python", sys.executable)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    register_functions(spark)
    checkpoints = os.environ.get("SPARK_CHECKPOINT_DIR") or tempfile.mkdtemp(prefix="joinedup-spark-")
    spark.sparkContext.setCheckpointDir(checkpoints)
    return spark


def register_functions(spark: Any) -> None:
    """DuckDB's Jaro-Winkler as a Spark SQL function (`SPARK_JARO_WINKLER`), shipped to the workers
    by value (the module needs nothing but the standard library), so both engines give a pair the
    same name level and the same pairs pass the threshold."""
    from pyspark import cloudpickle

    from . import jaro

    cloudpickle.register_pickle_by_value(jaro)
    spark.udf.register(SPARK_JARO_WINKLER, jaro.jaro_winkler, "double")


def dedupe(
    source: pa.Table | str | Path, *, engine_name: str, threshold: float, spark: Any = None
) -> list[tuple[str, str, float]]:
    """Every pair in `source` (records as `engine.to_table` makes them, or a Parquet file of them)
    the blocking rules find and the model scores at or above `threshold`, as (lower id, higher id,
    probability), sorted. `spark`: a session to reuse (else one is started, and left running)."""
    if engine_name == "duckdb":
        rows = _dedupe_duckdb(source, threshold)
    elif engine_name == "spark":
        rows = _dedupe_spark(source, threshold, spark or spark_session())
    else:
        raise ValueError(f"Unknown engine {engine_name!r}: choose one of {', '.join(ENGINES)}.")
    return sorted((min(a, b), max(a, b), float(p)) for a, b, p in rows)


def _dedupe_duckdb(source: pa.Table | str | Path, threshold: float) -> list[tuple[str, str, float]]:
    from splink import Linker

    db = engine._db()
    if not isinstance(source, pa.Table):
        import pyarrow.parquet as pq

        source = pq.read_table(str(source))
    linker = Linker(db.register(source), engine.trained_model(), log_level=logging.WARNING)
    result = linker.inference.predict(threshold_match_probability=threshold)
    return result.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_probability").fetchall()


def _dedupe_spark(source: pa.Table | str | Path, threshold: float, spark: Any) -> list[tuple[str, str, float]]:
    from splink import Linker
    from splink.backends.spark import SparkAPI

    register_functions(spark)  # a session not made by `spark_session` lacks it
    partitions = int(spark.conf.get("spark.sql.shuffle.partitions"))
    db = SparkAPI(spark_session=spark, num_partitions_on_repartition=partitions, break_lineage_method="persist")
    frame = spark.createDataFrame(source) if isinstance(source, pa.Table) else spark.read.parquet(str(source))
    linker = Linker(db.register(frame), spark_model(), log_level=logging.WARNING)
    result = linker.inference.predict(threshold_match_probability=threshold)
    rows = result.as_spark_dataframe().select("unique_id_l", "unique_id_r", "match_probability").collect()
    return [(r[0], r[1], r[2]) for r in rows]
