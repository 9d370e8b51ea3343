"""Jaro-Winkler similarity exactly as DuckDB computes it, for engines whose own differs (Spark).

The shipped model was trained on DuckDB's `jaro_winkler_similarity`, and its name levels compare it
with 0.9. Spark's `jaro_winkler` (Splink's Scala jar, Apache Commons Text) counts a transposition
differently: DuckDB halves the number of out-of-order matches with integer division (as Winkler's
strcmp95 does), the jar does not. For an odd count the jar's score is lower (Baker/Barker: DuckDB
0.9022, the jar 0.8756), so a pair can fall to a lower level on Spark, and Spark found 17 fewer
pairs than DuckDB at a million people (docs/benchmarks.md). This module imports only the standard library, so
Spark can ship it to its Python workers by value (`population.spark_session`).
"""

from __future__ import annotations

from fractions import Fraction


def jaro_winkler(left: str | None, right: str | None) -> float | None:
    """DuckDB's `jaro_winkler_similarity(left, right)`, to the last bit (tested against DuckDB)."""
    if left is None or right is None:
        return None
    if not left or not right:
        return 0.0  # DuckDB's answer for an empty string, even for two
    if left == right:
        return 1.0
    sim = _jaro(left, right)
    if sim > 0.7:
        prefix = 0
        for a, b in zip(left[:4], right[:4], strict=False):
            if a != b:
                break
            prefix += 1
        # DuckDB's build fuses this multiply-add (one rounding, not two): done exactly, then rounded.
        sim = float(Fraction(prefix * 0.1) * Fraction(1.0 - sim) + Fraction(sim))
    return sim


def _jaro(left: str, right: str) -> float:
    n1, n2 = len(left), len(right)
    window = max(max(n1, n2) // 2 - 1, 0)
    used = [False] * n2
    matched_left = []
    for i, c in enumerate(left):
        for j in range(max(0, i - window), min(n2, i + window + 1)):
            if not used[j] and right[j] == c:
                used[j] = True
                matched_left.append(c)
                break
    m = len(matched_left)
    if not m:
        return 0.0
    matched_right = [right[j] for j in range(n2) if used[j]]
    # Half the out-of-order matches, rounded down: where Spark's jar differs (it does not round).
    transpositions = sum(a != b for a, b in zip(matched_left, matched_right, strict=True)) // 2
    return (m / n1 + m / n2 + (m - transpositions) / m) / 3.0
