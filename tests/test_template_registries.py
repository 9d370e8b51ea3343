"""Pages compare statuses with their registries (template globals named in the settings), not strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

from joinedup.cases.enrolment import stages
from joinedup.cases.models import GoalStatus
from joinedup.core.templating import environment, registries
from joinedup.referrals import statuses

PAGES = Path(settings.BASE_DIR) / "jinja2"
RAW_COMPARISON = re.compile(r"""(==|!=)\s*(["'])[a-z_0-9]+\2|(["'])[a-z_0-9]+\3\s*(==|!=)""")
# Comparisons with no registry to compare with yet, each owned elsewhere: the view's own `back`
# parameter, a milestone's computed status (cases.selectors), a consent's state (people).
NOT_YET = {
    ("cases/plan_form.html", 'back == "detail"'),
    ("cases/detail.html", "m.status == 'due'"),
    ("people/consent.html", 'row.state == "active"'),
    ("people/consent.html", 'row.state == "expired"'),
    ("people/consent.html", 'row.state == "withdrawn"'),
    ("people/consent.html", 'row.state == "refused"'),
}


def test_the_registries_named_in_the_settings_are_template_globals():
    env = engines["jinja2"].env
    for name in settings.TEMPLATES[0]["OPTIONS"]["registries"]:
        assert name in env.globals
    assert env.globals["referral_statuses"] is statuses
    assert env.globals["case_stages"] is stages
    assert env.globals["GoalStatus"] is GoalStatus


def test_a_page_compares_a_status_with_its_registry():
    env = engines["jinja2"].env
    source = "{% if s == referral_statuses.RETURNED %}re-route{% endif %}|{% if g == GoalStatus.OPEN %}open{% endif %}"
    assert env.from_string(source).render(s="returned", g="open") == "re-route|open"
    assert env.from_string(source).render(s="routed", g="achieved") == "|"


def test_no_page_compares_a_status_with_a_string():
    found = set()
    for path in PAGES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in RE_CONDITION.finditer(text):
            condition = match.group(0)
            for raw in RAW_COMPARISON.finditer(condition):
                start = condition.rfind(" ", 0, max(raw.start() - 1, 0))
                found.add((str(path.relative_to(PAGES)), condition[start + 1 : raw.end()].strip()))
    assert found - NOT_YET == set()


RE_CONDITION = re.compile(r"{%-?\s*(?:el)?if\b.*?%}", re.DOTALL)


def test_a_registry_cannot_hide_a_global():
    with pytest.raises(ValueError, match=r"\['url'\] would hide a global"):
        registries({"url": "joinedup.cases.enrolment.stages"})


def test_a_registry_that_does_not_exist_fails_loudly():
    with pytest.raises(ImportError):
        environment(registries={"Nope": "joinedup.cases.models.NoSuchChoices"})


def test_every_code_a_page_names_in_a_registry_exists():
    """A misspelt code (`GoalStatus.ACHEIVED`) would be undefined, so false, and fail no page."""
    env = engines["jinja2"].env
    names = settings.TEMPLATES[0]["OPTIONS"]["registries"]
    used = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\.([A-Za-z_0-9]+)")
    seen = 0
    for path in PAGES.rglob("*.html"):
        for registry, code in used.findall(path.read_text(encoding="utf-8")):
            seen += 1
            assert hasattr(env.globals[registry], code), f"{path.name}: {registry}.{code} is not declared"
    assert seen
