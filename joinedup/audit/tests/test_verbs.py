"""Audit verbs are a registry checked in code (`AuditVerb`), not the column's choices."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from joinedup.audit import models
from joinedup.audit.admin import AuditEventAdmin, VerbFilter
from joinedup.audit.models import AuditEvent, AuditVerb, verb_label
from joinedup.audit.services import audit_record


@pytest.mark.django_db
def test_an_unknown_verb_is_refused_and_nothing_is_written(partnership):
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="Unknown audit verb 'peeked'"):
        audit_record(actor=partnership.adviser_a.user, verb="peeked", target=partnership.partner_a)
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_known_verb_is_written_and_shown_by_its_label(partnership):
    event = audit_record(actor=partnership.adviser_a.user, verb=AuditVerb.MERGE_REVERSED, target=partnership.partner_a)
    event.refresh_from_db()
    assert event.verb == "merge_reversed"
    assert event.get_verb_display() == "Reversed a merge"


def test_every_verb_shows_the_label_it_always_had():
    for verb in AuditVerb:
        assert AuditEvent(verb=verb.value).get_verb_display() == verb.label
    assert verb_label("retired") == "retired"  # a code no longer declared shows as itself, as Django did
    assert AuditEvent._meta.get_field("verb").choices is None


def test_the_verb_registry_is_checked_at_start_up(monkeypatch):
    models.check_registry()
    monkeypatch.setattr(AuditEvent._meta.get_field("verb"), "max_length", 10)
    with pytest.raises(RuntimeError, match="status_changed is longer than the 10 characters"):
        models.check_registry()


@pytest.mark.django_db
def test_the_admin_lists_and_filters_by_the_verbs_labels(partnership):
    event = audit_record(actor=partnership.adviser_a.user, verb=AuditVerb.NOTIFIED, target=partnership.partner_a)
    model_admin = AuditEventAdmin(AuditEvent, admin.site)
    assert model_admin.verb_shown(event) == "Sent a notification"
    request = RequestFactory().get("/", {"verb": "notified"})
    verb_filter = VerbFilter(request, {"verb": ["notified"]}, AuditEvent, model_admin)
    assert list(verb_filter.lookups(request, model_admin)) == AuditVerb.choices
    assert list(verb_filter.queryset(request, AuditEvent.objects.all())) == [event]
