"""Who asked for the referral: `ServiceRequest.requester`, a PractitionerRole, Practitioner or Organization.

Kept on the referral (`Referral.requester`) as plain text the triage page shows, read from the
reference and from the resources it points at when they are in the Bundle (a PractitionerRole's
practitioner and organisation too): `kind`, `identifier` with `identifier_system` and
`identifier_label` (what it is called: "ODS code", "SDS user ID", else "Identifier"), `name`, `role`,
`organisation`, `display` (the sender's own wording) and `reference` (only an absolute URL: a
relative one means something only on the sender's server).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import codes, current
from .reading import Found, Reading

if TYPE_CHECKING:
    from fhir.resources.R4B.reference import Reference
    from fhir.resources.R4B.servicerequest import ServiceRequest

KINDS = ("PractitionerRole", "Practitioner", "Organization")
MAX_LENGTH = 200  # each part, in characters
_READ_FOR = "Read for who asked for the referral."


def requester(reading: Reading, request: ServiceRequest) -> dict[str, str]:
    """The requester's parts, each non-empty; {} when there is none or it is not one of `KINDS`."""
    ref = request.requester
    if ref is None:
        return {}
    found = reading.resolve(ref)
    kind = found.kind if found is not None else (ref.type or (ref.reference or "").split("/")[0])
    if kind not in KINDS:
        return {}
    out: dict[str, str] = {"kind": kind, "display": ref.display or ""}
    if (ref.reference or "").startswith(("http://", "https://")):
        out["reference"] = ref.reference or ""
    _identifier(out, ref.identifier or _first_identifier(found))
    if found is not None:
        _describe(reading, out, found)
    kept = {k: v.strip() for k, v in out.items() if v and v.strip()}
    for name, value in kept.items():
        if len(value) > MAX_LENGTH:
            reading.problem(
                "value",
                f"The requester's {name.replace('_', ' ')} must be {MAX_LENGTH} characters or fewer.",
                f"{reading.request}.requester",
            )
    return kept


def _describe(reading: Reading, out: dict[str, str], found: Found) -> None:
    """Name, role and organisation from the resource the requester points at (and those it points at)."""
    reading.read_for[found.index] = _READ_FOR
    resource = found.resource
    if found.kind == "Organization":
        out["organisation"] = resource.name or ""
    elif found.kind == "Practitioner":
        out["name"] = _name(reading, resource)
    else:
        out["role"] = _concept_text((resource.code or [None])[0])
        out["name"] = _linked(reading, resource.practitioner, "Practitioner")
        out["organisation"] = _linked(reading, resource.organization, "Organization")


def _linked(reading: Reading, ref: Reference | None, kind: str) -> str:
    """A PractitionerRole's practitioner's name or organisation's name: from the Bundle, else the display."""
    if ref is None:
        return ""
    found = reading.resolve(ref)
    if found is None or found.kind != kind:
        return ref.display or ""
    reading.read_for[found.index] = _READ_FOR
    return _name(reading, found.resource) if kind == "Practitioner" else found.resource.name or ""


def _name(reading: Reading, practitioner: Any) -> str:
    chosen = current.choose(practitioner.name or [], current.NAME_USES, reading.today)
    if chosen is None:
        return ""
    name = chosen[1]
    if name.text:
        return str(name.text)
    return " ".join(p for p in [*(name.prefix or []), *(name.given or []), name.family or ""] if p)


def _concept_text(concept: Any) -> str:
    if concept is None:
        return ""
    return str(concept.text or next((c.display for c in concept.coding or [] if c.display), "") or "")


def _first_identifier(found: Found | None) -> Any:
    if found is None:
        return None
    return next((i for i in found.resource.identifier or [] if i.value), None)


def _identifier(out: dict[str, str], identifier: Any) -> None:
    if identifier is not None and identifier.value:
        out["identifier"] = identifier.value
        out["identifier_system"] = identifier.system or ""
        out["identifier_label"] = codes.IDENTIFIER_LABELS.get(identifier.system or "", "Identifier")
