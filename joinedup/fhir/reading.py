"""One Bundle being read: the problems found so far, where each referral field came from, and the
Bundle's entries by the references that may point at them (FHIR's rules for resolving a reference
inside a Bundle: an entry's `fullUrl`, or `Type/id`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from .structure import FhirProblem, Issue

if TYPE_CHECKING:
    from fhir.resources.R4B.bundle import BundleEntry
    from fhir.resources.R4B.reference import Reference


@dataclass(frozen=True)
class Found:
    """An entry a reference resolved to: its index, resource type, resource and FHIRPath."""

    index: int
    kind: str
    resource: Any
    at: str  # Bundle.entry[i].resource


@dataclass
class Reading:
    patient: str  # FHIRPath of the Patient resource, Bundle.entry[i].resource
    request: str  # FHIRPath of the ServiceRequest resource
    entries: list[BundleEntry | None]
    patient_targets: frozenset[str] = frozenset()  # the references that mean the Patient entry
    issues: list[Issue] = field(default_factory=list)
    expressions: dict[str, str] = field(default_factory=dict)  # ReferralInput field -> FHIRPath
    reported: set[str] = field(default_factory=set)  # ReferralInput fields with a problem already
    read_for: dict[int, str] = field(default_factory=dict)  # entry index -> what the referral took from it
    today: date = field(default_factory=timezone.localdate)
    structural: bool = False  # the Bundle's structure had problems (400 whatever else is wrong)

    def problem(self, code: str, diagnostics: str, expression: str, about: str = "") -> None:
        """Record a problem, unless one is already reported at that element or one containing it (an
        element refused for its structure is not reported again for its value)."""
        if about:
            self.reported.add(about)
        if not any(_within(expression, issue.expression) for issue in self.issues):
            self.issues.append(Issue(code, diagnostics, expression))

    def raise_any(self) -> None:
        """Every problem at once: 422 when each is a missing or wrong value in valid FHIR, 400 otherwise."""
        if self.issues:
            valid = not self.structural and all(i.code in {"value", "required"} for i in self.issues)
            raise FhirProblem(422 if valid else 400, self.issues)

    def resolve(self, reference: Reference | None) -> Found | None:
        """The entry a reference points at, if it is in this Bundle and well formed."""
        target = reference.reference if reference is not None else None
        if not target:
            return None
        for i, entry in enumerate(self.entries):
            if entry is None or entry.resource is None:
                continue
            kind, rid = entry.resource.get_resource_type(), entry.resource.id
            local = f"{kind}/{rid}" if rid else None
            full = entry.fullUrl or ""
            relative = "/" in target and not target.startswith(("urn:", "http:", "https:"))
            if target in {full, local} or (relative and full.startswith("http") and full.endswith(f"/{target}")):
                return Found(i, kind, entry.resource, f"Bundle.entry[{i}].resource")
        return None

    def about_the_patient(self, found: Found, subject: Reference | None, what: str) -> bool:
        """Whether a resource's subject is this Bundle's Patient; a problem (and False) when it is someone else."""
        ref = subject.reference if subject is not None else None
        if ref is None or ref in self.patient_targets:
            return True
        self.problem(
            "invalid", f"The {what} is about someone else: its subject must be the Patient.", f"{found.at}.subject"
        )
        return False

    def referenced(self, request: Any) -> list[tuple[str, Found]]:
        """The entries the ServiceRequest refers to as its reasons, then as supporting information, with where."""
        out = []
        for name in ("reasonReference", "supportingInfo"):
            for n, ref in enumerate(getattr(request, name, None) or []):
                found = self.resolve(ref)
                if found is not None:
                    out.append((f"{self.request}.{name}[{n}]", found))
        return out


def _within(expression: str, reported: str) -> bool:
    """Whether `expression` is the element at `reported` or inside it (a resource's element, not the Bundle's)."""
    if expression == reported:
        return bool(expression)
    return ".resource." in reported and expression.startswith((reported + ".", reported + "["))
