"""The permission matrix: every page of the employers app, for every role (allowed and refused),
and employer A's people opening employer B's URLs."""

import pytest

pytestmark = pytest.mark.django_db

STAFF_VIEW = {"adviser_a", "adviser_b", "manager_a", "programme", "analyst"}
CHANGERS = {"adviser_a", "adviser_b", "manager_a", "programme"}
OWNER = {"adviser_a", "manager_a"}  # partner A holds both employers
CASE_A = {"adviser_a", "manager_a"}
ROLES = ["referrer", "adviser_a", "adviser_b", "manager_a", "programme", "analyst", "admin", "employer_a", "employer_b"]


def _routes(w):
    e, v, c, n, j = w.employer.pk, w.vacancy.pk, w.case.pk, w.nomination.pk, w.job.pk
    # name, args, {role: status} for those allowed; everyone else 403, unless listed as 404.
    return [
        ("employers:list", [], dict.fromkeys(STAFF_VIEW, 200), set()),
        ("employers:new", [], dict.fromkeys(CHANGERS, 200), set()),
        ("employers:detail", [e], dict.fromkeys(STAFF_VIEW | {"employer_a"}, 200), {"employer_b"}),
        ("employers:edit", [e], dict.fromkeys(OWNER | {"employer_a"}, 200), {"employer_b"}),
        ("employers:site_new", [e], dict.fromkeys(OWNER | {"employer_a"}, 200), {"employer_b"}),
        ("employers:contact_new", [e], dict.fromkeys(OWNER | {"employer_a"}, 200), {"employer_b"}),
        ("employers:engagement_new", [e], dict.fromkeys(CHANGERS, 200), set()),
        ("employers:invite", [e], {"manager_a": 200}, set()),
        ("employers:vacancy_new", [e], dict.fromkeys(OWNER | {"employer_a"}, 200), {"employer_b"}),
        ("employers:vacancies", [], dict.fromkeys(STAFF_VIEW, 200), set()),
        ("employers:vacancy", [v], dict.fromkeys(STAFF_VIEW | {"employer_a"}, 200), {"employer_b"}),
        ("employers:vacancy_edit", [v], dict.fromkeys(OWNER | {"employer_a"}, 200), {"employer_b"}),
        ("employers:put_forward", [v, c], dict.fromkeys(CASE_A, 200), {"adviser_b"}),
        ("employers:job_start", [v, c], dict.fromkeys(CASE_A, 200), {"adviser_b"}),
        ("employers:person_matches", [c], dict.fromkeys(CASE_A, 200), {"adviser_b"}),
        ("employers:preferences", [c], dict.fromkeys(CASE_A, 200), {"adviser_b"}),
        ("employers:nomination", [n], dict.fromkeys(CASE_A, 200), {"adviser_b"}),
        ("employers:job_support", [c, j], dict.fromkeys(CASE_A, 200), {"adviser_b"}),
        ("employers:adjustment_new", [c, j], dict.fromkeys(CASE_A, 200), {"adviser_b"}),
        ("employers:access_to_work", [c, j], dict.fromkeys(CASE_A, 200), {"adviser_b"}),
        ("employers:reminders", [], dict.fromkeys(CASE_A | {"adviser_b"}, 200), set()),
        ("employers:assessment_new", [e], dict.fromkeys(OWNER | {"employer_a"}, 200), {"employer_b"}),
        ("employers:advice_new", [e], dict.fromkeys(OWNER | {"employer_a"}, 200), {"employer_b"}),
        ("employers:absence_new", [e], dict.fromkeys(OWNER | {"employer_a"}, 200), {"employer_b"}),
        ("employers:portal", [], {"employer_a": 200, "employer_b": 200}, set()),
        ("employers:candidate", [n], {"employer_a": 200}, {"employer_b"}),
        ("employers:candidate_status", [n], {"employer_a": 200}, {"employer_b"}),
    ]


def _expected(allowed, not_found, role):
    if role in allowed:
        return allowed[role]
    return 404 if role in not_found else 403


def _sign_in(client, membership):
    client.force_login(membership.user)
    session = client.session
    session["membership_id"] = str(membership.pk)
    session.save()


def test_permission_matrix(client, world):
    from joinedup.core.urls import reverse

    members = world.members()
    failures = []
    for role in ROLES:
        client.logout()
        _sign_in(client, members[role])
        for name, args, allowed, not_found in _routes(world):
            status = client.get(reverse(name, args=args)).status_code
            want = _expected(allowed, not_found, role)
            if status != want:
                failures.append(f"{role} {name}: {status}, expected {want}")
    assert failures == []


def test_signed_out_is_sent_to_sign_in(client, world):
    from joinedup.core.urls import reverse

    for name, args, _allowed, _nf in _routes(world):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/sign-in/" in response["Location"], name


def test_public_pages_need_no_sign_in(client, world):
    assert client.get("/jobs/").status_code == 200
    assert client.get(f"/jobs/{world.vacancy.pk}/").status_code == 200
    assert client.get("/jobs/feed.json").status_code == 200
    # An employer who has not agreed to publish is not on the public page.
    assert client.get(f"/jobs/{world.other_vacancy.pk}/").status_code == 404


def test_employer_a_cannot_see_employer_b_vacancies_or_candidates(client, world):
    _sign_in(client, world.other_member)
    page = client.get("/employers/portal/").content.decode()
    assert "Asha Khan" not in page and "Care assistant" not in page
    assert "Warehouse operative" in page
    assert client.get(f"/employers/vacancies/{world.vacancy.pk}/").status_code == 404
    assert client.get(f"/employers/{world.employer.pk}/").status_code == 404
    assert client.get(f"/employers/portal/candidates/{world.nomination.pk}/").status_code == 404
    # Never a case record.
    assert client.get(f"/cases/{world.case.pk}/").status_code == 403


def test_employer_sees_candidate_with_consented_details_audited(client, world):
    from joinedup.audit.models import AuditEvent

    _sign_in(client, world.member)
    page = client.get(f"/employers/portal/candidates/{world.nomination.pk}/").content.decode()
    assert "Asha Khan" in page and "siobhan@example.com" in page
    assert AuditEvent.objects.filter(
        verb="viewed", person_id=world.case.person_id, organisation=world.member.organisation
    ).exists()


def test_employer_cannot_post_another_employers_forms(client, world):
    from joinedup.employers.models import Vacancy

    _sign_in(client, world.other_member)
    before = Vacancy.objects.count()
    response = client.post(f"/employers/{world.employer.pk}/vacancies/new/", {"title": "Sneaky"})
    assert response.status_code == 404
    assert Vacancy.objects.count() == before


def test_adviser_sees_other_partners_people_only_as_counts(client, world):
    from joinedup.employers.placement import PreferencesInput, work_preferences_set

    p = world.p
    other = p.enrol(
        p.assign(p.refer(given_name="Dee", family_name="Elsewhere"), partner=p.partner_b, adviser=p.adviser_b),
        adviser=p.adviser_b,
    )
    work_preferences_set(actor=p.adviser_b, case=other, data=PreferencesInput(travel_districts=["NG18"]))
    _sign_in(client, p.adviser_a)
    page = client.get(f"/employers/vacancies/{world.vacancy.pk}/").content.decode()
    assert "Dee Elsewhere" not in page
    assert "1 person at other partners may fit (Partner B: 1)" in page


def test_bad_vacancy_post_shows_message_and_saves_nothing(client, world):
    from joinedup.employers.models import Vacancy

    _sign_in(client, world.p.adviser_a)
    before = Vacancy.objects.count()
    data = {
        "title": "Cleaner",
        "site_id": str(world.employer.sites.get().pk),
        "description": "Cleaning\x00 <script>x</script>",
        "kind": "job",
        "hours_min": "20",
        "hours_max": "10",
        "pattern": "part_time",
        "contract_type": "permanent",
        "wage": "5.00",
        "wage_period": "hour",
        "age_band": "21_and_over",
        "openings": "1",
        "closing_on_0": "1",
        "closing_on_1": "1",
        "closing_on_2": "2020",
        "how_to_apply": "Ask",
        "status": "open",
    }
    response = client.post(f"/employers/{world.employer.pk}/vacancies/new/", data)
    assert response.status_code == 400
    assert Vacancy.objects.count() == before
    data.update({"description": "Cleaning", "closing_on_2": "2099"})
    response = client.post(f"/employers/{world.employer.pk}/vacancies/new/", data)
    assert response.status_code == 400 and "fewer than the fewest" in response.content.decode()
    data.update({"hours_max": "24"})
    response = client.post(f"/employers/{world.employer.pk}/vacancies/new/", data)
    assert response.status_code == 400 and "below the minimum" in response.content.decode()
    assert Vacancy.objects.count() == before


def test_duplicate_employer_flagged_on_the_form(client, world):
    from joinedup.employers.models import Employer

    _sign_in(client, world.p.adviser_b)
    data = {"name": "Sherwood Care", "sic_section": "Q", "size_band": "medium", "postcode": "NG18 1AB", "site_name": ""}
    response = client.post("/employers/new/", data)
    assert response.status_code == 400
    assert "This may be Sherwood Care Ltd" in response.content.decode()
    assert Employer.objects.count() == 2
    response = client.post("/employers/new/", {**data, "companies_house_number": "12AB"})
    assert "8 characters" in response.content.decode()
    response = client.post("/employers/new/", {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302 and Employer.objects.count() == 3


def test_employer_records_how_it_went_and_the_adviser_sees_it(client, world):
    from joinedup.audit.models import AuditEvent
    from joinedup.employers.models import Nomination

    _sign_in(client, world.member)
    url = f"/employers/portal/candidates/{world.nomination.pk}/status/"
    assert "Update how it went" in client.get(f"/employers/portal/candidates/{world.nomination.pk}/").content.decode()
    page = client.get(url).content.decode()
    assert "Invited to interview" in page and "Started" not in page and "Withdrew" not in page
    # "Started" is the adviser's (from the job start): refused with a message, nothing saved.
    response = client.post(url, {"status": "started"})
    assert response.status_code == 400 and "Select" in response.content.decode()
    assert Nomination.objects.get(pk=world.nomination.pk).status == "put_forward"
    response = client.post(url, {"status": "interview"})
    assert response.status_code == 302
    assert Nomination.objects.get(pk=world.nomination.pk).status == "interview"
    event = AuditEvent.objects.get(verb="status_changed", person_id=world.case.person_id)
    assert event.organisation == world.member.organisation and event.payload["by_employer"] is True
    # The adviser sees it on the person's matches page.
    client.logout()
    _sign_in(client, world.p.adviser_a)
    page = client.get(f"/employers/people/{world.case.pk}/").content.decode()
    assert "Invited to interview" in page


def test_employer_b_cannot_move_employer_a_candidates(client, world):
    from joinedup.employers.models import Nomination

    _sign_in(client, world.other_member)
    response = client.post(f"/employers/portal/candidates/{world.nomination.pk}/status/", {"status": "offer"})
    assert response.status_code == 404
    assert Nomination.objects.get(pk=world.nomination.pk).status == "put_forward"
