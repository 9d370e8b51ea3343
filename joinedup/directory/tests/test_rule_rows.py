"""Eligibility rules as rows (issue 18): the form's rows make the same rule data decision 002
describes, read back every seed rule set they can say, explain problems in plain English, and
preview the rules against sample people."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from joinedup.directory import rule_rows
from joinedup.directory.eligibility import Outcome, RuleError
from joinedup.directory.models import DirectoryOrganisation, Service
from joinedup.directory.rule_rows import Row, rows_from_rules, rules_from_rows, same_rules
from joinedup.directory.seed import SEED_FILE, seed_id
from joinedup.organisations.models import Role

SEED = json.loads(SEED_FILE.read_text(encoding="utf-8"))["services"]


def test_rows_make_the_rule_data() -> None:
    rows = [
        Row("age", "between", "18 to 24"),
        Row("area", "", "Derby; Derbyshire"),
        Row("benefits", "one_of", "ESA; Universal Credit with limited capability for work (LCW)", "health benefits"),
        Row("situation", "", "care leaver"),
        Row("months_out_of_work", "", "12"),
    ]
    assert rules_from_rows("all", rows) == {
        "all": [
            {"criterion": "age", "min": 18, "max": 24},
            {"criterion": "area", "areas": ["derby", "derbyshire"]},
            {"criterion": "benefits", "any_of": ["esa", "uc_lcw"], "label": "health benefits"},
            {"criterion": "situation", "is": "care_leaver"},
            {"criterion": "months_out_of_work", "min": 12},
        ]
    }
    assert rules_from_rows("at_least", rows[:3], at_least=2)["at_least"] == 2
    assert rules_from_rows("any", [Row("area", "postcode", "ng18, DE1")]) == {
        "any": [{"criterion": "area", "postcode_districts": ["NG18", "DE1"]}]
    }
    assert rules_from_rows("not_stated", []) == {"stated": False}
    assert rules_from_rows("open", [Row("age", "", "18")]) == {"criterion": "open"}


@pytest.mark.parametrize("item", SEED, ids=[s["key"] for s in SEED])
def test_every_seed_rule_set_reads_back_the_same_or_is_edited_as_data(item) -> None:
    rules = item["rules"]
    as_rows = rows_from_rules(rules)
    if as_rows is None:  # groups within groups (INSPIRE Local, Work and Health, Access to Work …)
        assert any(isinstance(c, dict) and "criterion" not in c for c in rules.get("all", rules.get("any", [])))
        return
    assert same_rules(rules_from_rows(as_rows.combine, as_rows.rows, at_least=as_rows.at_least), rules)


def test_most_seed_rule_sets_are_rows() -> None:
    assert sum(rows_from_rules(s["rules"]) is not None for s in SEED) >= len(SEED) - 6


@pytest.mark.parametrize(
    ("combine", "rows", "message"),
    [
        ("all", [], "Add at least one criterion"),
        ("all", [Row("age", "", "eighteen")], "Criterion 1: write a whole number, like 18."),
        ("all", [Row("age", "", "200")], "Criterion 1: write a number no more than 120."),
        ("all", [Row("age", "between", "30 to 20")], "the first age must not be more than the second"),
        ("all", [Row("age", "one_of", "18")], "age can only be compared with “is at least”, “is at most” or"),
        ("all", [Row("benefits", "", "Child Benefit")], "“Child Benefit” is not a benefits they get we know"),
        ("all", [Row("area", "", "Atlantis")], "“Atlantis” is not a where they live we know"),
        ("all", [Row("area", "postcode", "not a postcode")], "write postcode districts"),
        ("all", [Row("", "", "18")], "Criterion 1: choose what the criterion is about."),
        ("all", [Row("situation", "", "care leaver; homelessness")], "a circumstance row takes one circumstance"),
        ("at_least", [Row("age", "", "18")], "Say how many of the 1 criteria"),
    ],
)
def test_problems_are_explained_in_plain_english(combine, rows, message) -> None:
    with pytest.raises(RuleError) as raised:
        rules_from_rows(combine, rows, at_least=None)
    assert message in str(raised.value)


def test_preview_against_sample_people() -> None:
    rules = rules_from_rows("all", [Row("situation", "", "severe mental illness")])
    answers = {who: e.outcome for who, e in rule_rows.preview(rules)}
    anxious = next(who for who in answers if "anxiety or depression" in who)
    severe = next(who for who in answers if "severe mental illness" in who)
    assert answers[anxious] == Outcome.NOT_ELIGIBLE
    assert answers[severe] == Outcome.ELIGIBLE
    assert answers["Someone who has told us nothing yet"] == Outcome.UNKNOWN


# --- the pages --------------------------------------------------------------------------------------


def _post(client, org, **rows) -> dict:
    data = {
        "organisation": str(org.id),
        "name": "Mansfield job club",
        "areas": ["mansfield"],
        "combine": "all",
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
    }
    for n, (what, comparison, value) in enumerate(rows.get("rows", [])):
        data.update({f"criteria-{n}-what": what, f"criteria-{n}-comparison": comparison, f"criteria-{n}-value": value})
    data.update(rows.get("extra", {}))
    return data


@pytest.mark.django_db
def test_a_service_is_added_with_rules_as_rows(client: Client, partnership) -> None:
    client.force_login(partnership.programme.user)
    org = DirectoryOrganisation.objects.get(name="Framework Housing Association")
    data = _post(client, org, rows=[("age", "at_least", "18"), ("benefits", "", "ESA; JSA")])
    response = client.post("/directory/manage/new/", data)
    assert response.status_code == 302
    service = Service.objects.get(name="Mansfield job club")
    assert service.current_rules().rules == {
        "all": [{"criterion": "age", "min": 18}, {"criterion": "benefits", "any_of": ["esa", "jsa"]}]
    }
    assert service.minimum_age == 18


@pytest.mark.django_db
def test_preview_shows_sample_people_and_saves_nothing(client: Client, partnership) -> None:
    client.force_login(partnership.programme.user)
    org = DirectoryOrganisation.objects.first()
    data = _post(client, org, rows=[("age", "between", "18 to 24")], extra={"preview": "1"})
    html = client.post("/directory/manage/new/", data).content.decode()
    assert 'data-testid="preview"' in html
    assert "Aged 19 in Derby" in html
    assert "For people aged 18 to 24; this person is 19." in html
    assert not Service.objects.filter(name="Mansfield job club").exists()


@pytest.mark.django_db
def test_a_bad_row_is_explained_and_nothing_is_saved(client: Client, partnership) -> None:
    client.force_login(partnership.programme.user)
    org = DirectoryOrganisation.objects.first()
    html = client.post("/directory/manage/new/", _post(client, org, rows=[("benefits", "", "Child Benefit")])).content
    assert "Criterion 1: “Child Benefit” is not a benefits they get we know" in html.decode()
    assert not Service.objects.filter(name="Mansfield job club").exists()


@pytest.mark.django_db
def test_the_edit_page_shows_rows_and_saving_unchanged_adds_no_version(client: Client, partnership) -> None:
    client.force_login(partnership.admin.user)
    sid = seed_id("service", "talent-match")
    html = client.get(f"/directory/manage/{sid}/").content.decode()
    assert 'value="18 to 24"' in html
    assert "Eligibility rules (JSON)" not in html and "docs/decisions" not in html
    service = Service.objects.get(id=sid)
    before = service.current_rules()
    rows = rows_from_rules(before.rules)
    data = {
        "organisation": str(service.organisation_id),
        "name": service.name,
        "description": service.description,
        "areas": [a.area for a in service.service_areas.all()],
        "terms": [str(t.id) for t in service.terms.all()],
        "stated_as": before.stated_as,
        "combine": rows.combine,
        "criteria-TOTAL_FORMS": str(len(rows.rows)),
        "criteria-INITIAL_FORMS": str(len(rows.rows)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
    }
    for n, row in enumerate(rows.rows):
        data.update({f"criteria-{n}-{k}": v for k, v in vars(row).items()})
    assert client.post(f"/directory/manage/{sid}/", data).status_code == 302
    assert Service.objects.get(id=sid).current_rules().version == before.version


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_who_may_preview_or_save(client: Client, partnership, role) -> None:
    client.force_login(partnership.by_role()[role].user)
    org = DirectoryOrganisation.objects.first()
    status = client.post("/directory/manage/new/", _post(client, org, rows=[("age", "", "18")], extra={"preview": "1"}))
    assert status.status_code == (200 if role in (Role.PROGRAMME_MANAGER, Role.ADMINISTRATOR) else 403)
