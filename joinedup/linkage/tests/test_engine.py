"""The model, its inputs and the synthetic population, without the database."""

from __future__ import annotations

import json
import re
from datetime import date

from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from joinedup.linkage import engine, synthetic
from joinedup.linkage.names import fold, name_groups, nicknames_of, normalise_ni_number, postcode_parts


def test_folding_and_nickname_groups() -> None:
    assert fold("Siobhán O'Connor-Łukasz") == "siobhanoconnorlukasz"
    assert fold("李") == ""
    assert name_groups("Bill") == ["william"] == name_groups("WILLIAM")
    assert set(name_groups("Chris")) == {"christine", "christopher"}
    assert name_groups("Zebedee") == ["zebedee"]
    assert "peggy" in nicknames_of("Margaret")


def test_national_insurance_numbers() -> None:
    assert normalise_ni_number(" jg 10 37 59 a ") == "JG103759A"
    for bad in ("", "QQ123456C", "GB123456A", "AO123456A", "AB12345C", "AB123456E", "<script>"):
        assert normalise_ni_number(bad) == ""


@given(st.text(max_size=60))
def test_identifier_and_name_helpers_never_fail(text: str) -> None:
    ni = normalise_ni_number(text)
    assert ni == "" or re.fullmatch(r"[A-Z]{2}[0-9]{6}[A-D]", ni)
    assert fold(text).isascii()
    name_groups(text)
    postcode_parts(text)


def test_postcode_parts() -> None:
    assert postcode_parts("NG18 1AB") == ("NG18", "NG18 1")
    assert postcode_parts("") == ("", "")


def test_record_marks_missing_values_as_null() -> None:
    row = engine.record(unique_id=1, given_name="", family_name="Lee", date_of_birth=date(1990, 1, 20), postcode="")
    assert row["given_name"] is None and row["postcode"] is None and row["nhs_number"] is None
    assert row["dob_swapped"] is None  # 20 January has no swapped reading
    assert (
        engine.record(unique_id=1, given_name="A", family_name="B", date_of_birth=date(1990, 3, 5), postcode="NG1 1AA")[
            "dob_swapped"
        ]
        == "1990-05-03"
    )


def test_the_synthetic_population_is_deterministic_and_has_known_duplicates() -> None:
    first = synthetic.population(500, seed=11)
    assert first == synthetic.population(500, seed=11)
    assert first != synthetic.population(500, seed=12)
    clusters = [r.cluster for r in first]
    assert len(first) > 500 and len(set(clusters)) >= 500
    assert sorted(r.unique_id for r in first) == list(range(1, len(first) + 1))
    for r in first:
        assert r.nhs_number == "" or len(r.nhs_number) == 10
        assert r.national_insurance_number == "" or normalise_ni_number(r.national_insurance_number)


def test_scoring_with_the_shipped_model() -> None:
    new = engine.record(
        unique_id="new", given_name="Bill", family_name="Smith", date_of_birth=date(1980, 3, 5), postcode="NG18 1AB"
    )
    known = [
        engine.record(
            unique_id="nickname",
            given_name="William",
            family_name="Smith",
            date_of_birth=date(1980, 3, 5),
            postcode="NG18 2XY",
        ),
        engine.record(
            unique_id="swapped",
            given_name="Smith",
            family_name="Bill",
            date_of_birth=date(1980, 5, 3),
            postcode="NG18 1AB",
        ),
        engine.record(
            unique_id="stranger",
            given_name="Anne",
            family_name="Jones",
            date_of_birth=date(1980, 3, 5),
            postcode="DE1 1AA",
        ),
    ]
    scores = {row["unique_id"]: row for row in engine.score(new, known)}
    assert scores["nickname"]["match_probability"] > 0.99
    assert scores["nickname"]["levels"]["name"] == "nickname, same surname"
    assert scores["swapped"]["levels"]["dob"] == "day and month transposed"
    assert "stranger" not in scores  # same birthday only: the blocking rules do not even compare them
    assert engine.score(new, []) == []
    unblocked = {row["unique_id"]: row for row in engine.score(new, known, blocking=False)}
    assert unblocked["stranger"]["match_probability"] < 0.01


def test_training_writes_a_model_splink_can_use(tmp_path) -> None:
    output = tmp_path / "model.json"
    call_command("linkage_train", people=1500, seed=3, output=str(output))
    model = json.loads(output.read_text())
    assert model["joinedup"] == {"trained_on": "synthetic", "people": 1500, "seed": 3}
    name = next(c for c in model["comparisons"] if c["output_column_name"] == "name")
    assert all("u_probability" in level for level in name["comparison_levels"] if not level.get("is_null_level"))


def test_probability_in_words() -> None:
    from joinedup.linkage.models import DuplicateCandidate

    words = [DuplicateCandidate(match_probability=p).probability_in_words for p in (0.99999, 0.994, 0.5, 0.001)]
    assert words == ["More than 99%", "99%", "50%", "1%"]
