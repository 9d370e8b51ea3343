"""The synthetic declarations: every domain model declared or excused, columns from the model, and
the demo partnership making rows of every declared model."""

from __future__ import annotations

import pytest
from django.apps import apps

from joinedup.demo.synth.base import NULL
from joinedup.demo.synthetic import NOT_SYNTHESISED, columns, declarations, row_maker

NOT_DOMAIN = {"core", "demo"}  # the ground floor and this app: no domain records


def _domain_models() -> list[type]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("joinedup.")
        and m._meta.app_label not in NOT_DOMAIN
        and m._meta.managed
        and not m._meta.proxy
    ]


def test_every_concrete_domain_model_is_declared_or_on_the_not_synthesised_list():
    declared = {d.label for d in declarations()}
    models = {m._meta.label for m in _domain_models()}
    missing = sorted(models - declared - set(NOT_SYNTHESISED))
    assert not missing, (
        f"{missing}: declare each in joinedup/demo/synthetic/<app>.py, or add it to NOT_SYNTHESISED with the reason"
    )
    assert not declared & set(NOT_SYNTHESISED), "declared and excused at once"
    assert set(NOT_SYNTHESISED) <= models, f"no such models: {sorted(set(NOT_SYNTHESISED) - models)}"
    assert all(reason.strip() for reason in NOT_SYNTHESISED.values())


def test_declarations_load_after_the_declared_models_they_refer_to():
    order = [d.model for d in declarations()]
    for k, model in enumerate(order):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in order and f.related_model is not model:
                assert order.index(f.related_model) < k, f"{model._meta.label}.{f.name} before its target"


def test_each_declaration_says_how_the_demo_makes_its_rows():
    assert all(d.demo.strip() for d in declarations())


def test_a_row_takes_the_models_fields_by_name_and_fills_the_rest_with_their_defaults():
    from joinedup.referrals.models import ReferralStatusChange

    fields = columns(ReferralStatusChange)
    assert "id" not in [f.name for f in fields]  # an auto-incremented key: the database numbers it
    assert [f.name for f in fields] == [f.name for f in ReferralStatusChange._meta.concrete_fields if f.name != "id"]
    row = row_maker(ReferralStatusChange)
    given = {"referral": "r1", "from_status": "", "to_status": "received", "at": "2026-01-01 10:00:00", "by": 7}
    values = dict(zip([f.name for f in fields], row(**given, by_organisation="o1")[:-1].split("\t"), strict=True))
    assert values["referral"] == "r1" and values["by"] == "7" and values["reason"] == ""
    assert values["service"] == NULL  # may be null, not given
    with pytest.raises(TypeError, match="referral"):
        row(**{k: v for k, v in given.items() if k != "referral"}, by_organisation="o1")  # no default: must be given
    with pytest.raises(TypeError, match="colour"):
        row(**given, by_organisation="o1", colour="red")  # not a field


@pytest.mark.django_db
def test_the_demo_partnership_makes_rows_of_every_declared_model():
    from joinedup.demo.demo import load_demo

    load_demo(people=30)
    empty = [d.label for d in declarations() if not d.model.objects.exists()]
    assert not empty, f"the demo makes no {empty}: make them in joinedup/demo/demo.py through the services"
