"""The programmes pages: the permission matrix for every route and role, and the main journeys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from joinedup.audit.models import AuditEvent
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.organisations.models import Role
from joinedup.programmes import services
from joinedup.programmes.models import Claim, ClaimBatch, JobEntry, Participation, Programme

from .conftest import enrol_back, esf_input

pytestmark = pytest.mark.django_db

PM, AN, PAM, PA, REF, ADM = (
    Role.PROGRAMME_MANAGER,
    Role.ANALYST,
    Role.PARTNER_MANAGER,
    Role.PERSONAL_ADVISER,
    Role.REFERRER,
    Role.ADMINISTRATOR,
)
ROLES = [PM, AN, PAM, PA, REF, ADM]


@pytest.fixture
def world(partnership, programme):
    case = enrol_back(partnership, 300)
    participation = Participation.objects.get(case=case)
    services.esf_record(actor=partnership.adviser_a, participation=participation, data=esf_input())
    job = partnership.job_start(case, days_ago=250)
    batch = services.claims_batch_generate(
        actor=partnership.manager_a,
        programme=programme,
        partner_id=partnership.partner_a.pk,
        month=timezone.localdate().replace(day=1),
    )
    entry = JobEntry.objects.get(job_start_id=job.pk)
    return {
        "p": programme.pk,
        "c": case.pk,
        "b": batch.pk,
        "e": entry.pk,
        "claim": batch.claims.get(outcome="attachment").pk,
    }


# (path, the roles allowed a GET; everyone else is refused with a 403)
ROUTES = [
    ("/programmes/", {PM, AN, PAM}),
    ("/programmes/new/", {PM}),
    ("/programmes/{p}/", {PM, AN, PAM}),
    ("/programmes/{p}/targets/new/", {PM}),
    ("/programmes/{p}/contracts/new/", {PM}),
    ("/programmes/{p}/budgets/new/", {PM}),
    ("/programmes/{p}/tariff/", {PM}),
    ("/programmes/{p}/esf/", {PM, AN}),
    ("/programmes/{p}/esf/CO01/", {PM}),
    ("/programmes/{p}/esf/participants.csv", {PM}),
    ("/programmes/{p}/performance/", {PM, AN}),
    ("/programmes/{p}/performance/participants/", {PM}),
    ("/programmes/{p}/costs/", {PM, AN}),
    ("/programmes/{p}/fairness/", {PM, AN}),
    ("/programmes/{p}/claims/", {PM, PAM}),
    ("/programmes/{p}/claims/{b}/", {PM, PAM}),
    ("/programmes/follow-ups/", {PA, PAM}),
    ("/programmes/case/{c}/", {PA, PAM}),
    ("/programmes/case/{c}/programme/", {PA, PAM}),
    ("/programmes/case/{c}/esf/", {PA, PAM}),
    ("/programmes/case/{c}/leaving/", {PA, PAM}),
    ("/programmes/case/{c}/follow-up/", {PA, PAM}),
    ("/programmes/case/{c}/courses/new/", {PA, PAM}),
    ("/programmes/case/{c}/expenses/new/", {PA, PAM}),
    ("/programmes/case/{c}/job-entries/{e}/withdraw/", {PAM}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "allowed"), ROUTES, ids=[r[0] for r in ROUTES])
def test_permission_matrix(client, partnership, world, role, path, allowed):
    client.force_login(partnership.by_role()[role].user)
    response = client.get(path.format(**world))
    assert response.status_code == (200 if role in allowed else 403), response.content[:300]


def test_the_other_partner_cannot_see_a_case_or_a_batch(client, partnership, world):
    from joinedup.testkit import MembershipFactory

    manager_b = MembershipFactory(user__username="manager_b", organisation=partnership.partner_b, role=PAM)
    client.force_login(partnership.adviser_b.user)
    assert client.get(f"/programmes/case/{world['c']}/").status_code == 404
    client.force_login(manager_b.user)
    assert client.get(f"/programmes/{world['p']}/claims/{world['b']}/").status_code == 404
    assert client.get(f"/programmes/{world['p']}/").status_code == 404  # partner B is not contracted


def test_anonymous_is_sent_to_sign_in(client, world):
    assert client.get(f"/programmes/{world['p']}/esf/").status_code == 302


def test_setting_up_a_programme_through_the_pages(client, partnership):
    client.force_login(partnership.programme.user)
    data = {
        "name": "Working Well",
        "code": "ww",
        "investment_priority": "1.4",
        "starts_on_0": "1", "starts_on_1": "4", "starts_on_2": "2025",
        "ends_on_0": "31", "ends_on_1": "3", "ends_on_2": "2028",
        "contract_value": "2000000",
        "funder_1_name": "ESF", "funder_1_kind": "esf", "funder_1_share": "50",
        "funder_2_name": "GMCA", "funder_2_kind": "match", "funder_2_share": "40",
    }  # fmt: skip
    response = client.post("/programmes/new/", data)
    assert response.status_code == 400 and "must add up to 100%" in response.content.decode()
    data["funder_2_share"] = "50"
    response = client.post("/programmes/new/", data)
    assert response.status_code == 302
    programme = Programme.objects.get(code="ww")
    tariff = {
        "model": "outcomes",
        "price_per_participant": "3000",
        "attachment_share": "50", "attachment_definition": "Enrolled",
        "job_entry_share": "20", "job_entry_definition": "16 hours", "job_entry_min_hours": "16",
        "sustained_share": "20", "sustained_definition": "26 weeks", "sustained_weeks": "26",
    }  # fmt: skip
    response = client.post(f"/programmes/{programme.pk}/tariff/", tariff)
    assert response.status_code == 400 and "add up to 90%" in response.content.decode()
    tariff["sustained_share"] = "30"
    assert client.post(f"/programmes/{programme.pk}/tariff/", tariff).status_code == 302
    response = client.post(
        f"/programmes/{programme.pk}/targets/new/",
        {"year": "2030", "starts": "10", "job_entries": "5", "sustained_jobs": "2"},
    )
    assert response.status_code == 400 and "2030 is outside the programme" in response.content.decode()
    assert "50%" in client.get(f"/programmes/{programme.pk}/").content.decode()


def test_hostile_input_gets_a_4xx(client, partnership, world):
    client.force_login(partnership.programme.user)
    for value in ("\x00", "<script>alert(1)</script>", "'; DROP TABLE programmes;--", "ł" * 5000):
        response = client.post("/programmes/new/", {"name": value, "code": value, "contract_value": value})
        assert response.status_code == 400
    assert client.get(f"/programmes/{world['p']}/esf/NOPE/").status_code == 404
    assert client.get(f"/programmes/{world['p']}/performance/?year=abc&cohort=<x>&partner=zz").status_code == 200
    assert client.get(f"/programmes/{world['p']}/performance/?export=csv&table=nope").status_code == 404


def test_esf_return_drills_into_a_figure_and_exports(client, partnership, world):
    client.force_login(partnership.programme.user)
    page = client.get(f"/programmes/{world['p']}/esf/").content.decode()
    assert f"/programmes/{world['p']}/esf/CO02/?period=all&amp;gender=female" in page
    people = client.get(f"/programmes/{world['p']}/esf/CO02/?period=all&gender=female").content.decode()
    assert "Siobhán" in people
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED, payload__indicator="CO02").exists()
    export = client.get(f"/programmes/{world['p']}/esf/participants.csv").content.decode()
    assert "long-term unemployed (CO02)" in export
    assert AuditEvent.objects.filter(verb=AuditVerb.EXPORTED).exists()


def test_performance_exports_csv_and_xlsx(client, partnership, world):
    import io

    client.force_login(partnership.analyst.user)
    year = timezone.localdate().year
    page = client.get(f"/programmes/{world['p']}/performance/?year={year}").content.decode()
    assert "<svg" in page and 'role="img"' in page and "<title" in page
    csv_text = client.get(
        f"/programmes/{world['p']}/performance/?year={year}&export=csv&table=by_month"
    ).content.decode()
    assert csv_text.splitlines()[0].startswith("Month,Starts")
    xlsx = client.get(f"/programmes/{world['p']}/performance/?year={year}&export=xlsx&table=by_partner").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    assert [c.value for c in next(sheet.iter_rows())][:2] == ["Delivery partner", "Starts"]


def test_a_batch_through_the_pages(client, partnership, world):
    client.force_login(partnership.manager_a.user)
    url = f"/programmes/{world['p']}/claims/{world['b']}/"
    assert client.post(url, {"move": "submit"}).status_code == 302
    client.force_login(partnership.programme.user)
    claim_url = f"{url}{world['claim']}/reject/"
    assert client.post(claim_url, {"reason": ""}).status_code == 400
    assert client.post(claim_url, {"reason": "No award letter"}).status_code == 302
    assert client.post(f"{url}?move=reject", {"reason": ""}).status_code == 400
    assert client.post(url, {"move": "approve"}).status_code == 302
    today = timezone.localdate()
    paid = {"paid_on_0": today.day, "paid_on_1": today.month, "paid_on_2": today.year}
    assert client.post(f"{url}?move=pay", paid).status_code == 302
    batch = ClaimBatch.objects.get(pk=world["b"])
    assert batch.status == "paid"
    assert batch.total == sum(c.amount for c in batch.claims.filter(status="paid"))
    client.force_login(partnership.manager_a.user)
    correct = f"/programmes/{world['p']}/corrections/{world['claim']}/"
    assert client.post(correct, {"correction": "Letter attached"}).status_code == 302
    assert Claim.objects.get(pk=world["claim"]).status == "pending"


def test_withdrawing_evidence_through_the_page(client, partnership, world):
    client.force_login(partnership.manager_a.user)
    url = f"/programmes/case/{world['c']}/job-entries/{world['e']}/withdraw/"
    assert client.post(url, {"reason": "Employer has no record"}).status_code == 302
    assert Claim.objects.get(job_entry_id=world["e"]).reversed_at is not None


def test_participant_pages(client, partnership, world):
    client.force_login(partnership.adviser_a.user)
    page = client.get(f"/programmes/case/{world['c']}/").content.decode()
    assert "Norfolk IHES" in page and "Long-term unemployed" in page
    today = timezone.localdate() - timedelta(days=3)
    data = {"left_on_0": today.day, "left_on_1": today.month, "left_on_2": today.year, "employed": "on"}
    assert client.post(f"/programmes/case/{world['c']}/leaving/", data).status_code == 302
    assert Participation.objects.get(case_id=world["c"]).follow_up_due_on is not None


def test_pages_that_name_participants_record_the_view(client, partnership, world):
    client.force_login(partnership.manager_a.user)
    assert client.get(f"/programmes/{world['p']}/claims/{world['b']}/").status_code == 200
    assert client.get("/programmes/follow-ups/").status_code == 200
    listed = AuditEvent.objects.filter(verb=AuditVerb.LISTED, actor=partnership.manager_a.user)
    batch = listed.get(target_id="programme_claim_batch")
    assert batch.payload["shown"] == ClaimBatch.objects.get(pk=world["b"]).claims.count() > 0
    assert listed.filter(target_id="programme_follow_ups").exists()


def test_a_retried_expense_request_asks_once(client, partnership, world):
    """The form carries a one-time key: the same request sent twice (a retry, a double click) makes
    one payment; a fresh form makes another; a key reused for someone else is refused."""
    import re

    from joinedup.programmes.models import Expense

    services.budget_set(
        actor=partnership.programme, programme=Programme.objects.get(pk=world["p"]),
        partner_id=partnership.partner_a.pk, amount=500,
    )  # fmt: skip
    client.force_login(partnership.adviser_a.user)
    url = f"/programmes/case/{world['c']}/expenses/new/"
    key = re.search(r'name="submission_key" value="([0-9a-f-]+)"', client.get(url).content.decode())
    assert key is not None
    today = timezone.localdate()
    data = {
        "kind": "travel", "amount": "12.50", "note": "Bus to the interview", "submission_key": key.group(1),
        "needed_on_0": today.day, "needed_on_1": today.month, "needed_on_2": today.year,
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the retry
    assert Expense.objects.count() == 1
    fresh = re.search(r'name="submission_key" value="([0-9a-f-]+)"', client.get(url).content.decode())
    assert fresh is not None and fresh.group(1) != key.group(1)
    assert client.post(url, {**data, "submission_key": fresh.group(1)}).status_code == 302
    assert Expense.objects.count() == 2
    assert "This form has expired" in client.post(url, {**data, "submission_key": "nonsense"}).content.decode()
    assert Expense.objects.count() == 2
    other = enrol_back(partnership, 50)
    with pytest.raises(DomainError, match="already been used for someone else"):
        services.expense_request(
            actor=partnership.adviser_a, participation=Participation.objects.get(case=other), kind="travel",
            amount=10, needed_on=today, note="Bus", submission_key=Expense.objects.first().submission_key,
        )  # fmt: skip
