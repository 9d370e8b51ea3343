"""The employers journey in a real browser, JavaScript off: an adviser finds a vacancy for a person,
puts them forward with their consent, the employer signs in, sees the candidate and records an
interview invitation, and the adviser
records the job start from the vacancy (employer and job title carried over). Phone width too."""

from __future__ import annotations

import pytest
from django.utils import timezone

from joinedup.employers.placement import PreferencesInput, work_preferences_set
from joinedup.testkit.employers import employer, employer_member, vacancy

from .helpers import visitor

pytestmark = pytest.mark.browser


def test_vacancy_put_forward_employer_sees_candidate_then_job_start(
    browser, live_server, screenshots, partnership_live
):
    p = partnership_live
    case = p.enrol(p.assign(p.refer(given_name="Asha", family_name="Khan")))
    work_preferences_set(actor=p.adviser_a, case=case, data=PreferencesInput(travel_districts=["NG18"], kinds=["job"]))
    care = employer(p.adviser_a, publishes_vacancies=True)
    vacancy(p.adviser_a, care)
    member = employer_member(care)

    with visitor(browser, live_server, screenshots, javascript=False) as adviser:
        page = adviser.page
        adviser.sign_in("adviser_a")
        adviser.goto(f"/cases/{case.pk}/")
        page.get_by_role("link", name="Work and vacancies").click()
        page.wait_for_load_state()
        match = page.locator('[data-testid="match"]').filter(has_text="Care assistant")
        assert "Can travel to NG18, where the job is" in match.inner_text()  # travel_districts set above
        adviser.shot("employers-01-vacancies-for-person")
        match.get_by_role("link", name="Put forward").click()
        page.wait_for_load_state()
        adviser.submit("Put forward")  # without consent: refused, nothing saved
        assert "must agree" in page.locator(".govuk-error-summary").inner_text()
        page.get_by_label("The person agrees to their name being shared with this employer for this vacancy").check()
        page.get_by_label("They also agree to share their email and phone").check()
        adviser.submit("Put forward")
        adviser.assert_no_error_summary()
        assert "Put forward" in page.locator('[data-testid="nominations"]').inner_text()

        with visitor(browser, live_server, screenshots, javascript=False) as boss:
            boss.sign_in(member.user.username)
            boss.menu("Your organisation")
            candidates = boss.page.locator('[data-testid="candidates"]')
            assert "Asha Khan" in candidates.inner_text()
            candidates.get_by_role("link", name="Asha Khan").click()
            boss.page.wait_for_load_state()
            assert "siobhan@example.com" in boss.page.content()
            boss.shot("employers-02-employer-sees-candidate")
            boss.page.get_by_role("link", name="Update how it went").click()  # the employer's own step
            boss.page.wait_for_load_state()
            boss.page.get_by_label("Invited to interview").check()
            boss.submit("Update")
            boss.assert_no_error_summary()
            assert "Invited to interview" in boss.page.content()
            response = boss.page.goto(live_server.url + f"/cases/{case.pk}/")
            assert response is not None and response.status == 403  # never a case record

        page.reload()
        assert "Invited to interview" in page.locator('[data-testid="nominations"]').inner_text()  # the adviser sees it
        page.get_by_role("link", name="Record job start").click()
        page.wait_for_load_state()
        adviser.fill_date("start_date", timezone.localdate())
        adviser.submit("Record job start")
        adviser.assert_no_error_summary()
        assert "Care assistant, Sherwood Care Ltd" in page.content()  # carried over from the vacancy
        adviser.shot("employers-03-job-start-from-vacancy")


def test_employer_pages_fit_a_phone(browser, live_server, screenshots, partnership_live):
    p = partnership_live
    care = employer(p.adviser_a, publishes_vacancies=True)
    v = vacancy(p.adviser_a, care)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        for path in ("/jobs/", f"/jobs/{v.pk}/"):
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a 390px phone"
        page.screenshot(path=str(screenshots / "employers-04-job-on-phone.png"), full_page=True)
    finally:
        context.close()
