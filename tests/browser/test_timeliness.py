"""The programme manager finds overdue referrals and partners' responsiveness from the triage queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.referrals.models import Referral

from .helpers import visitor

pytestmark = pytest.mark.browser


def test_timeliness_from_the_triage_queue(browser, live_server, screenshots, partnership_live):
    p = partnership_live
    late = p.refer(given_name="Noor")
    Referral.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(days=10))
    p.assign(p.refer())
    with visitor(browser, live_server, screenshots, javascript=False) as manager:
        page = manager.page
        manager.sign_in("programme")
        manager.menu("Triage queue")
        page.get_by_role("link", name="Overdue referrals and how quickly partners respond").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Timeliness").is_visible()
        assert late.reference in page.get_by_test_id("untriaged").inner_text()
        partner_a = page.locator('tr[data-partner="Partner A"]').inner_text()
        assert "100%" in partner_a
        manager.shot("timeliness-01-programme-manager")
        page.get_by_role("link", name=late.reference).click()
        page.wait_for_load_state()
        assert late.reference in page.content()
        assert manager.problems == []
