"""`reverse` for the common case, without Django's per-call resolving.

Django's `reverse` walks the namespaces and checks the candidate against the pattern's regex on
every call: about 30 µs, and a caseload page asks for a hundred URLs. Most of ours are one
pattern with UUID or integer arguments (`/cases/<uuid:pk>/`), so the URL's shape is the same
for every value: this module asks Django once per view name, argument types, URL configuration
(the request's or `ROOT_URLCONF`), script prefix and current app, with sentinel values, and keeps
the result with the sentinels as placeholders. Later calls format the placeholders.

The shape is kept only when each sentinel appears in Django's answer exactly once, as `str()` of
itself, which is what the `uuid`, `int`, `str`, `slug` and `path` converters produce; any other
case (keyword arguments, other argument types, negative or boolean integers, a converter that
formats values differently) goes to Django's `reverse` every time. A UUID or a non-negative integer
matches any pattern the sentinel of its type matched, and needs no quoting, so the result is the
string Django would give (tested against it for every URL in the project).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

_UUID_SENTINELS = [uuid.UUID(f"5e471ae1-7b2c-4d3e-9f80-{n:012x}") for n in range(0x5E4E1, 0x5E4E1 + 4)]
_INT_SENTINELS = [7_390_158_241 + 1_000_003 * n for n in range(4)]
_CHECK = {uuid.UUID: uuid.UUID("0f1e2d3c-4b5a-4697-8877-665544332211"), int: 1}
_shapes: dict[tuple, str | None] = {}


def _fast_kind(value: object) -> type | None:
    if isinstance(value, uuid.UUID):
        return uuid.UUID
    if type(value) is int and value >= 0:
        return int
    return None


def _shape(viewname: str, kinds: tuple[type, ...], current_app: str | None) -> str | None:
    counters = {uuid.UUID: 0, int: 0}
    sentinels = []
    for kind in kinds:
        pool = _UUID_SENTINELS if kind is uuid.UUID else _INT_SENTINELS
        sentinels.append(pool[counters[kind]])
        counters[kind] += 1
    try:
        url = django_reverse(viewname, args=sentinels, current_app=current_app)
    except NoReverseMatch:
        return None  # perhaps only for these values (a regex pattern): Django decides each time
    shape = url.replace("{", "{{").replace("}", "}}")
    for position, sentinel in enumerate(sentinels):
        text = str(sentinel)
        if shape.count(text) != 1:
            return None
        shape = shape.replace(text, f"{{{position}}}")
    # A second, unlike set of values must give what Django gives too (a pattern that accepts only
    # some integers, say, fails here and is left to Django).
    check = [_CHECK[kind] for kind in kinds]
    try:
        if shape.format(*map(str, check)) != django_reverse(viewname, args=check, current_app=current_app):
            return None
    except NoReverseMatch:
        return None
    return shape


def reverse(viewname: str, args: Sequence[object] = (), current_app: str | None = None) -> str:
    """`django.urls.reverse(viewname, args=args, current_app=current_app)`, the same string, faster."""
    kinds = tuple(_fast_kind(a) for a in args)
    if len(args) > 4 or None in kinds or not isinstance(viewname, str):
        return django_reverse(viewname, args=list(args), current_app=current_app)
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), viewname, current_app, kinds)
    try:
        shape = _shapes[key]
    except KeyError:
        shape = _shapes[key] = _shape(viewname, kinds, current_app)
    if shape is None:
        return django_reverse(viewname, args=list(args), current_app=current_app)
    return shape.format(*(str(a) for a in args))
