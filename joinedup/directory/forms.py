from __future__ import annotations

import dataclasses
import json
from typing import Any

from crispy_forms.layout import LayoutObject
from crispy_forms_gds.layout import Layout
from django import forms
from django.utils.html import format_html

from joinedup.core.forms import GovForm
from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition

from . import areas, rule_rows
from .eligibility import SITUATIONS, Circumstances, validate_rules
from .selectors import DAYS, OpeningFilter, need_terms


class _Details(LayoutObject):
    """Fields folded into a GOV.UK details component: its summary, then the fields. Open when one of
    them has an error. Works without JavaScript (the browser opens and closes `<details>`)."""

    def __init__(self, summary: str, *fields: str) -> None:
        self.summary = summary
        self.fields = list(fields)

    def render(self, form: Any, context: Any, template_pack: str = "gds", **kwargs: Any) -> str:
        inner = self.get_rendered_fields(form, context, template_pack, **kwargs)
        has_error = any(name in form.errors for name in self.fields)
        answered = sum(1 for name in self.fields if form.is_bound and form.data.get(name) not in (None, ""))
        summary = f"{self.summary}: {answered} answered" if answered else f"{self.summary} (optional)"
        return format_html(
            '<details class="govuk-details" data-testid="about-you"{}><summary class="govuk-details__summary">'
            '<span class="govuk-details__summary-text">{}</span></summary>'
            '<div class="govuk-details__text">{}</div></details>',
            " open" if has_error else "",
            summary,
            inner,
        )


# The questions about the person and opening times, folded away (issue 18): on a phone a resident
# scrolled three and a half screens of form before the first result.
_FOLDED = (
    "age",
    "employment_status",
    "benefits",
    "months_on_benefits",
    "months_out_of_work",
    "health_conditions",
    "situations",
    "open_on",
    "open_at",
)


class DirectorySearchForm(GovForm):
    """The public search: keyword, need, and (all optional) the person's circumstances.

    Anything left blank is "not known", so results say what would settle it rather than hiding services.
    """

    submit_label = "Search"

    q = forms.CharField(
        label="Keyword (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Keywords must be 200 characters or fewer"},
    )
    need = forms.ChoiceField(
        label="What help are you looking for?",
        required=False,
        error_messages={"invalid_choice": "Choose the help you are looking for from the list"},
    )
    area = forms.ChoiceField(
        label="Where do you live?",
        required=False,
        error_messages={"invalid_choice": "Choose where you live from the list"},
    )
    postcode = forms.CharField(
        label="Or your postcode (optional)",
        help_text="A full postcode, like NG18 1AB, or just the first part, like NG18",
        required=False,
        max_length=20,
        error_messages={"max_length": "A postcode is at most 8 characters, like NG18 1AB"},
    )
    open_on = forms.ChoiceField(
        label="Open on (optional)",
        required=False,
        choices=[("", "Any day")] + [(code, name) for code, name in DAYS.items()],
        error_messages={"invalid_choice": "Choose a day from the list"},
    )
    open_at = forms.TimeField(
        label="Open at (optional)",
        help_text="A time, like 09:30 or 17:00",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M", "%H"],
        error_messages={"invalid": "Enter a time in the 24-hour clock, like 09:30 or 17:00"},
    )
    age = forms.IntegerField(
        label="Age (optional)",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Age must be a number, like 30",
            "min_value": "Age must be 0 or more",
            "max_value": "Age must be 120 or less",
        },
    )
    employment_status = forms.ChoiceField(
        label="Work situation (optional)",
        required=False,
        widget=forms.RadioSelect,
        choices=[*EmploymentStatus.choices, ("", "Prefer not to say")],
    )
    benefits = forms.MultipleChoiceField(
        label="Benefits (optional)",
        help_text="Select all that apply",
        required=False,
        choices=Benefit.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    months_on_benefits = forms.IntegerField(
        label="Months on benefits (optional)", required=False, min_value=0, max_value=600
    )
    months_out_of_work = forms.IntegerField(
        label="Months since you last worked or were in training (optional)", required=False, min_value=0, max_value=600
    )
    health_conditions = forms.MultipleChoiceField(
        label="Health conditions (optional)",
        help_text="Select all that apply",
        required=False,
        choices=HealthCondition.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    situations = forms.MultipleChoiceField(
        label="Does any of this apply to you? (optional)",
        help_text="Select all that apply",
        required=False,
        choices=[
            (code, text[0].upper() + text[1:].replace("has ", "I have ", 1).replace("is ", "I am ", 1))
            for code, text in SITUATIONS.items()
        ],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        shown = [name for name in self.fields if name not in _FOLDED]
        self.helper.layout = Layout(*shown, _Details("About you and opening times", *_FOLDED))
        self.fields["need"].choices = [("", "Any kind of help")] + [(str(t.id), t.name) for t in need_terms()]
        self.fields["area"].choices = [("", "Choose an area")] + areas.local_authority_choices()

    def clean_area(self) -> str:
        return self.cleaned_data.get("area") or ""

    def clean_postcode(self) -> str:
        raw = self.cleaned_data.get("postcode") or ""
        if not raw.strip():
            return ""
        try:
            value = areas.parse_postcode(raw)
        except areas.PostcodeProblem as exc:
            raise forms.ValidationError(str(exc)) from None
        district = areas.postcode_district(value)
        if district not in areas.POSTCODE_DISTRICTS:
            raise forms.ValidationError(
                f"We do not know which council area {district} is in. Choose where you live from the list "
                "instead, and leave the postcode blank"
            )
        return value

    def clean(self) -> dict:
        data = super().clean()
        area, postcode = data.get("area"), data.get("postcode")
        if area and postcode:
            found = areas.area_for_postcode(postcode)
            if found and area not in areas.ancestors(found) and found not in areas.ancestors(area):
                self.add_error(
                    "postcode",
                    f"{postcode} is in {areas.area_name(found)}, not {areas.area_name(area)}. "
                    "Check the postcode, or leave it or the area blank",
                )
        return data

    def opening(self) -> OpeningFilter:
        d = self.cleaned_data
        return OpeningFilter(day=d.get("open_on") or None, open_at=d.get("open_at"))

    def where(self) -> str:
        """How we worked out where the person lives, to say so above the results."""
        d = self.cleaned_data
        if d.get("postcode"):
            district = areas.postcode_district(d["postcode"])
            found = areas.area_for_postcode(d["postcode"])
            return f"Postcode district {district} is in {areas.area_name(found)}."
        if d.get("area"):
            return f"You live in {areas.area_name(d['area'])}."
        return ""

    def circumstances(self) -> Circumstances:
        d = self.cleaned_data
        return Circumstances(
            age=d.get("age"),
            area=d.get("area") or None,
            postcode=d.get("postcode") or None,
            employment_status=d.get("employment_status") or None,
            benefits=frozenset(d["benefits"]) if d.get("benefits") else None,
            months_on_benefits=d.get("months_on_benefits"),
            months_out_of_work=d.get("months_out_of_work"),
            health_conditions=frozenset(d["health_conditions"]) if d.get("health_conditions") else None,
            situations=frozenset(d["situations"]) if d.get("situations") else None,
        )


class ServiceForm(GovForm):
    """A directory manager's form for one service. Parses only; service_create/update hold the rules."""

    submit_label = "Save"

    organisation = forms.ChoiceField(
        label="Organisation that runs it", error_messages={"required": "Select the organisation that runs the service"}
    )
    name = forms.CharField(
        label="Service name", max_length=300, error_messages={"required": "Enter the service's name"}
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    how_to_refer = forms.CharField(
        label="How to get referred", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    self_referral = forms.BooleanField(label="People can refer themselves", required=False)
    url = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://example.org"},
    )
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    areas = forms.MultipleChoiceField(label="Areas served", required=False, widget=forms.CheckboxSelectMultiple)
    terms = forms.MultipleChoiceField(label="Needs and cohorts", required=False, widget=forms.CheckboxSelectMultiple)
    stated_as = forms.CharField(
        label="Eligibility in the provider's own words (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        from .models import DirectoryOrganisation, TaxonomyTerm

        super().__init__(*args, **kwargs)
        _inside_one_form(self)
        self.fields["organisation"].choices = [("", "Choose")] + [
            (str(o.id), o.name) for o in DirectoryOrganisation.objects.filter(archived_at__isnull=True)
        ]
        self.fields["areas"].choices = [(a.code, a.name) for a in areas.AREAS.values()]
        self.fields["terms"].choices = [
            (str(t.id), f"{t.taxonomy.name}: {t.name}") for t in TaxonomyTerm.objects.select_related("taxonomy")
        ]

    def to_input(self, rules: dict):
        import uuid

        from .services import ServiceInput

        d = self.cleaned_data
        return ServiceInput(
            organisation_id=uuid.UUID(d["organisation"]),
            name=d["name"],
            description=d["description"],
            how_to_refer=d["how_to_refer"],
            self_referral=d["self_referral"],
            url=d["url"],
            email=d["email"],
            areas=tuple(d["areas"]),
            term_ids=tuple(uuid.UUID(t) for t in d["terms"]),
            rules=rules,
            stated_as=d["stated_as"],
        )

    @classmethod
    def initial_for(cls, service) -> dict:
        rules = service.current_rules()
        return {
            "organisation": str(service.organisation_id),
            "name": service.name,
            "description": service.description,
            "how_to_refer": service.how_to_refer,
            "self_referral": service.self_referral,
            "url": service.url,
            "email": service.email,
            "areas": [a.area for a in service.service_areas.all()],
            "terms": [str(t.id) for t in service.terms.all()],
            "stated_as": rules.stated_as if rules else "",
        }


def _inside_one_form(form: GovForm) -> None:
    """Rendered inside the page's one <form> (the service, who it is for and the criteria), whose
    buttons the page writes."""
    form.helper.form_tag = False
    form.helper.inputs = []


class EligibilityForm(GovForm):
    """Who a service is for: how the criteria (the rows of `CriterionFormSet`) combine, or the rule
    data itself for rules the rows cannot say (groups within groups)."""

    combine = forms.ChoiceField(
        label="Who is it for?",
        choices=rule_rows.COMBINE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose who the service is for from the list"},
    )
    at_least = forms.IntegerField(
        label="How many of the criteria a person must meet (only for “a number of the criteria”)",
        required=False,
        min_value=1,
        max_value=20,
        error_messages={
            "invalid": "The number of criteria must be a whole number, like 2",
            "min_value": "The number of criteria must be 1 or more",
            "max_value": "The number of criteria must be 20 or fewer",
        },
    )
    rules = forms.CharField(
        label="Rule data (only for “Written as rule data”)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="Only for rules the criteria below cannot say, such as a choice between groups of criteria.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _inside_one_form(self)


class CriterionForm(forms.Form):
    """One criterion: what it is about, the comparison, the value (in words or codes), and optionally
    the provider's own words for it."""

    what = forms.ChoiceField(
        label="What",
        required=False,
        choices=[("", "Choose")] + rule_rows.CRITERION_CHOICES,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Choose what the criterion is about from the list"},
    )
    comparison = forms.ChoiceField(
        label="Comparison",
        required=False,
        choices=[("", "The usual one")] + rule_rows.COMPARISON_CHOICES,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Choose a comparison from the list"},
    )
    value = forms.CharField(
        label="Value",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"max_length": "A value must be 500 characters or fewer"},
    )
    label = forms.CharField(
        label="In the provider's words (optional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"max_length": "The provider's words must be 200 characters or fewer"},
    )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=3, max_num=20, validate_max=True, absolute_max=40)


class EligibilityEditor:
    """The eligibility part of the service form: `EligibilityForm` and its rows, giving the same rule
    data as before (decision 002). `rules` is set once `is_valid()` is true."""

    def __init__(self, data=None, *, rules: dict | None = None) -> None:
        rules = rules if rules is not None else {"stated": False}
        as_rows = rule_rows.rows_from_rules(rules)
        initial = {"rules": json.dumps(rules, indent=1)}
        if as_rows is None:
            initial["combine"] = rule_rows.AS_DATA
            rows: list[dict] = []
        else:
            initial.update(combine=as_rows.combine, at_least=as_rows.at_least)
            rows = [dataclasses.asdict(r) for r in as_rows.rows]
        self.initial_rules = rules
        self.form = EligibilityForm(data, initial=initial)
        has_rows = data is not None and "criteria-TOTAL_FORMS" in data
        self.rows = CriterionFormSet(data if has_rows else None, initial=rows, prefix="criteria")
        self.rules: dict | None = None

    def is_valid(self) -> bool:
        if not self.form.is_valid() or (self.rows.is_bound and not self.rows.is_valid()):
            return False
        d = self.form.cleaned_data
        try:
            rules = self._rules(d.get("combine") or "", d)
        except rule_rows.RuleError as exc:
            self.form.add_error("combine" if not d.get("combine") else None, str(exc))
            return False
        # Unchanged rules keep their form ({"all": [one]} is not written again as the one), so saving
        # an unchanged service adds no rule version.
        self.rules = self.initial_rules if rule_rows.same_rules(rules, self.initial_rules) else rules
        return True

    def _rules(self, combine: str, d: dict) -> dict:
        if combine == rule_rows.AS_DATA or (not combine and d.get("rules")):
            return _rules_from_data(d.get("rules") or "")
        if not combine:
            raise rule_rows.RuleError("Choose who the service is for")
        rows = [
            rule_rows.Row(r.get("what", ""), r.get("comparison", ""), r.get("value", ""), r.get("label", ""))
            for r in (self.rows.cleaned_data if self.rows.is_bound else [])
            if r
        ]
        return rule_rows.rules_from_rows(combine, rows, at_least=d.get("at_least"))

    def preview(self) -> list:
        """How the sample people fare under the rules (once valid)."""
        return rule_rows.preview(self.rules) if self.rules is not None else []


def _rules_from_data(text: str) -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise rule_rows.RuleError(
            "The rule data is not written correctly: check the brackets, commas and quotes"
        ) from None
    if not isinstance(value, dict):
        raise rule_rows.RuleError('The rule data must be one rule in curly brackets, like {"stated": false}')
    validate_rules(value)
    return value
