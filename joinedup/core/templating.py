"""The Jinja2 environment the page templates are written for (decision 010).

Page templates live in `jinja2/` and are rendered by Django's Jinja2 backend; forms are still
rendered by crispy-forms-gds in Django templates (`templates/_form.html`), called from a page as
`{{ govuk_form(form) }}`. What a page template may use, beyond Jinja2's own syntax:

- globals: `url(name, *args)`, `static(path)`, `govuk_form(form)`, `now()` (local time),
  `widthratio(value, max_value, max_width)`; the registries of codes named in the settings'
  `TEMPLATES[0]["OPTIONS"]["registries"]`, so a page compares a status with its registry, never a
  string (`referral.status == referral_statuses.RETURNED`, `goal.status == GoalStatus.ACHIEVED`);
  and from the backend `request`, `csrf_input`,
  `csrf_token`, and the context processors' `user`, `messages`, `membership`, `memberships`, `can`.
- filters with Django's meaning: `date`, `time`, `default` (when the value is false, as Django's,
  not only when undefined), `default_if_none`, `pluralize`, `linebreaksbr`, `floatformat`,
  `capfirst`, `yesno`, `truncatechars`, `divisibleby`, `apnumber`; Jinja2's own otherwise
  (`length`, `lower`, `join`, ...).

A method must be called (`case.get_stage_display()`): a template that prints a callable raises an
error instead of printing "<bound method ...>" (`finalize` below), so a missed call fails the tests.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.humanize.templatetags.humanize import apnumber
from django.template import defaultfilters, engines
from django.templatetags.static import static
from django.urls import reverse as django_reverse
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import ChainableUndefined, Environment, pass_context
from jinja2.runtime import Context

from joinedup.core.urls import reverse as fast_reverse


def url(name: str, *args: object, **kwargs: object) -> str:
    """The URL of a named view, as Django's `{% url %}` gives it."""
    if kwargs:
        return django_reverse(name, kwargs=kwargs)
    return fast_reverse(name, args=args)


def _local(value: object) -> object:
    """Aware datetimes in local time, as Django's date filters receive them (`expects_localtime`)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


_months: dict[str | None, tuple[list[str], list[str]]] = {}


def _month_names() -> tuple[list[str], list[str]]:
    """Short ('M': title-cased, as Django's DateFormat.M) and full ('F') month names, by language."""
    language = get_language()
    try:
        return _months[language]
    except KeyError:
        short = [""] + [str(MONTHS_3[m]).title() for m in range(1, 13)]
        full = [""] + [str(MONTHS[m]) for m in range(1, 13)]
        _months[language] = (short, full)
        return short, full


def _j_M_Y(d: datetime.date) -> str:
    return f"{d.day} {_month_names()[0][d.month]} {d.year}"


def _j_F_Y(d: datetime.date) -> str:
    return f"{d.day} {_month_names()[1][d.month]} {d.year}"


def _F_Y(d: datetime.date) -> str:
    return f"{_month_names()[1][d.month]} {d.year}"


def _j_F_Y_H_i(d: datetime.datetime) -> str:
    return f"{_j_F_Y(d)}, {d.hour:02d}:{d.minute:02d}"


def _j_M_Y_H_i(d: datetime.datetime) -> str:
    return f"{_j_M_Y(d)} {d.hour:02d}:{d.minute:02d}"


def _j_M_Y_H_i_s(d: datetime.datetime) -> str:
    return f"{_j_M_Y(d)} {d.hour:02d}:{d.minute:02d}:{d.second:02d}"


DATE_FORMATS = {"j M Y": _j_M_Y, "j F Y": _j_F_Y, "F Y": _F_Y}
DATETIME_FORMATS = {"j F Y, H:i": _j_F_Y_H_i, "j M Y H:i": _j_M_Y_H_i, "j M Y H:i:s": _j_M_Y_H_i_s}


def date(value: object, arg: str | None = None) -> str:
    """Django's `date` filter, in local time. The formats the pages use are formatted from the
    date's fields (about 10 µs less a date than Django's general formatter); others go to Django's."""
    if value is None or value == "":
        return ""
    value = _local(value)
    if isinstance(value, datetime.datetime):
        fast = DATE_FORMATS.get(arg) or DATETIME_FORMATS.get(arg)
    elif isinstance(value, datetime.date):
        fast = DATE_FORMATS.get(arg)
    else:
        fast = None
    if fast is None:
        return defaultfilters.date(value, arg)
    return fast(value)


def time(value: object, arg: str | None = None) -> str:
    if value is None or value == "":
        return ""
    return defaultfilters.time(_local(value), arg)


def default(value: object, arg: object = "") -> object:
    """Django's `default`: the argument when the value is false (empty, zero, None, undefined)."""
    return value or arg


def default_if_none(value: object, arg: object = "") -> object:
    return arg if value is None else value


def pluralize(value: object, arg: str = "s") -> str:
    return defaultfilters.pluralize(value, arg)


def linebreaksbr(value: object) -> SafeString:
    return defaultfilters.linebreaksbr(value, autoescape=True)


def floatformat(value: object, arg: int | str = -1) -> str:
    return defaultfilters.floatformat(value, arg)


def capfirst(value: object) -> str:
    return defaultfilters.capfirst(value)


def yesno(value: object, arg: str | None = None) -> str:
    return defaultfilters.yesno(value, arg)


def truncatechars(value: object, arg: int) -> str:
    return defaultfilters.truncatechars(value, arg)


def divisibleby(value: object, arg: int) -> bool:
    return defaultfilters.divisibleby(value, arg)


def widthratio(value: float | int, max_value: float | int, max_width: float | int) -> int | str:
    """Django's `{% widthratio %}`: value / max_value × max_width, rounded; empty if it cannot."""
    try:
        return round(float(value) / float(max_value) * float(max_width))
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        return ""


def now() -> datetime.datetime:
    return timezone.localtime()


@pass_context
def govuk_form(context: Context, form: object) -> SafeString:
    """A form's error summary and fields through crispy-forms-gds (`templates/_form.html`)."""
    template = engines["django"].get_template("_form.html")
    return SafeString(template.render({"form": form}, request=context.get("request")))


class _Missing(ChainableUndefined):
    """A missing name, attribute or method prints nothing and is false, as in Django's templates:
    `calculation.created_by.get_full_name()` is empty when there is no `created_by`."""

    __slots__ = ()

    def __call__(self, *args: object, **kwargs: object) -> _Missing:
        return self


def _finalize(value: Any) -> Any:
    if callable(value) and not hasattr(value, "__html__"):
        raise TypeError(f"A template printed {value!r} without calling it: add ()")
    return value


FILTERS: dict[str, Callable[..., object]] = {
    "date": date,
    "time": time,
    "default": default,
    "default_if_none": default_if_none,
    "pluralize": pluralize,
    "linebreaksbr": linebreaksbr,
    "floatformat": floatformat,
    "capfirst": capfirst,
    "yesno": yesno,
    "truncatechars": truncatechars,
    "divisibleby": divisibleby,
    "apnumber": apnumber,
}

GLOBALS: dict[str, Callable[..., object]] = {
    "url": url,
    "static": static,
    "govuk_form": govuk_form,
    "now": now,
    "widthratio": widthratio,
}


def _refusing_methods(name: str, fn: Callable[..., object]) -> Callable[..., object]:
    """A filter that refuses an uncalled method as its value, as printing one is refused: through
    `|lower` or `|date` it would print "<bound method ...>" or nothing instead of failing."""

    def filtered(value: object, *args: object, **kwargs: object) -> object:
        _finalize(value)
        return fn(value, *args, **kwargs)

    filtered.__name__ = filtered.__qualname__ = name
    return filtered


def _registry(path: str) -> object:
    """A registry named by its dotted path: a module (`joinedup.cases.enrolment.stages`) or a name in one
    (`joinedup.cases.models.GoalStatus`)."""
    try:
        return importlib.import_module(path)
    except ModuleNotFoundError as exc:
        if exc.name != path:  # the module exists but fails to import: that error, not a lookup's
            raise
    return import_string(path)


def registries(paths: Mapping[str, str]) -> dict[str, object]:
    """The registries the pages compare codes with, by the name a template uses. Core names no
    domain app: the settings list them (`TEMPLATES[0]["OPTIONS"]["registries"]`)."""
    found = {name: _registry(path) for name, path in paths.items()}
    clashes = found.keys() & (GLOBALS.keys() | {"request", "csrf_input", "csrf_token"})
    if clashes:
        raise ValueError(f"Template registries {sorted(clashes)} would hide a global of the same name")
    return found


def environment(**options: Any) -> Environment:
    """Django's Jinja2 backend calls this (settings `TEMPLATES[0]["OPTIONS"]["environment"]`)."""
    paths = options.pop("registries", {})
    options["undefined"] = _Missing
    options["autoescape"] = True  # Django's backend sets it too; said here so it cannot be lost
    # Every string a page says can be translated: `{{ _("Your plan") }}`, `{% trans %}` (Django's catalogues).
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.i18n"]
    env = Environment(finalize=_finalize, **options)  # noqa: S701 - autoescape is in options
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(FILTERS)
    for name in [*FILTERS, "lower", "upper", "title", "trim", "truncate", "length"]:
        env.filters[name] = _refusing_methods(name, env.filters[name])
    env.globals.update(GLOBALS)
    env.globals.update(registries(paths))
    return env
