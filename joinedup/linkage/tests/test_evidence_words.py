"""The evidence of a duplicate check says what actually matched: each level's words are checked
against the two records the model compared, scored by the trained model itself (issue 18)."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.linkage import engine
from joinedup.linkage.services import _in_words

BASE = {
    "given_name": "William",
    "family_name": "Ashworth",
    "date_of_birth": date(1979, 3, 8),
    "postcode": "NG18 1AB",
    "nhs_number": "",
    "national_insurance_number": "",
}


def words(**changes) -> dict[str, str]:
    """The words for a known record and one changed by `changes`, at the level the model reached."""
    left = engine.record(unique_id="new", **BASE)
    right = engine.record(unique_id="known", **{**BASE, **changes})
    [row] = engine.score(left, [right], blocking=False)
    return _in_words(row["levels"], left, right)


@pytest.mark.parametrize(
    ("changes", "column", "expected"),
    [
        # The same surname is never "similar".
        ({"given_name": "Wendy"}, "name", "Same surname, different first name with the same initial"),
        ({"given_name": "Margaret"}, "name", "Same surname, different first name"),
        # A surname one letter out is.
        (
            {"given_name": "Wendy", "family_name": "Ashwort"},
            "name",
            "Similar surname, different first name with the same initial",
        ),
        ({"family_name": "Ashwroth"}, "name", "Same first name, similar surname (typing error)"),
        ({"given_name": "Wiliam"}, "name", "Same surname, similar first name (typing error)"),
        ({"given_name": "Wiliam", "family_name": "Ashwroth"}, "name", "Similar first name and surname (typing errors)"),
        ({"given_name": "Bill"}, "name", "Nickname, same surname"),
        ({"family_name": "Okonkwo"}, "name", "Same first name, different surname"),
        ({"given_name": "Bill", "family_name": "Okonkwo"}, "name", "Nickname, different surname"),
        ({}, "name", "Same name"),
        # One digit or character: changed, added, or two swapped.
        ({"date_of_birth": date(1979, 3, 9)}, "dob", "Date of birth one digit different"),
        ({"date_of_birth": date(1979, 3, 18)}, "dob", "Date of birth one digit different"),
        ({"date_of_birth": date(1997, 3, 8)}, "dob", "Date of birth with two digits swapped"),
        ({"postcode": "NG18 1BA"}, "postcode", "Postcode with two characters swapped"),
        ({"postcode": "NG18 1AD"}, "postcode", "Postcode one character different"),
        ({"postcode": "NG1 1AB"}, "postcode", "Postcode one character more or fewer"),
        ({"postcode": "NG18 1ZZ"}, "postcode", "Same postcode sector"),
        ({"postcode": "NG18 5QT"}, "postcode", "Same postcode district"),
    ],
)
def test_the_words_say_what_matched(changes, column, expected) -> None:
    assert words(**changes)[column] == expected


def test_national_insurance_numbers_one_character_apart() -> None:
    left = {**BASE, "national_insurance_number": "JG103759A"}
    new = engine.record(unique_id="new", **left)
    for theirs, expected in [
        ("JG103795A", "National Insurance number with two characters swapped"),
        ("JG103758A", "National Insurance number one character different"),
    ]:
        known = engine.record(unique_id="known", **{**left, "national_insurance_number": theirs})
        [row] = engine.score(new, [known], blocking=False)
        assert _in_words(row["levels"], new, known)["ni_number"] == expected
