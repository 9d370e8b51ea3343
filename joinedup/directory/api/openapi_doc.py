"""The Open Referral UK OpenAPI document as we serve it at /openreferral/openapi.json (issue 17).

The vendored file (`standards/oruk-3.0/schema/openapi.json`) stays as published; the copy we serve
is mended here, each change with its reason:

- `start_time` and `end_time` say `"type": "time"`, which is not an OpenAPI type: ours say a string
  of format `time` (HH:MM, as the feed reads them).
- Its `$ref`s point at the standard's files on GitHub: ours are the same files, inlined from the
  vendored copy, so the document is whole and a client (or a test) needs no network.
- It names no server: ours names this feed's own address.
- It declares only 200: ours also declares the errors the feed answers with, in its error shape
  (`{"error": "..."}`), and the limits it applies to its parameters (page, per_page, ages, day).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from ..standards import SCHEMA_DIR

REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string", "description": "What is wrong, in plain English."}},
}
_ERRORS = {
    "400": "A parameter is not valid (its message says which and why), or holds a control character.",
    "404": "There is no such record.",
    "503": "The feed is unavailable for a moment: retry after Retry-After seconds.",
}
_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@cache
def _vendored() -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))


@cache
def _schema_file(relative: str) -> dict[str, Any]:
    schema = json.loads((SCHEMA_DIR / relative).read_text(encoding="utf-8"))
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    return schema


def _inline(node: Any, folder: str = "") -> Any:
    """Every `$ref` to the standard's files replaced by the vendored file itself, recursively."""
    if isinstance(node, list):
        return [_inline(item, folder) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and (ref.startswith(REMOTE) or ref.endswith(".json")):
        relative = ref[len(REMOTE) :] if ref.startswith(REMOTE) else folder + ref
        inner = relative.rsplit("/", 1)[0] + "/" if "/" in relative else ""
        return _inline(copy.deepcopy(_schema_file(relative)), inner)
    return {key: _inline(value, folder) for key, value in node.items()}


def _parameter_rules(parameters: dict[str, Any], max_per_page: int) -> None:
    for name in ("start_time", "end_time"):
        parameters[name]["schema"] = {"type": "string", "format": "time", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
    parameters["page"]["schema"].update(minimum=1, maximum=1_000_000)
    parameters["per_page"]["schema"].update(minimum=1, maximum=max_per_page)
    for name in ("minimum_age", "maximum_age"):
        parameters[name]["schema"] = {"type": "integer", "minimum": 0, "maximum": 150}
    parameters["day"]["schema"] = {"type": "string", "enum": _DAYS, "description": "Or the day's English name."}


def served_openapi(base_url: str, *, max_per_page: int) -> dict[str, Any]:
    """The document to serve, for the feed at `base_url`."""
    doc = _inline(copy.deepcopy(_vendored()))
    doc["servers"] = [{"url": base_url}]
    doc.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR
    _parameter_rules(doc["components"]["parameters"], max_per_page)
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in doc["paths"].values():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation.setdefault("responses", {})
            for code, description in _ERRORS.items():
                responses.setdefault(code, {"description": description, "content": content})
            responses["503"]["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return doc
