"""The forms of the domain apps render through core's form machinery (`joinedup.core.forms`) exactly
as crispy-forms renders them through Django's templates. Moved from core's tests, which do not import
the domain apps."""

from __future__ import annotations

import re

import pytest


def test_unbound_form_fields_are_rendered_once_and_as_crispy_renders_them() -> None:
    from crispy_forms.utils import render_crispy_form

    from joinedup.cases.contacts.forms import ContactForm
    from joinedup.core.forms import _fields_html, unbound_fields_html

    def quick() -> ContactForm:
        return ContactForm(initial=ContactForm.quick_defaults(), auto_id="quick_%s")

    _fields_html.clear()
    html = unbound_fields_html(ContactForm, initial=ContactForm.quick_defaults(), auto_id="quick_%s")
    fresh = quick()
    fresh.helper.form_tag = False
    assert html == render_crispy_form(fresh)
    assert "<form" not in html and 'id="quick_duration_minutes"' in html and 'value="15"' in html
    again = unbound_fields_html(ContactForm, initial=ContactForm.quick_defaults(), auto_id="quick_%s")
    assert again is html  # the second time from the cache
    other = unbound_fields_html(ContactForm, initial={**ContactForm.quick_defaults(), "duration_minutes": 30})
    assert other is not html and 'value="30"' in other and 'id="id_duration_minutes"' in other


@pytest.mark.django_db
def test_widgets_through_jinja2_give_the_markup_django_templates_give() -> None:
    """FORM_RENDERER renders widgets from Django's Jinja2 templates: every form that can be made
    without arguments, empty, with errors and with hostile input, is the same markup as through Django templates."""
    import html as html_lib
    import importlib

    from crispy_forms.utils import render_crispy_form
    from django import forms
    from django.forms import renderers

    from joinedup.core.forms import FormRenderer, GovForm

    assert isinstance(forms.Form().renderer, FormRenderer)  # what every form uses (FORM_RENDERER)
    cases = [f"cases.{sub}" for sub in ("better_off", "contacts", "enrolment", "plan", "support", "wellbeing", "work")]
    for app in (*cases, "directory", "governance", "linkage", "people", "referrals"):
        importlib.import_module(f"joinedup.{app}.forms")  # so that GovForm knows all its subclasses

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    def markup(form_class: type, data: dict | None, renderer: object) -> str:
        form = form_class(data, renderer=renderer)
        if data is not None:
            form.is_valid()
        text = " ".join(html_lib.unescape(render_crispy_form(form)).split())
        return re.sub(r'name="(submission_key|form_token)" value="[^"]*"', r'name="\1"', text)  # new each form

    compared = 0
    for form_class in subclasses(GovForm):
        try:
            form_class(None)
        except TypeError:
            continue  # needs what its view gives it
        for data in (None, {}, {"notes": "<b>Zoë's</b> ' OR 1=1 --"}):
            ours = markup(form_class, data, FormRenderer())
            assert ours == markup(form_class, data, renderers.DjangoTemplates()), form_class.__name__
        compared += 1
    assert compared >= 20
