"""The declared registry of case stages, in journey order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CaseStage:
    code: str
    label: str
    closes: bool = False


ENROLLED = "enrolled"
IN_WORK = "in_work"
SUSTAINED_13 = "sustained_13"
SUSTAINED_26 = "sustained_26"
CLOSED = "closed"

REGISTRY: dict[str, CaseStage] = {
    s.code: s
    for s in [
        CaseStage(ENROLLED, "Enrolled, getting support"),
        CaseStage(IN_WORK, "In work"),
        CaseStage(SUSTAINED_13, "In work 13 weeks"),
        CaseStage(SUSTAINED_26, "In work 26 weeks"),
        CaseStage(CLOSED, "Closed", closes=True),
    ]
}
CHOICES = [(s.code, s.label) for s in REGISTRY.values()]
