"""Form building blocks: GOV.UK patterns through crispy-forms-gds, plain-English messages."""

from __future__ import annotations

from datetime import date

from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.forms import renderers
from django.template import TemplateDoesNotExist
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from joinedup.core.errors import DomainError


class FormRenderer(renderers.BaseRenderer):
    """Widgets rendered from Django's own Jinja2 widget templates (`django/forms/jinja2`, the same
    markup as its Django-template ones), and from Django templates for a widget that has only those
    (crispy-forms-gds's date boxes). `FORM_RENDERER`. Jinja2 renders the widgets faster: the
    directory's search form 7.9-10.8 -> 7.2-7.8 ms (docs/benchmarks.md, fifth session)."""

    def __init__(self) -> None:
        self._jinja2 = renderers.Jinja2()
        self._django = renderers.DjangoTemplates()
        self._found: dict[str, object] = {}

    def get_template(self, template_name: str):
        template = self._found.get(template_name)
        if template is None:
            try:
                template = self._jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                template = self._django.get_template(template_name)
            self._found[template_name] = template
        return template


class GovDateField(DateInputField):
    """Day, month and year boxes with messages that name the date being asked for."""

    def __init__(self, *, noun: str, **kwargs) -> None:
        # Each box is checked on its own, so a part-filled date says which part is missing.
        super().__init__(require_all_fields=False, **kwargs)
        self.noun = noun
        self.error_messages["required"] = f"Enter the {noun}"
        for box, part in zip(self.fields, ("day", "month", "year"), strict=True):
            box.error_messages["incomplete"] = f"{noun.capitalize()} must include a {part}"
            box.validators[0].message = f"{noun.capitalize()} must be a real date"

    def compress(self, data_list) -> date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(str(int(year))) != 4:
            raise ValidationError(f"Year must include 4 numbers, like {date.today().year}")
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as exc:
            raise ValidationError(f"{self.noun.capitalize()} must be a real date") from exc


# Widgets crispy-forms-gds leaves unstyled (it styles text, email and password inputs): each becomes
# a GOV.UK text input of a width that fits its answer (issue 18: the directory's age, time and
# months boxes were bare 21-pixel browser inputs). GOV.UK asks for text inputs with inputmode
# rather than type="number", which browsers round, scroll and reject in their own words.
_PLAIN_INPUTS: dict[type[forms.Widget], tuple[dict[str, str], str]] = {
    forms.NumberInput: ({"inputmode": "numeric"}, "govuk-input--width-4"),
    forms.TimeInput: ({}, "govuk-input--width-5"),
    forms.URLInput: ({"spellcheck": "false", "autocomplete": "url"}, ""),
}


def _styled_inputs(fields: dict[str, forms.Field]) -> None:
    for field in fields.values():
        found = _PLAIN_INPUTS.get(type(field.widget))
        if found is None:
            continue
        extra, width = found
        attrs = {k: v for k, v in field.widget.attrs.items() if k not in {"min", "max", "step"}}
        if width and "govuk-input--width" not in attrs.get("class", ""):
            attrs["class"] = f"{attrs.get('class', '')} {width}".strip()
        field.widget = forms.TextInput(attrs={**extra, **attrs})
        field.widget.is_required = field.required


class GovForm(forms.Form):
    """A form rendered with GOV.UK Frontend markup, with one submit button."""

    submit_label: str | Promise = "Continue"  # a Promise: translated when shown (gettext_lazy)
    submit_class = ""  # for example "govuk-button--warning" for a destructive action

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _styled_inputs(self.fields)
        self.helper = FormHelper()
        # The server validates; the browser's own checks (`required`, type="email") would block the
        # submission before the GOV.UK error summary could be shown, with or without JavaScript.
        self.helper.attrs = {"novalidate": ""}
        button = {"data_prevent_double_click": "true"}
        if self.submit_class:
            button["css_class"] = self.submit_class
        if self.auto_id and self.auto_id != "id_%s":
            # A form with its own id scheme (two forms on one page) gets its own button id too.
            button["css_id"] = self.auto_id % "submit"
        self.helper.add_input(Submit("submit", self.submit_label, **button))

    def add_domain_error(self, error: DomainError) -> None:
        """Attach a service's plain-English error to the field it names, or to the form."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


_fields_html: dict[tuple, SafeString] = {}


def unbound_fields_html(
    form_class: type[GovForm], *, initial: dict | None = None, auto_id: str = "id_%s"
) -> SafeString:
    """The fields and button of an unbound form of `form_class`, without the `<form>` tag (the
    template writes it, with its action and CSRF token), rendered once per process for each form
    class, id scheme and initial values. The form is made only when it must be rendered.

    crispy-forms renders a form through some fifty template includes (4 to 6 ms); a page that shows
    the same empty form on every view (the case page's quick contact) need not pay that each time.
    Only for forms whose markup depends on nothing else: fixed choices, no querysets, no errors.
    """
    initial = initial or {}
    key = (form_class, auto_id, tuple(sorted((name, repr(value)) for name, value in initial.items())))
    html = _fields_html.get(key)
    if html is None:
        form = form_class(initial=initial, auto_id=auto_id)
        form.helper.form_tag = False
        html = SafeString(render_crispy_form(form))
        if len(_fields_html) >= 64:  # initial values change (a default of today): keep it small
            _fields_html.clear()
        _fields_html[key] = html
    return html
