"""A synthetic population with known truth, for training and evaluating the linkage model.

    records = population(10_000, seed=7)   # every record carries `cluster`, the true person

Names come from Faker's en_GB lists, postcodes from East Midlands districts, NHS numbers pass the
modulus-11 check and National Insurance numbers follow HMRC's format. A share of people are known
more than once, as they would be when two agencies refer them; each extra record is corrupted the
way real referrals are: a nickname or a typo in a name, first and last names swapped, a new surname,
a house move (new postcode) or a mistyped postcode, the day and month of birth transposed or a digit
mistyped, and the NHS or National Insurance number missing. To make precision honest, some distinct
people look alike: families at one address share a surname, and some of them are twins.

Deterministic: a seed always gives the same records. Pure Python (no database), fast enough for a
million records.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, replace
from datetime import date, timedelta

from faker.providers.person.en_GB import Provider as _Names

from .names import nicknames_of

DISTRICTS = [f"NG{n}" for n in range(1, 26)] + [f"DE{n}" for n in (1, 3, 4, 5, 6, 7, 11, 12, 13, 21, 22, 23, 24, 55)]
DISTRICTS += ["S40", "S41", "S42", "S43", "S44", "S80", "S81", "LE11", "LE12", "LN1", "NG31", "NG34"]
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters used in the inward code
_NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_FIRST = sorted(set(_Names.first_names_male) | set(_Names.first_names_female))
_LAST = sorted(set(_Names.last_names))


@dataclass(frozen=True)
class SynthRecord:
    unique_id: int
    cluster: int  # the true person: records with one cluster are the same person
    given_name: str
    family_name: str
    date_of_birth: date
    postcode: str
    nhs_number: str = ""
    national_insurance_number: str = ""


@dataclass(frozen=True)
class Corruption:
    """How often each error appears in a duplicate record (independently)."""

    nickname: float = 0.25
    given_typo: float = 0.12
    family_typo: float = 0.12
    swapped_names: float = 0.05
    new_surname: float = 0.04
    moved_house: float = 0.25
    postcode_typo: float = 0.04
    dob_transposed: float = 0.04
    dob_typo: float = 0.04
    nhs_missing: float = 0.4
    ni_missing: float = 0.4
    ni_typo: float = 0.03


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def ni_number(rng: random.Random) -> str:
    while True:
        prefix = rng.choice(_NI_FIRST) + rng.choice(_NI_SECOND)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"} and prefix[0] not in "DFIQUV":
            return f"{prefix}{rng.randrange(10**6):06d}{rng.choice('ABCD')}"


def postcode(rng: random.Random, district: str | None = None) -> str:
    district = district or rng.choice(DISTRICTS)
    return f"{district} {rng.randrange(10)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"


def typo(rng: random.Random, value: str) -> str:
    """One keying error: a letter dropped, doubled, replaced, or two letters transposed."""
    if len(value) < 3:
        return value + rng.choice(string.ascii_lowercase)
    i = rng.randrange(1, len(value) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return value[:i] + value[i + 1 :]
    if kind == 1:
        return value[:i] + value[i] + value[i:]
    if kind == 2:
        letter = rng.choice(string.ascii_lowercase)
        return value[:i] + (letter.upper() if value[i].isupper() else letter) + value[i + 1 :]
    return value[: i - 1] + value[i] + value[i - 1] + value[i + 1 :]


def _dob_typo(rng: random.Random, dob: date) -> date:
    for _ in range(10):
        text = dob.isoformat()
        i = rng.choice([2, 3, 6, 8, 9])  # year tens/units, month units, day
        candidate = text[:i] + str(rng.randrange(10)) + text[i + 1 :]
        try:
            moved = date.fromisoformat(candidate)
        except ValueError:
            continue
        if moved != dob and 1920 < moved.year < 2012:
            return moved
    return dob + timedelta(days=1)


def _base_person(rng: random.Random, cluster: int, households: list[tuple[str, str]]) -> SynthRecord:
    if households and rng.random() < 0.15:
        # Someone in the same household as an earlier person: same surname and address.
        family, code = rng.choice(households)
    else:
        family, code = rng.choice(_LAST), postcode(rng)
        households.append((family, code))
    dob = date(1950, 1, 1) + timedelta(days=rng.randrange(58 * 365))
    return SynthRecord(
        unique_id=0,
        cluster=cluster,
        given_name=rng.choice(_FIRST),
        family_name=family,
        date_of_birth=dob,
        postcode=code,
        nhs_number=nhs_number(rng) if rng.random() < 0.75 else "",
        national_insurance_number=ni_number(rng) if rng.random() < 0.6 else "",
    )


def corrupt(rng: random.Random, record: SynthRecord, c: Corruption = Corruption()) -> SynthRecord:
    given, family, dob, code = record.given_name, record.family_name, record.date_of_birth, record.postcode
    if rng.random() < c.nickname:
        others = nicknames_of(given)
        if others:
            given = rng.choice(others).capitalize()
    if rng.random() < c.given_typo:
        given = typo(rng, given)
    if rng.random() < c.family_typo:
        family = typo(rng, family)
    if rng.random() < c.new_surname:
        family = rng.choice(_LAST)
    if rng.random() < c.swapped_names:
        given, family = family, given
    if rng.random() < c.moved_house:
        code = postcode(rng, rng.choice([code.split(" ")[0], rng.choice(DISTRICTS)]))
    elif rng.random() < c.postcode_typo:
        code = code[:-1] + rng.choice(_INWARD_LETTERS)
    if rng.random() < c.dob_transposed and dob.day <= 12 and dob.day != dob.month:
        dob = date(dob.year, dob.day, dob.month)
    elif rng.random() < c.dob_typo:
        dob = _dob_typo(rng, dob)
    ni = "" if rng.random() < c.ni_missing else record.national_insurance_number
    if ni and rng.random() < c.ni_typo:
        i = rng.randrange(2, 8)
        ni = ni[:i] + str((int(ni[i]) + rng.randrange(1, 10)) % 10) + ni[i + 1 :]
    return replace(
        record,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        postcode=code,
        nhs_number="" if rng.random() < c.nhs_missing else record.nhs_number,
        national_insurance_number=ni,
    )


def population(
    people: int, *, seed: int = 2026, duplicate_share: float = 0.2, corruption: Corruption | None = None
) -> list[SynthRecord]:
    """`people` distinct people; `duplicate_share` of them known once or twice more, corrupted.

    Returns the records shuffled, numbered from 1 in `unique_id`; `cluster` is the true person.
    """
    rng = random.Random(seed)
    corruption = corruption or Corruption()
    households: list[tuple[str, str]] = []
    records: list[SynthRecord] = []
    for cluster in range(people):
        person = _base_person(rng, cluster, households)
        if rng.random() < 0.003:  # a twin: same surname, address and birthday, another first name
            twin = replace(
                person,
                given_name=rng.choice([n for n in _FIRST if n != person.given_name]),
                nhs_number=nhs_number(rng) if rng.random() < 0.75 else "",
                national_insurance_number=ni_number(rng) if rng.random() < 0.6 else "",
            )
            records.append(replace(twin, cluster=people + cluster))
        records.append(person)
        if rng.random() < duplicate_share:
            for _ in range(1 if rng.random() < 0.8 else 2):
                records.append(corrupt(rng, person, corruption))
        if len(households) > 5000:
            del households[:2500]
    rng.shuffle(records)
    return [replace(r, unique_id=i) for i, r in enumerate(records, start=1)]
