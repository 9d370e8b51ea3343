"""The page templates' `url` global (through the faster `reverse`) and `date` filter give exactly
what Django's `{% url %}` and `|date` give."""

from __future__ import annotations

import datetime
import re
import uuid
import zoneinfo

import pytest
from django.template import Context, Engine, engines
from django.template import defaultfilters as django_filters
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, set_script_prefix
from django.urls import reverse as django_reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from joinedup.core import templating
from joinedup.core.urls import reverse


def _named_patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, list[str]]]:
    """Every named URL in the project with its converters, in order."""
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += _named_patterns(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            converters = [type(c).__name__ for c in p.pattern.converters.values()]
            found.append((namespace + p.name, converters))
    return found


def _value(converter: str, n: int) -> object:
    return {"UUIDConverter": uuid.UUID(int=n * 7919 + 1), "IntConverter": n}.get(converter, f"value-{n}")


def test_reverse_agrees_with_django_for_every_named_url() -> None:
    checked = 0
    for name, converters in _named_patterns(get_resolver()):
        for n in (0, 1, 42, 10**12):
            args = [_value(c, n + i) for i, c in enumerate(converters)]
            try:
                expected = django_reverse(name, args=args)
            except NoReverseMatch:
                with pytest.raises(NoReverseMatch):
                    reverse(name, args=args)
                continue
            assert reverse(name, args=args) == expected, name
            checked += 1
    assert checked > 100


def test_reverse_hands_what_it_cannot_shape_to_django() -> None:
    case = uuid.uuid4()
    assert reverse("cases:detail", args=[case]) == django_reverse("cases:detail", args=[case])
    with pytest.raises(NoReverseMatch):
        reverse("cases:detail", args=[7])  # an integer where a UUID goes
    with pytest.raises(NoReverseMatch):
        reverse("cases:detail", args=[-1])
    with pytest.raises(NoReverseMatch):
        reverse("cases:detail", args=[])
    with pytest.raises(NoReverseMatch):
        reverse("no-such-view")
    assert reverse("cases:detail", args=[str(case)]) == django_reverse("cases:detail", args=[str(case)])
    assert reverse("home") == django_reverse("home")


def test_reverse_follows_the_script_prefix() -> None:
    case = uuid.uuid4()
    try:
        set_script_prefix("/joined-up/")
        assert reverse("cases:detail", args=[case]) == f"/joined-up/cases/{case}/"
    finally:
        set_script_prefix("/")
    assert reverse("cases:detail", args=[case]) == f"/cases/{case}/"


def test_the_url_global_agrees_with_djangos_url_tag() -> None:
    case, job = uuid.uuid4(), uuid.uuid4()
    ours = engines["jinja2"].from_string(
        "{{ url('cases:detail', c) }}|{{ url('cases:sustainment_new', c, j) }}|{{ url('home') }}"
        "|{{ url('cases:detail', pk=c) }}"
    )
    djangos = Engine().from_string(
        "{% url 'cases:detail' c %}|{% url 'cases:sustainment_new' c j %}|{% url 'home' %}"
        "|{% url 'cases:detail' pk=c %}"
    )
    context = {"c": case, "j": job}
    assert ours.render(context) == djangos.render(Context(context))
    with pytest.raises(NoReverseMatch):
        engines["jinja2"].from_string("{{ url('cases:detail', 5) }}").render({})


dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
datetimes = st.datetimes(min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2100, 12, 31))
formats = st.sampled_from([*templating.DATE_FORMATS, *templating.DATETIME_FORMATS, "D j N Y", "", None, "DATE_FORMAT"])


@given(value=st.one_of(dates, datetimes, st.none(), st.just(""), st.text(max_size=5)), arg=formats)
def test_date_agrees_with_django(value: object, arg: str | None) -> None:
    for language in ("en-gb", "cy", "pl"):
        with translation.override(language):
            try:
                expected = django_filters.date(value, arg)
            except TypeError as error:  # a time format on a date
                with pytest.raises(TypeError, match=str(error)[:20]):
                    templating.date(value, arg)
                continue
            assert templating.date(value, arg) == expected


@pytest.mark.parametrize("tz", ["Europe/London", "UTC"])
def test_date_in_a_template_shows_local_time(settings, tz: str) -> None:
    settings.TIME_ZONE = tz
    aware = datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC)  # the night the clocks go forward
    source = '{{ t|date:"j M Y H:i" }} {{ t|date:"j F Y, H:i" }} {{ d|date:"j F Y" }}'
    context = {"t": aware, "d": datetime.date(2026, 9, 1)}
    ours = engines["jinja2"].from_string(re.sub(r':("[^"]*")', r"(\1)", source)).render(context)
    djangos = Engine().from_string(source).render(Context(context))
    assert ours == djangos
    local = aware.astimezone(zoneinfo.ZoneInfo(tz))
    assert ours.startswith(f"29 Mar 2026 {local:%H:%M}") and ours.endswith("1 September 2026")
