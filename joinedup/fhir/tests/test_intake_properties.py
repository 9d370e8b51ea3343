"""Whatever is sent, the Bundle reader either reads a referral or reports problems: it never crashes."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.fhir.intake import FhirProblem, Intake, read_bundle

from .bundles import bundle

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


def _read(value) -> None:
    try:
        result = read_bundle(json.dumps(value).encode())
    except FhirProblem as problem:
        assert problem.status in {400, 422}
        assert problem.issues and all(i.diagnostics for i in problem.issues)
    else:
        assert isinstance(result, Intake)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_any_json_is_read_or_refused(value):
    _read(value)


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield (*prefix, i)
            yield from _paths(child, (*prefix, i))


PATHS = list(_paths(bundle()))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATHS), JSON)
def test_a_valid_bundle_with_one_element_replaced_is_read_or_refused(path, replacement):
    value = bundle()
    target = value
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = replacement
    _read(value)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(PATHS))
def test_a_valid_bundle_with_one_element_removed_is_read_or_refused(path):
    value = bundle()
    target = value
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    _read(value)
