from __future__ import annotations

from django import forms

from joinedup.core.forms import GovForm
from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition

from . import areas
from .eligibility import SITUATIONS, Circumstances
from .selectors import DAYS, OpeningFilter, need_terms


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
    rules = forms.CharField(
        label="Eligibility rules (JSON)",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text='See docs/decisions/002-eligibility-rules.md. Use {"stated": false} when the provider has not said.',
        error_messages={"required": 'Enter the eligibility rules, or {"stated": false}'},
    )
    stated_as = forms.CharField(
        label="Eligibility in the provider's own words (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        from .models import DirectoryOrganisation, TaxonomyTerm

        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "Choose")] + [
            (str(o.id), o.name) for o in DirectoryOrganisation.objects.filter(archived_at__isnull=True)
        ]
        self.fields["areas"].choices = [(a.code, a.name) for a in areas.AREAS.values()]
        self.fields["terms"].choices = [
            (str(t.id), f"{t.taxonomy.name}: {t.name}") for t in TaxonomyTerm.objects.select_related("taxonomy")
        ]

    def clean_rules(self) -> dict:
        import json

        try:
            value = json.loads(self.cleaned_data["rules"])
        except json.JSONDecodeError:
            raise forms.ValidationError("Eligibility rules must be valid JSON") from None
        if not isinstance(value, dict):
            raise forms.ValidationError('Eligibility rules must be a JSON object, like {"stated": false}')
        return value

    def to_input(self):
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
            rules=d["rules"],
            stated_as=d["stated_as"],
        )

    @classmethod
    def initial_for(cls, service) -> dict:
        import json

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
            "rules": json.dumps(rules.rules if rules else {"stated": False}, indent=1),
            "stated_as": rules.stated_as if rules else "",
        }
