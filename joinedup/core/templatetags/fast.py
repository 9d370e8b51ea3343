"""Drop-in, faster versions of Django's `{% url %}` tag and `|date` filter, for every template.

Loaded as a template builtin (`TEMPLATES[...]["OPTIONS"]["builtins"]` in the settings), after
Django's own, so they replace them by name: templates are written as usual. Each gives exactly
the string Django's would (`joinedup/core/tests/test_fast.py` compares them), and hands anything
it does not handle to Django's. See decision 009.

- `url` with positional UUID or integer arguments uses `joinedup.core.urls.reverse`, which keeps
  each URL's shape instead of resolving it again (about 30 µs saved a link).
- `date` with one of the formats the templates use formats the fields itself, with the month
  names Django's translations give for the active language (about 10 µs saved a date).
"""

from __future__ import annotations

import datetime

from django import template
from django.template import defaultfilters, defaulttags
from django.urls import NoReverseMatch
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from joinedup.core.urls import reverse

register = template.Library()


class FastURLNode(defaulttags.URLNode):
    def render(self, context: template.Context) -> str:
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse(view_name, args=args, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> FastURLNode:
    node = defaulttags.url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)


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


def _j_M_Y(d: datetime.date) -> str:  # noqa: N802 - named after the format
    return f"{d.day} {_month_names()[0][d.month]} {d.year}"


def _j_F_Y(d: datetime.date) -> str:  # noqa: N802
    return f"{d.day} {_month_names()[1][d.month]} {d.year}"


def _F_Y(d: datetime.date) -> str:  # noqa: N802
    return f"{_month_names()[1][d.month]} {d.year}"


def _j_F_Y_H_i(d: datetime.datetime) -> str:  # noqa: N802
    return f"{_j_F_Y(d)}, {d.hour:02d}:{d.minute:02d}"


def _j_M_Y_H_i(d: datetime.datetime) -> str:  # noqa: N802
    return f"{_j_M_Y(d)} {d.hour:02d}:{d.minute:02d}"


def _j_M_Y_H_i_s(d: datetime.datetime) -> str:  # noqa: N802
    return f"{_j_M_Y(d)} {d.hour:02d}:{d.minute:02d}:{d.second:02d}"


DATE_FORMATS = {"j M Y": _j_M_Y, "j F Y": _j_F_Y, "F Y": _F_Y}
DATETIME_FORMATS = {"j F Y, H:i": _j_F_Y_H_i, "j M Y H:i": _j_M_Y_H_i, "j M Y H:i:s": _j_M_Y_H_i_s}


@register.filter(expects_localtime=True, is_safe=False)
def date(value: object, arg: str | None = None) -> str:
    """Django's `date` filter; the formats above without its general formatter."""
    if isinstance(value, datetime.datetime):
        fast = DATE_FORMATS.get(arg) or DATETIME_FORMATS.get(arg)
    elif isinstance(value, datetime.date):
        fast = DATE_FORMATS.get(arg)
    else:
        fast = None
    if fast is None:
        return defaultfilters.date(value, arg)
    return fast(value)
