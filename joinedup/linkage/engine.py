"""The probabilistic linkage model (Splink 5, DuckDB backend): its settings, training and scoring.

The model compares two people on name (with nicknames and swapped first/last names), date of birth
(with day/month transposed and one-digit typos), postcode (full, sector, district), NHS number and
National Insurance number; a missing value is "no evidence" rather than a disagreement. Its
parameters (m and u probabilities, the prior) are trained offline by `train` on the synthetic
population (`synthetic.py`) and shipped as `model/splink_model.json`; at run time the model is only
read, so nothing is trained and nothing is fetched.

Everything here works on plain records (dicts with the columns of `record`), not on Django models,
so the training command, the benchmark and the service share it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import re
import threading
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from .names import fold, name_groups, normalise_ni_number, postcode_parts

MODEL_PATH = Path(__file__).resolve().parent / "model" / "splink_model.json"
COLUMNS = [
    "unique_id",
    "given_name",
    "family_name",
    "given_groups",
    "dob",
    "dob_swapped",
    "postcode",
    "postcode_sector",
    "postcode_district",
    "nhs_number",
    "ni_number",
]
_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("given_name", pa.string()),
        ("family_name", pa.string()),
        ("given_groups", pa.list_(pa.string())),
        ("dob", pa.string()),
        ("dob_swapped", pa.string()),
        ("postcode", pa.string()),
        ("postcode_sector", pa.string()),
        ("postcode_district", pa.string()),
        ("nhs_number", pa.string()),
        ("ni_number", pa.string()),
    ]
)

# Pairs are only compared when one of these holds ("blocking"). Each is an equality DuckDB can
# hash-join on, narrowed by cheap filters so that a million records give millions of pairs, not
# tens of millions: the same NHS or NI number; the same full postcode; the same date of birth (or
# with day and month swapped) and something of the name or area; the same surname and district and
# something of the first name; the same surname and first-name group and part of the birth date;
# first and last names swapped. The database does the same, unfiltered, at run time
# (`selectors.blocked_candidates`): against one referral the extra pairs cost nothing.
_NAME_OR_AREA = (
    "(l.postcode_district = r.postcode_district OR substr(l.family_name, 1, 1) = substr(r.family_name, 1, 1)"
    " OR list_has_any(l.given_groups, r.given_groups) OR substr(l.given_name, 1, 1) = substr(r.family_name, 1, 1))"
)
BLOCKING_RULES = [
    "l.nhs_number = r.nhs_number",
    "l.ni_number = r.ni_number",
    "l.postcode = r.postcode",
    f"l.dob = r.dob AND {_NAME_OR_AREA}",
    f"l.dob_swapped = r.dob AND {_NAME_OR_AREA}",
    "l.family_name = r.family_name AND l.postcode_district = r.postcode_district"
    " AND (substr(l.given_name, 1, 1) = substr(r.given_name, 1, 1) OR list_has_any(l.given_groups, r.given_groups))",
    "l.family_name = r.family_name AND list_has_any(l.given_groups, r.given_groups)"
    " AND (substr(l.dob, 1, 4) = substr(r.dob, 1, 4) OR substr(l.dob, 6, 5) = substr(r.dob, 6, 5))",
    "l.given_name = r.family_name AND l.family_name = r.given_name",
]


def _blank_to_none(value: str) -> str | None:
    return value or None


def record(
    *,
    unique_id: object,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    postcode: str,
    nhs_number: str = "",
    national_insurance_number: str = "",
) -> dict[str, Any]:
    """One person as the model sees them. Missing values become NULL."""
    district, sector = postcode_parts(postcode)
    dob = date_of_birth.isoformat() if date_of_birth else None
    swapped = None
    if date_of_birth and date_of_birth.day <= 12 and date_of_birth.day != date_of_birth.month:
        swapped = date(date_of_birth.year, date_of_birth.day, date_of_birth.month).isoformat()
    pc = (postcode or "").strip().upper()
    return {
        "unique_id": str(unique_id),
        "given_name": _blank_to_none(fold(given_name)),
        "family_name": _blank_to_none(fold(family_name)),
        "given_groups": name_groups(given_name) or None,
        "dob": dob,
        "dob_swapped": swapped,
        "postcode": pc or None,
        "postcode_sector": sector or None,
        "postcode_district": district or None,
        "nhs_number": _blank_to_none("".join(ch for ch in (nhs_number or "") if ch.isdigit())),
        "ni_number": _blank_to_none(normalise_ni_number(national_insurance_number)),
    }


def to_table(records: Iterable[dict[str, Any]]) -> pa.Table:
    rows = list(records)
    return pa.table({c: [r[c] for r in rows] for c in COLUMNS}, schema=_SCHEMA)


# The model's comparisons, as (SQL, label) levels in the order Splink tries them. Comparison SQL is
# written with l. and r. for the two sides (`_level` rewrites it to Splink's given_name_l, given_name_r).
_NAME_NULL = "l.given_name IS NULL OR r.given_name IS NULL OR l.family_name IS NULL OR r.family_name IS NULL"
_NAME_LEVELS = [
    ("l.given_name = r.given_name AND l.family_name = r.family_name", "exact"),
    ("l.given_name = r.family_name AND l.family_name = r.given_name", "first and last swapped"),
    ("list_has_any(l.given_groups, r.given_groups) AND l.family_name = r.family_name", "nickname, same surname"),
    (
        "jaro_winkler_similarity(l.given_name, r.given_name) >= 0.9 "
        "AND jaro_winkler_similarity(l.family_name, r.family_name) >= 0.9",
        "both close (typos)",
    ),
    (
        "(l.given_name = r.given_name OR list_has_any(l.given_groups, r.given_groups)) "
        "AND jaro_winkler_similarity(l.family_name, r.family_name) < 0.9",
        "same first name, other surname",
    ),
    (
        "jaro_winkler_similarity(l.family_name, r.family_name) >= 0.9 "
        "AND substr(l.given_name, 1, 1) = substr(r.given_name, 1, 1)",
        "surname close, same initial",
    ),
    ("jaro_winkler_similarity(l.family_name, r.family_name) >= 0.9", "surname close"),
]
# Between the exact match and everything else (`_graded`):
_DOB_LEVELS = [
    ("l.dob_swapped = r.dob", "day and month transposed"),
    ("damerau_levenshtein(l.dob, r.dob) <= 1", "one digit differs"),
    ("substr(l.dob, 1, 4) = substr(r.dob, 1, 4)", "same year"),
]
_POSTCODE_LEVELS = [
    ("damerau_levenshtein(l.postcode, r.postcode) <= 1", "one character differs"),
    ("l.postcode_sector = r.postcode_sector", "same sector"),
    ("l.postcode_district = r.postcode_district", "same district"),
]
# NHS numbers are checked (modulus 11) at intake, so a mistyped one is rejected, not stored (see
# `_nhs_number`); NI numbers have no check digit, so one wrong or transposed character is a level of its own.
_NI_NUMBER_LEVELS = [("damerau_levenshtein(l.ni_number, r.ni_number) <= 1", "one character differs")]


def settings() -> dict[str, Any]:
    """The untrained model: comparisons and their levels, as Splink settings."""
    from splink import SettingsCreator

    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            _name(),
            _graded("dob", _DOB_LEVELS),
            _graded("postcode", _POSTCODE_LEVELS),
            _nhs_number(),
            _graded("ni_number", _NI_NUMBER_LEVELS),
        ],
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    return creator.get_settings("duckdb").as_dict()


def _level(sql: str, label: str) -> Any:
    import splink.comparison_level_library as cll

    # Comparison SQL names the two sides' columns given_name_l and given_name_r.
    return cll.CustomLevel(re.sub(r"\b([lr])\.(\w+)", r"\2_\1", sql), label_for_charts=label)


def _name() -> Any:
    """Given and family name together: a missing one is no evidence; the levels of `_NAME_LEVELS`, else none."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            _level(_NAME_NULL, "null").configure(is_null_level=True),
            *(_level(sql, label) for sql, label in _NAME_LEVELS),
            cll.ElseLevel(),
        ],
    )


def _graded(column: str, levels: list[tuple[str, str]]) -> Any:
    """One column: missing (no evidence), exact, then each of `levels` in turn, else none of them."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column),
            *(_level(sql, label) for sql, label in levels),
            cll.ElseLevel(),
        ],
    )


def _nhs_number() -> Any:
    """The NHS number: missing, the same or different, with fixed m probabilities.

    A stored NHS number is one person's: two different ones are two people, bar rare errors, so its
    m probabilities are fixed rather than learnt (unsupervised EM would count look-alike twins, who
    have different NHS numbers, as matches). Decision 006.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="nhs_number",
        comparison_levels=[
            cll.NullLevel("nhs_number"),
            cll.ExactMatchLevel("nhs_number").configure(m_probability=0.9999, fix_m_probability=True),
            cll.ElseLevel().configure(m_probability=0.0001, fix_m_probability=True),
        ],
    )


def _db(connection=None):
    import duckdb
    from splink import DuckDBAPI

    if connection is None:
        connection = duckdb.connect(":memory:")
        connection.execute("SET threads TO 2")
    return DuckDBAPI(connection=connection)


_local = threading.local()


def _connection():
    """This thread's in-memory DuckDB, opened once (opening one costs more than scoring a referral)."""
    import duckdb

    if getattr(_local, "con", None) is None:
        _local.con = duckdb.connect(":memory:")
        _local.con.execute("SET threads TO 1")
    return _local.con


def train(records: Sequence[dict[str, Any]], *, seed: int = 2026, max_pairs: float = 5e6) -> dict[str, Any]:
    """Estimate the model's parameters on `records` (unlabelled): u by random sampling, m by EM."""
    from splink import Linker

    db = _db()
    linker = Linker(db.register(to_table(records)), settings(), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        ["l.nhs_number = r.nhs_number", "l.ni_number = r.ni_number"], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    # Each EM session fixes what it blocks on and estimates the rest.
    for rule in (
        "l.dob = r.dob",
        "l.family_name = r.family_name and l.postcode_district = r.postcode_district",
        "l.nhs_number = r.nhs_number",
    ):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    return linker.misc.save_model_to_json()


@lru_cache(maxsize=1)
def _trained_model_text() -> str:
    return MODEL_PATH.read_text(encoding="utf-8")


def trained_model() -> dict[str, Any]:
    """The shipped model as Splink settings (without our provenance note)."""
    model = json.loads(_trained_model_text())
    model.pop("joinedup", None)
    return model


def score(
    new: dict[str, Any], known: Sequence[dict[str, Any]], *, threshold: float = 0.0, blocking: bool = True
) -> list[dict[str, Any]]:
    """Score one new record against `known` records with the trained model.

    With `blocking`, only pairs the model's blocking rules find are scored; without, every record
    in `known` is (the caller has already blocked, as `selectors.blocked_candidates` does in SQL).
    Returns one dict per scored pair at or above `threshold`: the known record's unique_id,
    match_probability, match_weight and `levels`, each comparison's level label (engine.settings).
    """
    if not known:
        return []
    from splink import Linker

    con = _connection()
    db = _db(con)
    suffix = uuid.uuid4().hex[:12]  # each call's own tables, dropped afterwards
    known_df = db.register(to_table(known), table_name=f"known_{suffix}")
    new_df = db.register(to_table([new]), table_name=f"new_{suffix}")
    model = trained_model()
    model["retain_intermediate_calculation_columns"] = True  # keep each comparison's weight (mw_*)
    try:
        linker = Linker(known_df, model, log_level=logging.WARNING, validate_settings=False)
        result = linker.inference.predict_between(
            known_df,
            new_df,
            blocking_rules_to_generate_predictions=None if blocking else ["1 = 1"],
            threshold_match_probability=threshold,
            warning_mode="never",
        )
        rows = result.as_record_list()
    finally:
        _drop_tables(con, suffix)
    weights = _level_weights()
    return [
        {
            "unique_id": r["unique_id_l"] if r["unique_id_r"] == new["unique_id"] else r["unique_id_r"],
            "match_probability": float(r["match_probability"]),
            "match_weight": float(r["match_weight"]),
            "levels": {
                name: min(levels, key=lambda lw: abs(lw[1] - float(r[f"mw_{name}"])))[0]
                for name, levels in weights.items()
            },
        }
        for r in rows
    ]


def _drop_tables(con, suffix: str) -> None:
    """Drop this call's tables and Splink's intermediate ones (__splink__…) so memory stays flat."""
    rows = con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_name LIKE '%' || ? OR starts_with(table_name, '__splink__')",
        [suffix],
    ).fetchall()
    for name, kind in rows:
        if kind == "VIEW":
            with contextlib.suppress(Exception):  # a plain view, not a registered Python object
                con.unregister(name)
            con.execute(f'DROP VIEW IF EXISTS "{name}"')
        else:
            con.execute(f'DROP TABLE IF EXISTS "{name}"')


@lru_cache(maxsize=1)  # the shipped model does not change while the process runs (nor does its text)
def _level_weights() -> dict[str, list[tuple[str, float]]]:
    """Each comparison's levels as (label, match weight): Splink 5 returns the weight, not the level."""
    out: dict[str, list[tuple[str, float]]] = {}
    for comparison in trained_model()["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                levels.append((level["label_for_charts"], 0.0))
            elif level.get("m_probability") and level.get("u_probability"):
                levels.append((level["label_for_charts"], math.log2(level["m_probability"] / level["u_probability"])))
        out[comparison["output_column_name"]] = levels
    return out


def dedupe(records: Sequence[dict[str, Any]], *, threshold: float) -> list[tuple[str, str, float]]:
    """Every pair among `records` the blocking rules find, scored at or above `threshold`."""
    from splink import Linker

    db = _db()
    linker = Linker(db.register(to_table(records)), trained_model(), log_level=logging.WARNING)
    result = linker.inference.predict(threshold_match_probability=threshold)
    table = result.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_probability").fetchall()
    return [(a, b, float(p)) for a, b, p in table]


def record_from_synth(r: Any) -> dict[str, Any]:
    return record(
        unique_id=r.unique_id,
        given_name=r.given_name,
        family_name=r.family_name,
        date_of_birth=r.date_of_birth,
        postcode=r.postcode,
        nhs_number=r.nhs_number,
        national_insurance_number=r.national_insurance_number,
    )
