"""The matching table (`models.MatchRow`, decision 030): what ranking a vacancy's people needs, one
row for each district a person looking for work can reach, kept in step with what it copies.

Every writer of a copied fact ends in `match_rows_refresh` for the cases it touched, inside its
transaction: the case events (enrolled, job started, left support, re-engaged, plan goals changed,
better-off calculated) and the person's (name, postcode, merge, erasure) through `subscribers`, and
`placement.work_preferences_set` directly. A refresh reads the case afresh and rewrites its rows, so
it is right whatever changed. `match_rows_rebuild` writes every row (the data migration, and bulk
loads that bypass the writers, as `demo.synth` does)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

from joinedup.cases import selectors as case_selectors

from .choices import AdjustmentKind, VacancyKind
from .matching import word_stems
from .models import MatchRow

BATCH = 2000

KIND_BITS = {code: 1 << n for n, code in enumerate(VacancyKind.values)}
ADJUSTMENT_BITS = {code: 1 << n for n, code in enumerate(AdjustmentKind.values)}
UNKNOWN_ADJUSTMENT = 1 << 30  # a code no vacancy offers (never written by the forms; kept as "missing")

SEEKER_FIELDS = (  # what a case's seeker is read from, here and in `match_selectors`
    "pk",
    "delivery_partner_id",
    "person__given_name",
    "person__family_name",
    "person__postcode_district",
    "work_preferences__hours_min",
    "work_preferences__hours_max",
    "work_preferences__travel_districts",
    "work_preferences__kinds",
    "work_preferences__adjustments_needed",
)


def kind_bits(codes: Iterable[str] | None) -> int | None:
    return None if codes is None else sum(KIND_BITS.get(c, 0) for c in set(codes))


def adjustment_bits(codes: Iterable[str] | None) -> int | None:
    if codes is None:
        return None
    bits = 0
    for code in set(codes):
        bits |= ADJUSTMENT_BITS.get(code, UNKNOWN_ADJUSTMENT)
    return bits


def stems_text(goals: Iterable[str] | None) -> str | None:
    """The open goals' word stems as " stem stem " (LIKE '% stem %' finds one exactly); None: no goal."""
    goals = list(goals or ())
    if not goals:
        return None
    stems: set[str] = set()
    for goal in goals:
        stems |= word_stems(goal)
    return " " + "".join(f"{s} " for s in sorted(stems))


def _seeking() -> Any:
    """The cases matching considers: open, at the enrolled stage, of a person not merged away or erased."""
    return case_selectors.cases_seeking_work().filter(person__archived_at__isnull=True)


def _rows(case_ids: list[UUID]) -> Iterator[MatchRow]:
    cases = list(_seeking().filter(pk__in=case_ids).values(*SEEKER_FIELDS))
    ids = [c["pk"] for c in cases]
    goals = case_selectors.open_goal_texts(case_ids=ids)
    calcs = case_selectors.latest_better_off(case_ids=ids)
    for c in cases:
        travel = c["work_preferences__travel_districts"]
        districts = set(travel or ())
        if c["person__postcode_district"]:
            districts.add(c["person__postcode_district"])
        calc = calcs.get(c["pk"])
        values = {
            "case_id": c["pk"],
            "partner_id": c["delivery_partner_id"],
            "name": f"{c['person__given_name']} {c['person__family_name']}",
            "hours_min": c["work_preferences__hours_min"],
            "hours_max": c["work_preferences__hours_max"],
            "kinds": kind_bits(c["work_preferences__kinds"]),
            "adjustments": adjustment_bits(c["work_preferences__adjustments_needed"]),
            "goal_stems": stems_text(goals.get(c["pk"])),
            "better_off_wage": calc.hourly_wage if calc is not None else None,
        }
        for district in sorted(districts):
            yield MatchRow(district=district, **values)


def match_rows_refresh(*, case_ids: Iterable[UUID]) -> None:
    """Rewrite the rows of these cases from what they copy (none for a case no longer seeking work).
    A step inside the writer's transaction."""
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        MatchRow.objects.filter(case_id__in=chunk).delete()
        MatchRow.objects.bulk_create(_rows(chunk), batch_size=BATCH)


def match_rows_refresh_people(*, person_ids: Iterable[UUID]) -> None:
    """Rewrite the rows of every case of these people (their name or postcode changed, or a merge
    moved cases between them, or one was erased)."""
    ids = list(set(person_ids))
    cases = case_selectors.case_ids_of_people(person_ids=ids)
    stale = MatchRow.objects.filter(case__person_id__in=ids).values_list("case_id", flat=True)
    match_rows_refresh(case_ids=[*cases, *stale])


def match_rows_rebuild() -> int:
    """Every row, from scratch (the data migration; bulk loads). Returns how many were written."""
    MatchRow.objects.all().delete()
    ids = list(_seeking().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        MatchRow.objects.bulk_create(_rows(ids[start : start + BATCH]), batch_size=BATCH)
    return MatchRow.objects.count()
