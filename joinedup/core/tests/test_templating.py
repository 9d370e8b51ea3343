"""The Jinja2 environment of the page templates (decision 010): Django's meaning for the filters
pages use, escaping, and errors for the mistakes a template moved from Django's language can hide."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template, engines
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from joinedup.core.forms import GovForm

PAGES = Path(settings.BASE_DIR) / "jinja2"


@pytest.fixture
def render():
    env = engines["jinja2"].env

    def render(source: str, **context: object) -> str:
        return env.from_string(source).render(context)

    return render


def django(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_every_page_template_is_jinja2_and_compiles():
    env = engines["jinja2"].env
    names = [p.relative_to(PAGES).as_posix() for p in PAGES.rglob("*.html")]
    assert len(names) > 50
    left = re.compile(r"\{%\s*(load|url|static|csrf_token|empty|now|widthratio|trans)\b|\|\w+:|forloop\.")
    for name in names:
        source = (PAGES / name).read_text(encoding="utf-8")
        assert not left.search(source), f"{name} still has Django template syntax: {left.search(source).group(0)}"
        env.get_template(name)  # raises on a syntax error


def test_only_forms_stay_in_django_templates():
    django_dir = Path(settings.BASE_DIR) / "templates"
    assert sorted(p.relative_to(django_dir).as_posix() for p in django_dir.rglob("*.html")) == [
        "_form.html",
        "gds/layout/error_summary.html",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", "none"), (None, "none"), (0, "none"), ([], "none"), ("x", "x"), (3, "3")],
)
def test_default_is_djangos_any_false_value(render, value, expected):
    assert render('{{ v|default("none") }}', v=value) == expected == django('{{ v|default:"none" }}', v=value)


def test_missing_names_and_attributes_print_nothing_as_in_django(render):
    assert render("[{{ nothing }}][{{ nothing.deeper.still }}]") == "[][]"
    assert render("{% if nothing.deeper %}yes{% else %}no{% endif %}") == "no"
    assert render("[{{ b.created_by.get_full_name() }}]", b={"created_by": None}) == "[]"


def test_an_uncalled_method_is_an_error_not_a_bound_method_on_the_page(render):
    class Row:
        def get_stage_display(self) -> str:
            return "Enrolled"

    assert render("{{ r.get_stage_display() }}", r=Row()) == "Enrolled"
    with pytest.raises(TypeError, match="add \\(\\)"):
        render("{{ r.get_stage_display }}", r=Row())
    for through in ("lower", "capfirst", 'date("j M Y")', "pluralize", "linebreaksbr", 'default("x")'):
        with pytest.raises(TypeError, match="add \\(\\)"):
            render("{{ r.get_stage_display|" + through + " }}", r=Row())
    assert render("{{ r.get_stage_display()|lower }}", r=Row()) == "enrolled"


def test_markup_and_sql_looking_text_are_escaped(render):
    hostile = "<script>alert('x')</script> Robert'); DROP TABLE people;--"
    ours = render("{{ v }}", v=hostile)  # markupsafe writes ' as &#39;, Django as &#x27;: the same to a browser
    assert "<" not in ours and "'" not in ours and html.unescape(ours) == html.unescape(django("{{ v }}", v=hostile))
    assert "<script>" not in render("{{ v|linebreaksbr }}", v=hostile)
    assert render("{{ v|linebreaksbr }}", v="Siobhán\n<b>") == django("{{ v|linebreaksbr }}", v="Siobhán\n<b>")


@given(st.integers(min_value=-3, max_value=3), st.sampled_from(["", "y,ies", "person,people"]))
def test_pluralize_is_djangos(n, arg):
    env = engines["jinja2"].env
    ours = env.from_string("{{ n|pluralize(a) }}" if arg else "{{ n|pluralize }}").render(n=n, a=arg)
    theirs = django('{{ n|pluralize:"' + arg + '" }}' if arg else "{{ n|pluralize }}", n=n)
    assert ours == theirs


@given(
    st.one_of(st.none(), st.integers(0, 500), st.decimals(0, 10, places=3), st.floats(0, 10)),
    st.sampled_from([1, 100]),
)
def test_widthratio_is_djangos(value, max_value):
    env = engines["jinja2"].env
    ours = env.from_string("{{ widthratio(v, m, 100) }}").render(v=value, m=max_value)
    assert ours == django("{% widthratio v m 100 %}", v=value, m=max_value)


@pytest.mark.parametrize("fmt", ["j M Y", "j F Y", "F Y", "j M Y H:i", "j F Y, H:i", "D j M"])
def test_dates_are_in_local_time_as_djangos(render, settings, fmt):
    settings.TIME_ZONE = "Europe/London"
    summer_evening_utc = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))  # 1 July in London
    ours = render('{{ d|date("' + fmt + '") }}', d=summer_evening_utc)
    assert ours == django('{{ d|date:"' + fmt + '" }}', d=summer_evening_utc)
    assert render('{{ d|date("j M Y") }}', d=None) == "" == render('{{ d|date("j M Y") }}', d="")


def test_numbers_print_as_in_django(render):
    for value in (7, Decimal("12.50"), Decimal("0.00"), 2.5):
        assert render("{{ v }}", v=value) == django("{{ v }}", v=value)
    assert render("{{ v|floatformat(2) }}", v=Decimal("3.14159")) == "3.14"


class _Tiny(GovForm):
    name = forms.CharField(label="Your name")


def test_govuk_form_renders_the_form_with_crispy_and_csrf(db):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    form = _Tiny(data={"name": ""})
    html = engines["jinja2"].from_string("{{ govuk_form(form) }}").render({"form": form}, request=request)
    assert "govuk-error-summary" in html and "Your name" in html
    assert 'name="csrfmiddlewaretoken"' in html
