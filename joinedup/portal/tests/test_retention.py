"""The person's sign-ins and sessions are kept only for `portal_sign_ins` (governance.retention):
the retention run deletes them after it, and keeps the newer ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.governance.retention import PORTAL_SIGN_INS, RULES
from joinedup.governance.retention_run import retention_run
from joinedup.portal.models import PersonSession, SignIn

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def test_the_retention_run_deletes_old_sign_ins_and_sessions(alice):
    assert RULES["portal_sign_ins"].legal_basis and PORTAL_SIGN_INS.default_days <= 90  # declared, short
    sign_in(Client(), alice.email)  # an old sign-in and its session
    Client().post("/you/sign-in/", {"address": "nobody@example.com"})  # an old request for no one
    old = timezone.now() - timedelta(days=PORTAL_SIGN_INS.days + 1)
    SignIn.objects.update(created_at=old)
    PersonSession.objects.update(created_at=old, idle_until=old, expires_at=old + timedelta(hours=2))
    sign_in(Client(), alice.email)  # today's: kept
    assert (SignIn.objects.count(), PersonSession.objects.count()) == (3, 2)

    report = retention_run(dry_run=True)
    assert report.records["portal_sign_ins"] == 3
    assert (SignIn.objects.count(), PersonSession.objects.count()) == (3, 2)  # a dry run changes nothing

    report = retention_run(dry_run=False)
    assert report.records["portal_sign_ins"] == 3
    assert SignIn.objects.count() == 1 and PersonSession.objects.count() == 1
    assert SignIn.objects.get().created_at > old and PersonSession.objects.get().expires_at > timezone.now()
