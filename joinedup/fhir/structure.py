"""The shape of a transaction Bundle: JSON, a Bundle of type transaction, entries of types we take,
each valid FHIR R4 (checked with `fhir.resources`, the R4B models, which read these R4 resources
unchanged).

Every entry is checked on its own, so one malformed entry does not hide another's problems, nor
the rules that `intake` applies to the entries that are well formed: all problems come back at once.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from pydantic import ValidationError

# The resources the referral is read from, and those read only for what they tell us about them.
READ = ("Patient", "ServiceRequest", "Observation", "Condition")
INFORMATIONAL = ("Practitioner", "PractitionerRole", "Organization")
ACCEPTED = frozenset(READ + INFORMATIONAL)
_MAX_STRUCTURE_ISSUES = 50  # a sender needs the first fifty to fix; a hostile body gets no more

M = TypeVar("M", Bundle, BundleEntry)


@dataclass(frozen=True)
class Issue:
    code: str  # an OperationOutcome issue-type code: structure, required, value, invalid, ...
    diagnostics: str  # plain English
    expression: str = ""  # FHIRPath of the failing element
    severity: str = "error"


class FhirProblem(Exception):
    def __init__(self, status: int, issues: list[Issue]) -> None:
        super().__init__("; ".join(i.diagnostics for i in issues))
        self.status = status
        self.issues = issues


@dataclass
class Shape:
    """A Bundle read for structure: its shell, each entry (None where it is malformed) and the problems."""

    bundle: Bundle
    entries: list[BundleEntry | None]
    kinds: list[str]  # each entry's resourceType as sent ("" when there is none)
    issues: list[Issue] = field(default_factory=list)


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FhirProblem(400, [Issue("structure", "The request body must be UTF-8 encoded JSON.")]) from exc
    except json.JSONDecodeError as exc:
        raise FhirProblem(
            400,
            [Issue("structure", f"The request body is not valid JSON (line {exc.lineno}, column {exc.colno}).")],
        ) from exc


def path(loc: tuple[Any, ...]) -> str:
    out = "Bundle"
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and not part.startswith(("function-", "union[", "tagged-union[")):
            out += f".{part}"
    return out


def shape(raw: Any) -> Shape:
    """The Bundle's shape. What makes it no transaction at all stops here; entry problems are collected."""
    entries = _transaction_entries(raw)
    issues: list[Issue] = []
    shell = _validated(Bundle, {k: v for k, v in raw.items() if k != "entry"}, (), issues)
    read: list[BundleEntry | None] = []
    kinds: list[str] = []
    for i, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        kinds.append(kind if isinstance(kind, str) else "")
        if not isinstance(kind, str) or kind not in ACCEPTED:
            issues.append(_not_accepted(i, kind))
            read.append(None)
        else:
            read.append(_validated(BundleEntry, entry, ("entry", i), issues))
    bundle = shell if shell is not None else Bundle.model_construct(type="transaction")
    return Shape(bundle=bundle, entries=read, kinds=kinds, issues=issues[:_MAX_STRUCTURE_ISSUES])


def _transaction_entries(raw: Any) -> list[Any]:
    if not isinstance(raw, dict):
        raise FhirProblem(400, [Issue("structure", "Send a FHIR Bundle as a JSON object.")])
    kind = raw.get("resourceType")
    if kind != "Bundle":
        found = f"a {kind}" if isinstance(kind, str) and kind else "no resourceType"
        raise FhirProblem(
            400, [Issue("invalid", f"Send a Bundle of type transaction (this has {found}).", "resourceType")]
        )
    if raw.get("type") != "transaction":
        raise FhirProblem(400, [Issue("invalid", "The Bundle's type must be 'transaction'.", "Bundle.type")])
    entries = raw.get("entry")
    if not isinstance(entries, list) or not entries:
        raise FhirProblem(400, [Issue("required", "The Bundle needs a Patient and a ServiceRequest.", "Bundle.entry")])
    return entries


def _not_accepted(i: int, kind: object) -> Issue:
    return Issue(
        "not-supported",
        f"Entry {i + 1} is {'a ' + kind if isinstance(kind, str) else 'not a resource'}: this interface accepts "
        "a Patient, a ServiceRequest, and Observation and Condition resources it refers to "
        "(and Practitioner, PractitionerRole or Organization for information).",
        f"Bundle.entry[{i}].resource.resourceType",
    )


def _validated(model: type[M], raw: Any, at: tuple[Any, ...], issues: list[Issue]) -> M | None:
    """The model, or None with its problems added. An entry whose only faults are elements present but
    wrong is read without them (they are reported), so its other problems are found in the same answer."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
    for error in errors:
        where = path(at + tuple(error["loc"]))
        issues.append(Issue("required" if error["type"] == "missing" else "structure", _plain(error, where), where))
    if model is not BundleEntry or any(e["type"] == "missing" for e in errors):
        return None
    repaired = copy.deepcopy(raw)
    if not all(_drop(repaired, tuple(e["loc"])) for e in errors):
        return None
    try:
        return model.model_validate(repaired)
    except ValidationError:
        return None


def _drop(raw: Any, loc: tuple[Any, ...]) -> bool:
    """Remove the element a pydantic error's location names from inside an entry's resource (the whole
    list when it is an item of one, so no index moves); False when there is nothing to remove."""
    parents: list[tuple[Any, Any]] = []  # (container, key) down to the element
    node = raw
    for part in loc:
        if _holds(node, part):
            parents.append((node, part))
            node = node[part]
        elif not (isinstance(part, str) and part.startswith(("function-", "union[", "tagged-union["))):
            break
    while parents and not isinstance(parents[-1][0], dict):
        parents.pop()
    if len(parents) < 2 or parents[0][1] != "resource" or parents[-1][1] == "resourceType":
        return False  # only elements inside the resource, never the resource or its type
    container, key = parents[-1]
    container.pop(key, None)
    return True


def _holds(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _plain(error: Any, where: str) -> str:
    if error["type"] == "missing":
        return f"{where} is required."
    if error["type"] == "extra_forbidden":
        return f"{where} is not an element FHIR R4 knows."
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{where}: {message}"
