"""People and their consents: one person per referral, referred by the referrer's organisation."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from joinedup.demo.synth.base import ENROLLED, NULL
from joinedup.people.models import Consent, ConsentPurpose, Person

from . import synthetic

POSTCODE_DISTRICTS = [
    "NG18", "NG19", "NG20", "NG21", "NG17", "NG15", "NG5", "NG7", "S80", "S81", "NG22", "NG24", "DE7", "DE55",
    "S40", "S41", "S43", "S44", "DE1", "DE21", "LE11", "LE12", "NG31", "LN1", "DN21", "NG9", "NG10", "NG16",
]  # fmt: skip
_UNIT = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward part of a postcode
SHARE_PROGRESS = 0.85  # share who agree to progress being shared with the referrer
WITHDRAW_SHARING = 0.03  # of those, share who later withdraw it


def nhs_number(rng: random.Random) -> str:
    """A valid NHS number in the 999 range set aside for testing."""
    while True:
        digits = [9, 9, 9] + [rng.randrange(10) for _ in range(6)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


@synthetic(Person, demo="referral_services.referral_create for each demo person")
def people(plan, row: Callable[..., str]) -> Iterator[str]:
    """Names from the Faker pools; ages 18-65 around 38; contact details for most; NHS numbers for half."""
    rng = plan.rng("people")
    ids, day = plan.ids["person"], plan.day
    male, female, surnames = plan.male, plan.female, plan.surnames
    for i in range(plan.n):
        ts = plan.ts(plan.t_ref[i])
        given = rng.choice(male if rng.random() < 0.5 else female)
        family = rng.choice(surnames)
        age_days = int(365.25 * (18 + max(0.0, min(46.9, rng.gauss(20, 11)))))
        dob = day(plan.t_ref[i] // 1440 - age_days)
        email = (
            f"{given}.{family}{rng.randrange(100)}@example.{rng.choice(('com', 'org', 'net'))}".lower().replace(" ", "")
            if rng.random() < 0.7
            else ""
        )
        phone = f"07700 900{rng.randrange(1000):03d}" if rng.random() < 0.8 else ""
        postcode = f"{rng.choice(POSTCODE_DISTRICTS)} {rng.randrange(1, 10)}{rng.choice(_UNIT)}{rng.choice(_UNIT)}"
        nhs = nhs_number(rng) if rng.random() < 0.55 else ""
        yield row(
            id=ids(i), created_at=ts, updated_at=ts, created_by=plan.referrer_uid(i), given_name=given,
            family_name=family, date_of_birth=dob, email=email, phone=phone, postcode=postcode, nhs_number=nhs,
        )  # fmt: skip


@synthetic(Consent, demo="referral_create (referral, sharing) and case_enrol (support)")
def consents(plan, row: Callable[..., str]) -> Iterator[str]:
    """To the referral and to sharing progress (most agree; a few withdraw later); to support on enrolment."""
    rng = plan.rng("consents")
    ids, person = plan.ids["consent"], plan.ids["person"]
    n = 0
    for i in range(plan.n):
        ts = plan.ts(plan.t_ref[i])
        pid, uid, org = person(i), plan.referrer_uid(i), plan.referrers[plan.ref_org[i]].id
        common = {"created_at": ts, "updated_at": ts, "created_by": uid, "person": pid, "recorded_by_organisation": org}
        yield row(id=ids(n), purpose=ConsentPurpose.REFERRAL, given="t", **common)
        shared = rng.random() < SHARE_PROGRESS
        withdrawn = NULL
        if shared and rng.random() < WITHDRAW_SHARING:
            when = plan.t_ref[i] + (10 + rng.randrange(300)) * 1440
            if when < plan.cutoff_day * 1440:
                withdrawn = plan.ts(when)
        yield row(
            id=ids(n + 1), purpose=ConsentPurpose.SHARE_PROGRESS, given="t" if shared else "f",
            about_organisation=org, withdrawn_at=withdrawn, **common,
        )  # fmt: skip
        n += 2
        if plan.status[i] == ENROLLED:
            ets = plan.ts(plan.t2[i])
            yield row(
                id=ids(n), created_at=ets, updated_at=ets, created_by=plan.adviser_uid(i), person=pid,
                purpose=ConsentPurpose.SUPPORT, given="t", recorded_by_organisation=plan.partners[plan.partner[i]].id,
            )  # fmt: skip
            n += 1
