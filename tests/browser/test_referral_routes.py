"""Blended referrals in a real browser: self-referral on the public site; a GP referral through
triage (matching shown), declined by one partner, re-routed and accepted by another, with the
referrer seeing each status."""

from __future__ import annotations

import re
from datetime import date

import pytest

from joinedup.directory.models import DirectoryOrganisation, EligibilityRuleSet, Lifecycle, Service, ServiceArea
from joinedup.organisations.models import Role
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral
from joinedup.testkit import MembershipFactory

from .helpers import Visitor, visitor

pytestmark = pytest.mark.browser
REFERENCE = re.compile(r"JU-[A-Z2-9]{7}")


def published(name: str, rules: dict, *, area: str = "") -> Service:
    """A published directory service (live-server tests start from flushed tables, so make our own)."""
    org, _ = DirectoryOrganisation.objects.get_or_create(name="Test provider", defaults={"description": "Tests"})
    service = Service.objects.create(organisation=org, name=name, lifecycle=Lifecycle.PUBLISHED)
    EligibilityRuleSet.objects.create(service=service, version=1, rules=rules)
    if area:
        ServiceArea.objects.create(service=service, area=area, name=area.title())
    return service


def fill_common(v: Visitor, *, given: str, family: str) -> None:
    page = v.page
    page.get_by_label(re.compile("first name", re.I)).fill(given)
    page.get_by_label(re.compile("last name", re.I)).fill(family)
    v.fill_date("date_of_birth", date(1979, 11, 3))
    page.get_by_label("Postcode").fill("ng19 7aa")
    page.get_by_label("Unemployed and looking for work").check()
    page.get_by_label("Universal Credit with limited capability for work (LCW)").check()
    page.get_by_label("Mental health (for example anxiety or depression)").check()


def referrer_steps(v: Visitor, reference: str) -> dict[str, str]:
    v.menu("Your referrals")
    v.page.get_by_role("link", name=reference).click()
    loop = v.page.get_by_test_id("loop")
    return {li.get_attribute("data-step"): li.get_attribute("data-done") for li in loop.locator("[data-step]").all()}


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_self_referral_on_the_public_site(browser, live_server, transactional_db, screenshots, settings, javascript):
    settings.SELF_REFERRAL_MIN_SECONDS = 0  # the signed-timestamp check is tested without a browser
    with visitor(browser, live_server, screenshots, javascript=javascript) as person:
        page = person.page
        person.goto("/")
        page.get_by_role("link", name="refer yourself").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Refer yourself for help with health and work"
        assert page.locator("#id_website").evaluate("e => e.closest('[aria-hidden=true]') !== null")
        person.submit("Send my referral")  # empty: every problem listed at once, nothing saved
        assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
        assert Referral.objects.count() == 0
        fill_common(person, given="Aoife", family="Ní Dhomhnaill")
        page.get_by_label("What would you like help with?").fill("Finding work I can manage with my anxiety")
        page.get_by_label("I agree to be referred to the service and for it to keep my details").check()
        person.shot(f"20-self-referral-form-{'js' if javascript else 'no-js'}")
        person.submit("Send my referral")
        person.assert_no_error_summary()
        reference = page.get_by_test_id("reference").inner_text().strip()
        assert REFERENCE.fullmatch(reference)
        assert "Aoife" not in page.content()
        person.shot(f"21-self-referral-sent-{'js' if javascript else 'no-js'}")
        assert not person.problems, person.problems
    referral = Referral.objects.get(reference=reference)
    assert referral.route == "self" and referral.person.family_name == "Ní Dhomhnaill"


def test_gp_referral_through_triage_to_acceptance(browser, live_server, partnership_live, screenshots):
    p = partnership_live
    manager_b = MembershipFactory(user__username="manager_b", organisation=p.partner_b, role=Role.PARTNER_MANAGER)
    fits = published(
        "Mansfield mental health and work service",
        {
            "all": [
                {"criterion": "health_condition", "any_of": ["mental_health"]},
                {"criterion": "area", "areas": ["nottinghamshire"]},
            ]
        },
        area="nottinghamshire",
    )
    published("Youth jobs club", {"criterion": "age", "min": 16, "max": 24})
    published("Ask us", {"stated": False})

    # 1. The GP refers through the GP route, with the questions a GP can answer.
    with visitor(browser, live_server, screenshots) as gp:
        gp.sign_in("referrer")
        gp.menu("Make a referral")
        gp.page.get_by_role("link", name="As a GP").click()
        fill_common(gp, given="Ellis", family="Wójcik")
        gp.page.get_by_label("NHS number", exact=True).fill("943 476 5919")
        gp.page.get_by_label("What do they want help with?").fill("Back to work after a long spell of depression")
        gp.page.get_by_label("May be fit for work, with adjustments").check()
        gp.page.get_by_label("The person agrees to be referred to the service").check()
        gp.page.get_by_label("The person agrees that the service can tell you how they are getting on").check()
        gp.submit("Send referral")
        gp.assert_no_error_summary()
        reference = gp.page.get_by_test_id("reference").inner_text().strip()
        assert referrer_steps(gp, reference) == {
            "received": "yes",
            "accepted": "no",
            "enrolled": "no",
            "started_work": "no",
        }
        assert not gp.problems, gp.problems
    assert Referral.objects.get(reference=reference).details == {"fit_note": "may_be_fit"}

    # 2. The triage officer sees the matching and sends it to Partner A for the fitting service.
    def route_to(partner: str) -> None:
        with visitor(browser, live_server, screenshots) as officer:
            officer.sign_in("programme")
            officer.menu("Triage queue")
            officer.page.get_by_role("link", name=reference).click()
            eligible = officer.page.get_by_test_id("eligible")
            assert fits.name in eligible.inner_text()
            officer.page.get_by_test_id("unknown-details").locator("summary").click()  # folded away
            unknown = officer.page.get_by_test_id("unknown").inner_text()
            assert "Ask us" in unknown and "Ask the provider whether this person is eligible." in unknown
            ruled_out = officer.page.get_by_test_id("ruled-out")
            ruled_out.locator("summary").click()
            assert "Youth jobs club" in ruled_out.inner_text() and "this person is 4" in ruled_out.inner_text()
            form = officer.page.locator("#route")
            form.get_by_label(f"{fits.name} (eligible)").check()
            form.get_by_label("Delivery partner").select_option(label=partner)
            officer.shot(f"22-triage-matching-{partner[-1]}")
            officer.submit("Send to the delivery partner")
            officer.assert_no_error_summary()
            assert f"sent to {partner}" in officer.page.locator(".govuk-notification-banner").inner_text()
            assert not officer.problems, officer.problems

    route_to("Partner A")
    with visitor(browser, live_server, screenshots) as gp:
        gp.sign_in("referrer")
        steps = referrer_steps(gp, reference)
        assert steps["routed"] == "yes" and steps["accepted"] == "no"

    # 3. Partner A has no places: it declines with a declared reason, and the referral goes back.
    with visitor(browser, live_server, screenshots) as manager:
        manager.sign_in("manager_a")
        manager.menu("Referrals sent to you")
        manager.page.get_by_role("link", name=reference).click()
        decline = manager.page.locator("#decline")
        decline.get_by_label("The service has no places at the moment").check()
        decline.get_by_label("Why is the referral declined?").fill("Full until the new year")
        manager.submit("Decline referral")
        manager.assert_no_error_summary()
        assert not manager.problems, manager.problems
    assert Referral.objects.get(reference=reference).status == statuses.RETURNED
    with visitor(browser, live_server, screenshots) as gp:
        gp.sign_in("referrer")
        steps = referrer_steps(gp, reference)
        assert steps["returned"] == "yes" and steps["accepted"] == "no"
        text = gp.page.get_by_test_id("loop").inner_text()
        assert "Declined by Partner A" in text and "no places at the moment. Full until the new year" in text

    # 4. Re-routed to Partner B without re-keying; Partner B accepts and picks a Personal Adviser.
    route_to("Partner B")
    with visitor(browser, live_server, screenshots) as manager:
        manager.sign_in(manager_b.user.username)
        manager.menu("Referrals sent to you")
        manager.page.get_by_role("link", name=reference).click()
        accept = manager.page.locator("#accept")
        accept.get_by_label("Personal Adviser").select_option(value=str(p.adviser_b.user_id))
        manager.shot("23-partner-accepts")
        manager.submit("Accept referral")
        manager.assert_no_error_summary()
        assert f"Referral {reference} accepted" in manager.page.locator(".govuk-notification-banner").inner_text()
        assert not manager.problems, manager.problems

    # 5. The referrer sees it accepted by Partner B.
    with visitor(browser, live_server, screenshots) as gp:
        gp.sign_in("referrer")
        steps = referrer_steps(gp, reference)
        assert steps["received"] == "yes" and steps["returned"] == "yes" and steps["accepted"] == "yes"
        assert "Partner B" in gp.page.get_by_test_id("loop").inner_text()
        gp.shot("24-referrer-sees-accepted")
        assert not gp.problems, gp.problems
    referral = Referral.objects.get(reference=reference)
    assert (referral.status, referral.delivery_partner, referral.service) == (statuses.ASSIGNED, p.partner_b, fits)
    assert Referral.objects.count() == 1
