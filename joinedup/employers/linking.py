"""Linking the free-text employer names already on job starts, job applications and permitted work
or volunteering to employer records: exact (the same folded name) and close (similar at or above
`duplicates.CLOSE`). Proposed first for review (`manage.py employer_link_names`), written only when
asked; the original text stays where it was and is copied onto the link."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.cases import selectors as case_selectors

from .duplicates import CLOSE, name_key, similarity
from .models import Employer, NameLink


@dataclass(frozen=True)
class Proposal:
    source: str
    source_id: Any
    text: str
    employer_id: Any
    employer_name: str
    method: str  # "exact" or "close"
    score: float


def _best(
    text: str, employers: list[tuple[Any, str, str]], by_key: dict[str, tuple[Any, str]]
) -> tuple[Any, str, str, float] | None:
    key = name_key(text)
    if key in by_key:
        pk, name = by_key[key]
        return pk, name, "exact", 1.0
    best: tuple[Any, str, str, float] | None = None
    for pk, name, _k in employers:
        score = similarity(text, name)
        if score >= CLOSE and (best is None or score > best[3]):
            best = (pk, name, "close", score)
    return best


def proposals() -> list[Proposal]:
    """Every not-yet-linked free-text name that matches an employer record, exactly or closely."""
    employers = [
        (pk, name, key)
        for pk, name, key in Employer.objects.filter(archived_at__isnull=True).values_list("pk", "name", "name_key")
    ]
    by_key: dict[str, tuple[Any, str]] = {}
    for pk, name, key in employers:
        by_key.setdefault(key, (pk, name))
    linked = set(NameLink.objects.values_list("source", "source_id"))
    out = []
    for source, source_id, text in case_selectors.employer_names_on_records():
        if (source, source_id) in linked or not text.strip():
            continue
        found = _best(text, employers, by_key)
        if found:
            out.append(Proposal(source, source_id, text, found[0], found[1], found[2], round(found[3], 3)))
    return out


def links_apply(*, chosen: list[Proposal], actor: Any = None) -> int:
    """Write the chosen proposals as links (one transaction, one audit event for the run)."""
    if not chosen:
        return 0
    with transaction.atomic():
        rows = NameLink.objects.bulk_create(
            [
                NameLink(
                    source=p.source,
                    source_id=p.source_id,
                    original_text=p.text[:200],
                    employer_id=p.employer_id,
                    method=p.method,
                    score=Decimal(str(p.score)),
                )
                for p in chosen
            ],
            ignore_conflicts=True,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.LINKED,
            target=rows[0],
            channel="command",
            payload={"links": len(rows), "close": sum(1 for p in chosen if p.method == "close")},
        )
    return len(rows)
