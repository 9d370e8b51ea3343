"""Form building blocks: GOV.UK patterns through crispy-forms-gds, plain-English messages."""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.core.exceptions import ValidationError

from joinedup.core.errors import DomainError


class GovDateField(DateInputField):
    """Day, month and year boxes with messages that name the date being asked for."""

    def __init__(self, *, noun: str, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.noun = noun
        self.error_messages["required"] = f"Enter the {noun}"
        self.error_messages["incomplete"] = f"{noun.capitalize()} must include a day, month and year"
        self.fields[0].validators[0].message = f"{noun.capitalize()} must be a real date"
        self.fields[1].validators[0].message = f"{noun.capitalize()} must be a real date"
        self.fields[2].validators[0].message = f"{noun.capitalize()} must be a real date"

    def compress(self, data_list) -> date | None:  # noqa: ANN001
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(str(int(year))) != 4:
            raise ValidationError(f"Year must include 4 numbers, like {date.today().year}")
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as exc:
            raise ValidationError(f"{self.noun.capitalize()} must be a real date") from exc


class GovForm(forms.Form):
    """A form rendered with GOV.UK Frontend markup, with one submit button."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label, data_prevent_double_click="true"))

    def add_domain_error(self, error: DomainError) -> None:
        """Attach a service's plain-English error to the field it names, or to the form."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)
