"""A programme manager sets up a programme and its tariff, opens the performance page, drills into a
figure, makes a claim batch and exports the ESF return (issue 15)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from joinedup.programmes import services
from joinedup.programmes.models import Participation, Programme
from joinedup.referrals.models import Referral

from .helpers import visitor

pytestmark = pytest.mark.browser


def _participant(p, days_ago: int) -> None:
    referral = p.refer(given_name="Aoife")
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(days=days_ago + 1))
    referral.refresh_from_db()
    case = p.enrol(p.assign(referral), days_ago=days_ago)
    from joinedup.programmes.services.participants import EsfInput

    services.esf_record(
        actor=p.adviser_a,
        participation=Participation.objects.get(case=case),
        data=EsfInput(
            "female", "long_term_unemployed", "isced2", "yes", "no", "no", "no", "no", "no", "yes", "no", "no"
        ),
    )


def test_programme_manager_sets_up_and_claims(browser, live_server, screenshots, partnership_live):
    p = partnership_live
    today = timezone.localdate()
    starts = date(today.year - 1, 1, 1)
    with visitor(browser, live_server, screenshots, javascript=False) as manager:
        page = manager.page
        manager.sign_in("programme")
        manager.menu("Programmes")
        page.get_by_role("link", name="Set up a programme").click()
        page.get_by_label("Programme name").fill("Integrated Health and Employment Service")
        page.get_by_label("Short code").fill("ihes")
        page.get_by_label("1.4 Active inclusion").check()
        manager.fill_date("starts_on", starts)
        manager.fill_date("ends_on", date(today.year + 2, 12, 31))
        page.get_by_label("Contract value in pounds").fill("1000000")
        page.get_by_label("Funder 1", exact=True).fill("European Social Fund")
        page.get_by_label("Funder 1: kind of funding").select_option("esf")
        page.get_by_label("Funder 1: share in per cent").fill("50")
        page.get_by_label("Funder 2", exact=True).fill("County council")
        page.get_by_label("Funder 2: kind of funding").select_option("match")
        page.get_by_label("Funder 2: share in per cent").fill("40")
        manager.submit("Set up the programme")
        assert "must add up to 100%" in page.locator(".govuk-error-summary").inner_text()
        page.get_by_label("Funder 2: share in per cent").fill("50")
        manager.submit("Set up the programme")
        manager.assert_no_error_summary()
        manager.shot("programmes-01-set-up")

        page.get_by_role("link", name="Contract a delivery partner").click()
        page.get_by_label("Delivery partner").select_option(label="Partner A")
        page.get_by_label("Allocated starts").fill("300")
        page.get_by_label("Contract value in pounds").fill("500000")
        manager.submit("Save contract")
        manager.assert_no_error_summary()

        page.get_by_role("link", name="Set the tariff").click()
        page.get_by_label("Outcome payments only").check()
        page.get_by_label("Price per participant in pounds").fill("3000")
        page.get_by_label("Attachment: share in per cent").fill("50")
        page.get_by_label("Attachment: what counts").fill("Enrolled with eligibility evidenced")
        page.get_by_label("Job entry: share in per cent").fill("20")
        page.get_by_label("Job entry: which job starts count").fill("16 hours a week or more")
        page.get_by_label("Job entry: fewest hours a week").fill("16")
        page.get_by_label("Sustained: share in per cent").fill("30")
        page.get_by_label("Sustained: how sustainment is measured").fill("26 weeks in work")
        manager.submit("Save tariff")
        manager.assert_no_error_summary()
        assert "Attachment: 50% (£1,500.00)" in page.get_by_text("Attachment: 50%").inner_text()
        programme = Programme.objects.get(code="ihes")

        _participant(p, days_ago=20)  # an adviser enrols someone: they join the programme and are attached

        page.get_by_role("link", name="Performance").click()
        page.wait_for_load_state()
        assert page.locator("svg[role=img] title").count() == 1
        manager.shot("programmes-02-performance")
        page.get_by_test_id("by_month").locator("a[data-drill]").first.click()
        page.wait_for_load_state()
        assert "Aoife" in page.get_by_test_id("participants").inner_text()

        manager.goto(f"/programmes/{programme.pk}/claims/")
        page.get_by_label("Delivery partner").select_option(label="Partner A")
        manager.submit("Gather the month's claims")
        manager.assert_no_error_summary()
        assert "£1,500.00" in page.get_by_test_id("batch").inner_text()
        assert "Enrolled on" in page.get_by_test_id("claims").inner_text()
        manager.shot("programmes-03-claim-batch")
        page.get_by_role("button", name="Submit the claim").click()
        page.wait_for_load_state()
        assert "Submitted" in page.get_by_test_id("batch").inner_text()

        manager.goto(f"/programmes/{programme.pk}/esf/")
        co02 = page.locator('tr[data-indicator="CO02"] td[data-total]').inner_text()
        assert co02.split()[0] == "1"
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the participant-level data (CSV)").click()
        text = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
        assert "long-term unemployed (CO02)" in text
        manager.shot("programmes-04-esf-return")
        assert manager.problems == []
