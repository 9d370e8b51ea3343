"""Writes for linkage: check a referral for duplicates; merge two people; reverse a merge.

Nothing here merges on its own: the check only flags candidates, and a merge needs a person with
`person.merge` to confirm it (decision 006).
"""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.people import services as people_services
from joinedup.people.models import Person
from joinedup.referrals.models import Referral

from . import engine, population
from .models import DedupePair, DedupeRun, DuplicateCandidate, DuplicateCheck, PersonMerge
from .selectors import LIKELY_THRESHOLD, MAX_COMPARED, SHOW_THRESHOLD, blocked_candidates, population_table


# A known person scoring at least this is shown as a possible match; at least LIKELY as likely.
def model_version() -> str:
    return hashlib.sha256(engine._trained_model_text().encode("utf-8")).hexdigest()[:16]


def _record(person: Person) -> dict[str, Any]:
    return engine.record(
        unique_id=person.pk,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        postcode=person.postcode,
        nhs_number=person.nhs_number,
        national_insurance_number=person.national_insurance_number,
    )


# The model's level labels (engine.settings, Splink's own for exact and null) in plain English. A
# level can be reached in more than one way (the surnames of "surname close" may be the same or only
# alike; "one character differs" may be a character changed, added or two swapped), so the words say
# what actually matched, from the two records compared (`_in_words`).
_WORDS = {
    "name": {
        "exact": "Same name",
        "first and last swapped": "First and last names swapped",
        "nickname, same surname": "Nickname, same surname",
    },
    "dob": {
        "Exact match on dob": "Same date of birth",
        "day and month transposed": "Day and month of birth swapped",
        "same year": "Same year of birth",
    },
    "postcode": {
        "Exact match on postcode": "Same postcode",
        "same sector": "Same postcode sector",
        "same district": "Same postcode district",
    },
    "nhs_number": {"Exact match on nhs_number": "Same NHS number"},
    "ni_number": {"Exact match on ni_number": "Same National Insurance number"},
}
_OTHERWISE = {
    "name": ("Different name", "Name missing"),
    "dob": ("Different date of birth", "Date of birth missing"),
    "postcode": ("Different postcode", "Postcode missing"),
    "nhs_number": ("Different NHS number", "NHS number missing on one or both"),
    "ni_number": ("Different National Insurance number", "National Insurance number missing on one or both"),
}
# What the one-edit levels are called, by column.
_ONE_EDIT = {
    "dob": ("Date of birth", "digit"),
    "postcode": ("Postcode", "character"),
    "ni_number": ("National Insurance number", "character"),
}


def _name_words(label: str, left: dict[str, Any], right: dict[str, Any]) -> str | None:
    """The name levels whose words depend on which of the names are equal."""
    same_given = left["given_name"] == right["given_name"]
    surname = "Same surname" if left["family_name"] == right["family_name"] else "Similar surname"
    nickname = bool(set(left["given_groups"] or ()) & set(right["given_groups"] or ()))
    if label == "both close (typos)":
        if same_given:
            return "Same first name, similar surname (typing error)"
        if left["family_name"] == right["family_name"]:
            return "Same surname, similar first name (typing error)"
        return "Similar first name and surname (typing errors)"
    if label == "same first name, other surname":
        return "Same first name, different surname" if same_given else "Nickname, different surname"
    if label in {"surname close, same initial", "surname close"} and nickname:
        return f"{surname}, nickname"
    if label == "surname close, same initial":
        return f"{surname}, different first name with the same initial"
    if label == "surname close":
        return f"{surname}, different first name"
    return None


def _one_edit(column: str, left: str, right: str) -> str:
    """Words for values one edit apart (Damerau-Levenshtein 1): changed, added or two swapped."""
    what, unit = _ONE_EDIT[column]
    if len(left) != len(right):
        return f"{what} one {unit} more or fewer"
    differ = [i for i, (a, b) in enumerate(zip(left, right, strict=True)) if a != b]
    if len(differ) == 2 and left[differ[0]] == right[differ[1]] and left[differ[1]] == right[differ[0]]:
        return f"{what} with two {unit}s swapped"
    return f"{what} one {unit} different"


def _level_words(column: str, label: str, left: dict[str, Any], right: dict[str, Any]) -> str | None:
    if label in _WORDS[column]:
        return _WORDS[column][label]
    if column == "name":
        return _name_words(label, left, right)
    if label in {"one digit differs", "one character differs"} and left.get(column) and right.get(column):
        return _one_edit(column, left[column], right[column])
    return None


def _in_words(levels: dict[str, str], left: dict[str, Any], right: dict[str, Any]) -> dict[str, str]:
    """Each comparison's level in words, saying what matched in the two records (engine.record)."""
    words = {}
    for name, (different, missing) in _OTHERWISE.items():
        label = levels.get(name, "")
        said = _level_words(name, label, left, right)
        if said is None:
            said = missing if "NULL" in label or label == "null" else different
        words[name] = said
    return words


def duplicate_check(*, referral: Referral, actor: Membership | None = None, channel: str = "web") -> DuplicateCheck:
    """Compare the referral's person with every known person; record the candidates. Idempotent.

    The database does the blocking (one indexed query), the trained Splink model scores what is
    left. Writes one audit event (MATCHED) naming how many candidates were found.
    """
    existing = DuplicateCheck.objects.filter(referral=referral).first()
    if existing is not None:
        return existing
    person = referral.person
    known = list(blocked_candidates(person)[:MAX_COMPARED])
    mine, theirs = _record(person), {str(p.pk): _record(p) for p in known}
    scored = engine.score(mine, list(theirs.values()), threshold=SHOW_THRESHOLD, blocking=False)
    by_id = {str(p.pk): p for p in known}
    with transaction.atomic():
        check, created = DuplicateCheck.objects.get_or_create(
            referral=referral,
            defaults={
                "person": person,
                "model_version": model_version(),
                "compared": len(known),
                "created_by": actor.user if actor else None,
            },
        )
        if not created:  # another request checked it meanwhile
            return check
        DuplicateCandidate.objects.bulk_create(
            DuplicateCandidate(
                duplicate_check=check,
                person=by_id[row["unique_id"]],
                match_probability=row["match_probability"],
                match_weight=row["match_weight"],
                levels=_in_words(row["levels"], mine, theirs[row["unique_id"]]),
            )
            for row in scored
            if row["unique_id"] in by_id
        )
        audit_record(
            actor=actor.user if actor else None,
            verb=AuditVerb.MATCHED,
            target=check,
            organisation=actor.organisation if actor else None,
            person_id=person.pk,
            channel=channel,
            payload={
                "referral": referral.reference,
                "compared": len(known),
                "candidates": len(scored),
                "best": max((r["match_probability"] for r in scored), default=None),
                "model_version": check.model_version,
            },
        )
    return check


def _require_merge(actor: Membership) -> None:
    if not has_perm(actor, Perm.PERSON_MERGE):
        raise NotPermitted("You do not have permission to merge people's records.")


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise DomainError("Enter why you are reversing the merge.", field="reason")
    if len(reason) > 1000:
        raise DomainError("The reason must be 1,000 characters or fewer.", field="reason")
    return reason


def person_merge(
    *, actor: Membership, survivor: Person, duplicate: Person, reason: str = "", match_probability: float | None = None
) -> PersonMerge:
    """Merge `duplicate` into `survivor`: move its records (`people.services.person_merge`); archive it.

    What moves is what the registry of person-linked records (`people.records`) says moves: today
    the referrals, cases and consents. The survivor's blank identifiers and contact details are
    filled from the duplicate. Everything that changed is kept on the `PersonMerge`, so
    `person_merge_reverse` restores it exactly.
    """
    _require_merge(actor)
    reason = _reason(reason, required=False)
    with transaction.atomic():
        merged = people_services.person_merge(survivor=survivor, duplicate=duplicate)
        survivor, duplicate, moved, before = merged.survivor, merged.duplicate, merged.moved, merged.survivor_before
        merge = PersonMerge.objects.create(
            survivor=survivor,
            duplicate=duplicate,
            match_probability=match_probability,
            reason=reason,
            merged_by_organisation=actor.organisation,
            moved=moved,
            survivor_before=before,
            created_by=actor.user,
        )
        audit_record(
            actor=actor.user,
            verb=AuditVerb.MERGED,
            target=merge,
            organisation=actor.organisation,
            person_id=survivor.pk,
            payload={
                "survivor": str(survivor.pk),
                "duplicate": str(duplicate.pk),
                "moved": moved,
                "filled": sorted(before),
                "match_probability": match_probability,
                "reason": reason,
            },
        )
    return merge


def person_merge_reverse(*, actor: Membership, merge: PersonMerge, reason: str) -> PersonMerge:
    """Undo a merge: move back what it moved, restore the survivor's fields, un-archive the duplicate.

    Refused when the records have changed in a way that would make the undo inexact (a moved
    referral has since moved again, or a filled-in field has since been edited).
    """
    _require_merge(actor)
    reason = _reason(reason, required=True)
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.is_reversed:
            raise DomainError("This merge has already been reversed.")
        unmerged = people_services.person_merge_reverse(
            survivor_id=merge.survivor_id,
            duplicate_id=merge.duplicate_id,
            moved=merge.moved,
            survivor_before=merge.survivor_before,
        )
        survivor, duplicate = unmerged.survivor, unmerged.duplicate
        merge.reversed_at = timezone.now()
        merge.reversed_by = actor.user
        merge.reverse_reason = reason
        merge.save(update_fields=["reversed_at", "reversed_by", "reverse_reason", "updated_at"])
        audit_record(
            actor=actor.user,
            verb=AuditVerb.MERGE_REVERSED,
            target=merge,
            organisation=actor.organisation,
            person_id=duplicate.pk,
            payload={
                "survivor": str(survivor.pk),
                "duplicate": str(duplicate.pk),
                "moved_back": merge.moved,
                "restored": sorted(merge.survivor_before),
                "reason": reason,
            },
        )
    return merge


def _record_count(source: Any) -> int:
    if isinstance(source, (str, Path)):
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(str(source)).metadata.num_rows)
    return int(source.num_rows)


def _people_in_database(ids: set[str], *, batch: int = 10_000) -> set[str]:
    """Those of `ids` that are people in the database, not merged away (a Parquet file may hold others)."""
    valid = []
    for value in ids:
        try:
            valid.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    found: set[str] = set()
    for start in range(0, len(valid), batch):
        chunk = valid[start : start + batch]
        found.update(
            str(pk) for pk in Person.objects.filter(pk__in=chunk, archived_at__isnull=True).values_list("pk", flat=True)
        )
    return found


def population_dedupe(
    *,
    engine_name: str,
    threshold: float = LIKELY_THRESHOLD,
    parquet: str | Path | None = None,
    spark: Any = None,
    channel: str = "command",
) -> DedupeRun:
    """Deduplicate every known person (or a Parquet file of model records) on DuckDB or Spark, and
    write the pairs at or above `threshold` back as a `DedupeRun` for a person to review.

    Nothing is merged: each pair waits on the review page (`/linkage/dedupe/`) for someone with
    `person.merge`. Pairs whose people are not in the database are counted but not written. One
    transaction and one audit event (DEDUPLICATED) for the run, as the system (no acting user).
    """
    if engine_name not in population.ENGINES:
        raise DomainError(f"Choose an engine: {' or '.join(population.ENGINES)}.", field="engine")
    if not 0 < threshold < 1:
        raise DomainError("The threshold must be a probability between 0 and 1.", field="threshold")
    if parquet is not None and not Path(parquet).exists() and "://" not in str(parquet):
        raise DomainError(f"There is no Parquet file at {parquet}.", field="parquet")
    started = time.perf_counter()
    source = parquet if parquet is not None else population_table()
    pairs = population.dedupe(source, engine_name=engine_name, threshold=threshold, spark=spark)
    seconds = time.perf_counter() - started
    known = _people_in_database({pid for a, b, _ in pairs for pid in (a, b)})
    with transaction.atomic():
        run = DedupeRun.objects.create(
            engine=engine_name,
            source=str(parquet) if parquet is not None else "database",
            threshold=threshold,
            model_version=model_version(),
            records=_record_count(source),
            pairs=len(pairs),
            seconds=seconds,
        )
        written = DedupePair.objects.bulk_create(
            (
                DedupePair(run=run, person_l_id=a, person_r_id=b, match_probability=p)
                for a, b, p in pairs
                if a in known and b in known
            ),
            batch_size=5000,
        )
        run.written = len(written)
        run.save(update_fields=["written", "updated_at"])
        audit_record(
            actor=None,
            verb=AuditVerb.DEDUPLICATED,
            target=run,
            channel=channel,
            payload={
                "engine": engine_name,
                "source": run.source,
                "records": run.records,
                "pairs": run.pairs,
                "written": run.written,
                "threshold": threshold,
                "model_version": run.model_version,
            },
        )
    return run
